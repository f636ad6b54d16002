// oneTBB fib(30): the standard task_group fib -- run(fib(n-1)), fib(n-2) inline, wait -- inside a
// task_arena of `threads` slots. The field notes measured 69 ns/call (1 thread), 35 (2 threads).
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "bench_util.hpp"
#include "fib/fib.hpp"

namespace {

std::int64_t fib(int n) {
    if (n < 2) return n;
    std::int64_t a = 0;
    tbb::task_group g;
    g.run([&] { a = fib(n - 1); });
    const std::int64_t b = fib(n - 2);
    g.wait();
    return a + b;
}

void fib_tbb(benchmark::State& state) {
    tbb::task_arena arena(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        std::int64_t r = 0;
        arena.execute([&] { r = fib(fib_bench::n); });
        if (r != fib_bench::expected) state.SkipWithError("wrong fib result");
    }
    bench::report_ns_per(state, "ns_per_call", fib_bench::calls);
    bench::label_threads(state, state.range(0));
}

}  // namespace

BENCHMARK(fib_tbb)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
