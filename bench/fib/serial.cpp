// Serial fib(30): plain recursion with two real calls per node, the floor every runtime is
// compared with (field notes: 1.5 ns/call with g++, 1.9 with clang). DoNotOptimize on the second
// result keeps it from becoming a tail call, so g++ cannot turn the recursion into a loop with an
// accumulator; noinline keeps the compiler from unrolling levels into one another.
#include "bench_util.hpp"
#include "fib/fib.hpp"

namespace {

[[gnu::noinline]] std::int64_t fib(int n) {
    if (n < 2) return n;
    const std::int64_t a = fib(n - 1);
    std::int64_t b = fib(n - 2);
    benchmark::DoNotOptimize(b);
    return a + b;
}

void fib_serial(benchmark::State& state) {
    for (auto _ : state) {
        int n = fib_bench::n;
        benchmark::DoNotOptimize(n);
        const std::int64_t r = fib(n);
        if (r != fib_bench::expected) state.SkipWithError("wrong fib result");
    }
    bench::report_ns_per(state, "ns_per_call", fib_bench::calls);
}

}  // namespace

BENCHMARK(fib_serial)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0)->Repetitions(5)
    ->DisplayAggregatesOnly(true);
