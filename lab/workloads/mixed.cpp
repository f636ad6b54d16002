// mixed: CPU work interleaved with waiting, as in a server that computes a little between I/O
// calls. Each of --tasks tasks runs --rounds rounds of (compute fib(--work) with plain
// recursion, then co_await sleep_for(--sleep-ms)). On one thread the sleeps of some tasks
// overlap the computing of others (concurrency); with more threads the computing itself is
// spread (parallelism). The serial version does the same steps one after another, sleeping with
// std::this_thread::sleep_for.
#include <weft/gather.hpp>
#include <weft/sleep.hpp>

#include <chrono>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cpu_work.hpp"
#include "workloads.hpp"

namespace weft::lab::workloads {
namespace {

struct mixed_sizes {
    std::int64_t tasks;
    std::int64_t rounds;
    int work;
    std::chrono::milliseconds sleep;
};

weft::task<std::int64_t> compute_and_wait(mixed_sizes s) {
    std::int64_t sum = 0;
    for (std::int64_t r = 0; r < s.rounds; ++r) {
        sum += plain_fib(s.work);
        co_await weft::sleep_for(s.sleep);
    }
    co_return sum;
}

weft::task<std::int64_t> mixed_weft(mixed_sizes s) {
    std::vector<weft::task<std::int64_t>> tasks;
    tasks.reserve(static_cast<std::size_t>(s.tasks));
    for (std::int64_t i = 0; i < s.tasks; ++i) tasks.push_back(compute_and_wait(s));
    const std::vector<std::int64_t> sums = co_await weft::gather(std::move(tasks));
    co_return std::accumulate(sums.begin(), sums.end(), std::int64_t{0});
}

std::int64_t mixed_serial(mixed_sizes s) {
    std::int64_t sum = 0;
    for (std::int64_t i = 0; i < s.tasks; ++i)
        for (std::int64_t r = 0; r < s.rounds; ++r) {
            sum += plain_fib(s.work);
            std::this_thread::sleep_for(s.sleep);
        }
    return sum;
}

class mixed_instance final : public workload_instance {
public:
    explicit mixed_instance(const workload_sizes& s)
        : sizes_{s.get("tasks"), s.get("rounds"), static_cast<int>(s.get("work")),
                 std::chrono::milliseconds(s.get("sleep-ms"))} {}

    std::int64_t expected() override { return sizes_.tasks * sizes_.rounds * fib_by_iteration(sizes_.work); }
    weft::task<std::int64_t> run_weft() override { return mixed_weft(sizes_); }
    std::int64_t run_serial() override { return mixed_serial(sizes_); }
    std::int64_t run_tbb() override { throw std::logic_error("mixed has no oneTBB version"); }

private:
    mixed_sizes sizes_;
};

}  // namespace

workload mixed() {
    return workload{
        .name = "mixed",
        .description = "tasks alternating CPU work (plain fib) and sleep_for: concurrency and parallelism at once",
        .flags = {{"tasks", 64, 1, 1'000'000, "concurrent tasks"},
                  {"rounds", 4, 1, 1'000'000, "compute-then-sleep rounds per task"},
                  {"work", 27, 0, 40, "each round computes fib(work) by plain recursion"},
                  {"sleep-ms", 2, 0, 60'000, "each round then sleeps this long, in milliseconds"}},
        .no_serial = {},
        .no_tbb =
            "skipped: the tasks sleep, and a oneTBB task that sleeps blocks its worker thread "
            "(oneTBB has no timers), so there is no idiomatic oneTBB version",
        .check_sizes = nullptr,
        .make = [](const workload_sizes& s) -> std::unique_ptr<workload_instance> {
            return std::make_unique<mixed_instance>(s);
        },
    };
}

}  // namespace weft::lab::workloads
