// What watching polls costs (runtime/observe/poll_observer.hpp): the same workloads on a runtime that
// observes nothing (slow_poll_threshold = 0, no trace: the worker loop's one null-pointer
// branch) and on one with the defaults (slow polls watched: a label lookup and a few plain
// stores per poll, and the monitor thread), in one run so that both see the same machine.
//   observe_fib      fib(30), bench/fib's workload
//   observe_skynet   skynet(10^6), bench/skynet's
//   observe_spawn    1,000,000 local spawns, each awaited: bench/spawn's spawn_local_weft,
//                    the workload with the most polls per unit of work (one per task)
// Arguments: threads (1, 2) and observed (0: threshold 0; 1: the defaults). Run with
// --benchmark_enable_random_interleaving=true so that drift hits both variants alike.
#include <chrono>
#include <numeric>
#include <vector>

#include <weft/weft.hpp>

#include "bench_util.hpp"
#include "fib/fib.hpp"
#include "skynet/skynet.hpp"

namespace {

constexpr int spawns = 1'000'000;

weft::task<std::int64_t> fib(int n) {
    if (n < 2) co_return n;
    auto [a, b] = co_await weft::gather(fib(n - 1), fib(n - 2));
    co_return a + b;
}

weft::task<std::int64_t> skynet(std::int64_t num, std::int64_t size) {
    if (size == 1) co_return num;
    const std::int64_t step = size / 10;
    std::vector<weft::task<std::int64_t>> children;
    children.reserve(10);
    for (std::int64_t i = 0; i < 10; ++i) children.push_back(skynet(num + i * step, step));
    const std::vector<std::int64_t> sums = co_await weft::gather(std::move(children));
    co_return std::accumulate(sums.begin(), sums.end(), std::int64_t{0});
}

weft::task<void> empty_task() { co_return; }

weft::task<void> spawn_and_join(int n) {
    std::vector<weft::join_handle<void>> handles;
    handles.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) handles.push_back(weft::spawn(empty_task()));
    for (auto& h : handles) co_await h;
}

// The runtime a benchmark's arguments ask for.
weft::options options_for(const benchmark::State& state) {
    weft::options o{.threads = static_cast<std::size_t>(state.range(0))};
    if (state.range(1) == 0) o.slow_poll_threshold = std::chrono::milliseconds::zero();
    return o;
}

void label(benchmark::State& state) {
    state.SetLabel("threads=" + std::to_string(state.range(0)) +
                   (state.range(1) == 0 ? " unobserved" : " default (slow polls watched)"));
}

void observe_fib(benchmark::State& state) {
    weft::runtime rt(options_for(state));
    for (auto _ : state)
        if (rt.block_on(fib(fib_bench::n)) != fib_bench::expected) state.SkipWithError("wrong fib result");
    bench::report_ns_per(state, "ns_per_call", fib_bench::calls);
    label(state);
}

void observe_skynet(benchmark::State& state) {
    weft::runtime rt(options_for(state));
    for (auto _ : state)
        if (rt.block_on(skynet(0, skynet_bench::leaves)) != skynet_bench::expected)
            state.SkipWithError("wrong skynet sum");
    bench::report_ns_per(state, "ns_per_node", skynet_bench::nodes);
    label(state);
}

void observe_spawn(benchmark::State& state) {
    weft::runtime rt(options_for(state));
    for (auto _ : state) rt.block_on(spawn_and_join(spawns));
    bench::report_ns_per(state, "ns_per_task", spawns);
    label(state);
}

void variants(benchmark::internal::Benchmark* b) {
    b->ArgNames({"threads", "observed"});
    for (const int threads : {1, 2})
        for (const int observed : {0, 1}) b->Args({threads, observed});
}

}  // namespace

BENCHMARK(observe_fib)->Apply(variants)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0)
    ->Repetitions(5)->DisplayAggregatesOnly(true);
BENCHMARK(observe_skynet)->Apply(variants)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0)
    ->Repetitions(5)->DisplayAggregatesOnly(true);
BENCHMARK(observe_spawn)->Apply(variants)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0)
    ->Repetitions(5)->DisplayAggregatesOnly(true);
