// Slow polls (options::slow_poll_threshold): a task that holds its worker past the threshold
// without suspending is logged with its name and worker while it still runs, and again, with
// how long it held the worker, when it returns. The tests synchronise on the log itself: the
// task spins until the line about it has been logged.
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>

#include <weft/weft.hpp>

#include "scheduler/scheduler.hpp"
#include "support/log_capture.hpp"
#include "support/thread_counts.hpp"

namespace {

using namespace std::chrono_literals;
using weft_test::log_capture;
using weft_test::thread_counts;

// Holds its worker, never suspending, until `logs` has a line containing `needle`.
weft::task<> spin_until_logged(const log_capture* logs, std::string needle) {
    while (!logs->contains(needle)) {
    }
    co_return;
}

class slow_polls : public thread_counts {
protected:
    weft::options watched() const {
        weft::options o = options();
        o.slow_poll_threshold = 1ms;
        return o;
    }
};
WEFT_TEST_AT_THREAD_COUNTS(slow_polls);

TEST_P(slow_polls, a_task_holding_its_worker_is_logged_by_name_while_it_runs_and_when_it_returns) {
    log_capture logs;
    const auto body = [&logs]() -> weft::task<> {
        co_await weft::spawn(spin_until_logged(&logs, "slow poll: task 'spinner' has held worker"), "spinner");
    };
    weft::run(body(), watched());
    EXPECT_EQ(logs.count("warning: slow poll: task 'spinner' has held worker"), 1u);
    // The return is logged by the worker, or by the monitor if it saw the poll end first.
    EXPECT_EQ(logs.count("warning: slow poll: task 'spinner' held worker"), 1u);
}

TEST_P(slow_polls, both_lines_name_the_same_worker) {
    log_capture logs;
    const auto body = [&logs]() -> weft::task<> {
        co_await weft::spawn(spin_until_logged(&logs, "task 'pinned' has held worker"), "pinned");
    };
    weft::run(body(), watched());
    std::string running;
    std::string returned;
    for (const std::string& line : logs.lines()) {
        if (line.find("task 'pinned' has held worker ") != std::string::npos) running = line;
        if (line.find("task 'pinned' held worker ") != std::string::npos) returned = line;
    }
    const auto worker_of = [](const std::string& line) {
        const std::size_t at = line.find("worker ") + 7;
        return std::stoul(line.substr(at, line.find(' ', at) - at));
    };
    ASSERT_FALSE(running.empty());
    ASSERT_FALSE(returned.empty());
    EXPECT_EQ(worker_of(running), worker_of(returned));
    EXPECT_LT(worker_of(running), threads());
}

TEST_P(slow_polls, an_unnamed_task_is_logged_by_its_spawn_site) {
    log_capture logs;
    const int line = __LINE__ + 4;  // the spawn's
    const std::string site = "task 'slow_poll_test.cpp:" + std::to_string(line) + "'";
    const auto body = [&]() -> weft::task<> {
        const std::string needle = site + " has held worker";
        co_await weft::spawn(spin_until_logged(&logs, needle));
    };
    weft::run(body(), watched());
    EXPECT_TRUE(logs.contains(site + " held worker"));
}

TEST_P(slow_polls, the_main_task_is_called_main) {
    log_capture logs;
    weft::run(spin_until_logged(&logs, "task 'main' has held worker"), watched());
    EXPECT_TRUE(logs.contains("task 'main' held worker"));
}

// Whether the runtime running the caller has a poll observer, and whether it traces.
weft::task<std::pair<bool, bool>> observed() {
    const weft::detail::poll_observer* o = weft::detail::tls_worker->sched->observer();
    co_return std::pair{o != nullptr, o != nullptr && o->traces_spawns()};
}

TEST_P(slow_polls, are_watched_by_default_without_tracing) {
    EXPECT_EQ(run(observed()), (std::pair{true, false}));
}

TEST_P(slow_polls, a_zero_threshold_without_a_trace_leaves_polls_unobserved) {
    weft::options o = options();
    o.slow_poll_threshold = 0ms;
    EXPECT_EQ(weft::run(observed(), o), (std::pair{false, false}));
}

TEST(slow_poll_options, a_negative_threshold_is_rejected) {
    EXPECT_THROW(weft::runtime rt({.threads = 1, .slow_poll_threshold = -1ms}), std::invalid_argument);
}

}  // namespace
