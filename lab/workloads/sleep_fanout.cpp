// sleep-fanout: N tasks that each sleep d, gathered: the I/O-bound case. A sleeping task holds no
// thread, so all N sleeps overlap even on one thread and the wall time stays near d whatever N
// is -- concurrency without parallelism. More threads change little; the table shows how much
// the runtime's timer and wake-up path costs on top of d.
#include <weft/gather.hpp>
#include <weft/sleep.hpp>

#include <chrono>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "workloads.hpp"

namespace weft::lab::workloads {
namespace {

weft::task<std::int64_t> sleeper(std::chrono::milliseconds d) {
    co_await weft::sleep_for(d);
    co_return 1;
}

// Every sleeper returns 1, so the sum counts the tasks that finished.
weft::task<std::int64_t> fan_out(std::int64_t tasks, std::chrono::milliseconds d) {
    std::vector<weft::task<std::int64_t>> sleepers;
    sleepers.reserve(static_cast<std::size_t>(tasks));
    for (std::int64_t i = 0; i < tasks; ++i) sleepers.push_back(sleeper(d));
    const std::vector<std::int64_t> done = co_await weft::gather(std::move(sleepers));
    co_return std::accumulate(done.begin(), done.end(), std::int64_t{0});
}

class sleep_fanout_instance final : public workload_instance {
public:
    explicit sleep_fanout_instance(const workload_sizes& s)
        : tasks_(s.get("tasks")), sleep_(std::chrono::milliseconds(s.get("sleep-ms"))) {}

    std::int64_t expected() override { return tasks_; }
    weft::task<std::int64_t> run_weft() override { return fan_out(tasks_, sleep_); }
    std::int64_t run_serial() override { throw std::logic_error("sleep-fanout has no serial version"); }
    std::int64_t run_tbb() override { throw std::logic_error("sleep-fanout has no oneTBB version"); }

private:
    std::int64_t tasks_;
    std::chrono::milliseconds sleep_;
};

}  // namespace

workload sleep_fanout() {
    return workload{
        .name = "sleep-fanout",
        .description = "N tasks each co_await sleep_for(d), gathered: concurrency on one thread (I/O-bound)",
        .flags = {{"tasks", 10'000, 1, 10'000'000, "sleeping tasks"},
                  {"sleep-ms", 100, 0, 60'000, "how long each task sleeps, in milliseconds"}},
        .no_serial =
            "not run: plain functions would sleep one after another, tasks x sleep-ms "
            "(1,000 s at the default sizes)",
        .no_tbb =
            "skipped: oneTBB has no timers, and a oneTBB task that sleeps blocks its worker thread, "
            "so there is no idiomatic oneTBB version of a sleeping task",
        .check_sizes = nullptr,
        .make = [](const workload_sizes& s) -> std::unique_ptr<workload_instance> {
            return std::make_unique<sleep_fanout_instance>(s);
        },
    };
}

}  // namespace weft::lab::workloads
