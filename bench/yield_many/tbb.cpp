// yield_many's oneTBB counterpart. A TBB task cannot suspend and resume later, so "yield" is
// written the way TBB code does it: the task ends by submitting the rest of its work as a new
// task (continuation passing), 200 chains of 1,000 steps, each step one task_group::run.
// Reported: ns per step (per "yield").
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "bench_util.hpp"

namespace {

constexpr int tasks = 200;
constexpr int yields = 1'000;

void step(tbb::task_group& g, int remaining) {
    if (remaining == 0) return;
    g.run([&g, remaining] { step(g, remaining - 1); });
}

void yield_many_tbb(benchmark::State& state) {
    tbb::task_arena arena(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        arena.execute([] {
            tbb::task_group g;
            for (int i = 0; i < tasks; ++i) g.run([&g] { step(g, yields); });
            g.wait();
        });
    }
    bench::report_ns_per(state, "ns_per_yield", double{tasks} * yields);
    bench::label_threads(state, state.range(0));
}

}  // namespace

BENCHMARK(yield_many_tbb)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
