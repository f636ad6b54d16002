// An idle weft::runtime with 2 worker threads: CPU time used over 1 s while nothing runs
// (getrusage before and after the benchmark thread sleeps). The runtime first runs one task, so
// its workers have started, found nothing more and parked. Target: < 1% of one core
// (docs/benchmarks.md); Tokio-style parking (field notes section 2) should put it near 0.
#include <weft/weft.hpp>

#include "idle/idle.hpp"

namespace {

weft::task<int> one() { co_return 1; }

void idle_weft(benchmark::State& state) {
    weft::runtime rt({.threads = 2});
    if (rt.block_on(one()) != 1) state.SkipWithError("block_on failed");
    idle_bench::measure_idle_second(state);
}

}  // namespace

BENCHMARK(idle_weft)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3)->DisplayAggregatesOnly(true);
