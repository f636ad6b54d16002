// options::pin_workers: worker i runs on the i-th CPU the process may use.
#include <weft/weft.hpp>

#include <sched.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

std::vector<int> allowed_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    EXPECT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
    std::vector<int> cpus;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
    return cpus;
}

// Returns whether the worker running it is on its pinned CPU.
weft::task<bool> on_pinned_cpu(const std::vector<int>* cpus) {
    const auto index = weft::worker_index();
    co_return index.has_value() && sched_getcpu() == (*cpus)[*index];
}

weft::task<int> count_tasks_on_their_pinned_cpu(const std::vector<int>* cpus) {
    std::vector<weft::join_handle<bool>> handles;
    for (int i = 0; i < 64; ++i) handles.push_back(weft::spawn(on_pinned_cpu(cpus)));
    int pinned = 0;
    for (auto& h : handles) pinned += (co_await h) ? 1 : 0;
    co_return pinned;
}

TEST(pin_workers, every_task_runs_on_the_cpu_its_worker_is_pinned_to) {
    const std::vector<int> cpus = allowed_cpus();
    const std::size_t threads = std::min<std::size_t>(cpus.size(), 4);
    EXPECT_EQ(weft::run(count_tasks_on_their_pinned_cpu(&cpus), {.threads = threads, .pin_workers = true}), 64);
}

TEST(pin_workers, run_gives_the_calling_thread_its_cpus_back) {
    const std::vector<int> before = allowed_cpus();
    weft::run(on_pinned_cpu(&before), {.threads = 1, .pin_workers = true});
    EXPECT_EQ(allowed_cpus(), before);
}

TEST(pin_workers, more_workers_than_cpus_throws_invalid_argument_naming_the_option) {
    const std::size_t cpus = allowed_cpus().size();
    try {
        weft::runtime rt({.threads = cpus + 1, .pin_workers = true});
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("pin_workers"), std::string::npos) << what;
        EXPECT_NE(what.find(std::to_string(cpus + 1) + " workers"), std::string::npos) << what;
    }
}

TEST(pin_workers, a_negative_slow_poll_threshold_throws_invalid_argument_naming_it) {
    try {
        weft::runtime rt({.threads = 1, .slow_poll_threshold = std::chrono::milliseconds(-1)});
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("slow_poll_threshold=-1ms"), std::string::npos) << e.what();
    }
}

}  // namespace
