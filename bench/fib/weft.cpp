// weft fib(30): every call forks both halves with `co_await weft::gather(fib(n-1), fib(n-2))`.
// Compare with the field notes' table (libfork 20 ns/call with g++ -O2, oneTBB 69, the bare
// lazy coroutine with a free list 12.6). Two ways to drive it:
//   fib_weft_block_on  one weft::runtime kept alive; each iteration is a block_on (no start-up)
//   fib_weft_run       a fresh weft::run per iteration (includes starting and joining threads)
//   fib_weft_policy    as block_on, under each scheduling_policy (policy 0-4: work_stealing,
//                      steal_one, fifo_local, global_queue, tbb)
#include <weft/weft.hpp>

#include <string>

#include "bench_util.hpp"
#include "fib/fib.hpp"

namespace {

weft::task<std::int64_t> fib(int n) {
    if (n < 2) co_return n;
    auto [a, b] = co_await weft::gather(fib(n - 1), fib(n - 2));
    co_return a + b;
}

void fib_weft_block_on(benchmark::State& state) {
    const auto threads = static_cast<std::size_t>(state.range(0));
    weft::runtime rt({.threads = threads});
    for (auto _ : state) {
        const std::int64_t r = rt.block_on(fib(fib_bench::n));
        if (r != fib_bench::expected) state.SkipWithError("wrong fib result");
    }
    bench::report_ns_per(state, "ns_per_call", fib_bench::calls);
    bench::label_threads(state, state.range(0));
}

void fib_weft_run(benchmark::State& state) {
    const auto threads = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) {
        const std::int64_t r = weft::run(fib(fib_bench::n), {.threads = threads});
        if (r != fib_bench::expected) state.SkipWithError("wrong fib result");
    }
    bench::report_ns_per(state, "ns_per_call", fib_bench::calls);
    bench::label_threads(state, state.range(0));
}

void fib_weft_policy(benchmark::State& state) {
    const auto threads = static_cast<std::size_t>(state.range(0));
    const auto policy = static_cast<weft::scheduling_policy>(state.range(1));
    weft::runtime rt({.threads = threads, .policy = policy});
    for (auto _ : state) {
        const std::int64_t r = rt.block_on(fib(fib_bench::n));
        if (r != fib_bench::expected) state.SkipWithError("wrong fib result");
    }
    bench::report_ns_per(state, "ns_per_call", fib_bench::calls);
    state.SetLabel(std::string(weft::to_string(policy)) + " threads=" + std::to_string(threads));
}

}  // namespace

BENCHMARK(fib_weft_policy)->ArgsProduct({{1, 2}, {0, 1, 2, 3, 4}})->ArgNames({"threads", "policy"})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.5)->Repetitions(3)->DisplayAggregatesOnly(true);
BENCHMARK(fib_weft_block_on)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
BENCHMARK(fib_weft_run)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
