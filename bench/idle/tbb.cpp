// For comparison with bench/idle/weft.cpp: a tbb::task_arena with 2 threads that ran one task
// (a task_group of two tasks, so the worker thread joins), then nothing: CPU time over 1 s.
// oneTBB workers spin for a while before they sleep, which this captures.
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "idle/idle.hpp"

namespace {

void idle_tbb(benchmark::State& state) {
    tbb::task_arena arena(2);
    arena.execute([] {
        tbb::task_group g;
        g.run([] {});
        g.run([] {});
        g.wait();
    });
    idle_bench::measure_idle_second(state);
}

}  // namespace

BENCHMARK(idle_tbb)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3)->DisplayAggregatesOnly(true);
