#pragma once
// Helpers shared by the bench/<workload>/ executables (bench/ is on their include path).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

namespace bench {

// The thread counts every scaling benchmark runs with (the development machine has 2 cores).
inline void thread_args(benchmark::internal::Benchmark* b) { b->Arg(1)->Arg(2)->ArgName("threads"); }

// Adds counter `name`: wall-clock time per item, for `items` items per iteration. It is an
// inverted rate (seconds / (items * iterations)), so the console prints it with its unit, e.g.
// `ns_per_call=12.6ns`, while the JSON output holds seconds (1.26e-08): scripts/bench and
// docs/benchmarks.md convert. Benchmarks using it run with UseRealTime(), so the time is
// wall-clock time, not the benchmark thread's CPU time (which is near zero while it blocks).
inline void report_ns_per(benchmark::State& state, const char* name, double items) {
    state.counters[name] =
        benchmark::Counter(items, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Labels the run with its thread count, so reports stay readable without the argument name.
inline void label_threads(benchmark::State& state, std::int64_t threads) {
    state.SetLabel("threads=" + std::to_string(threads));
}

}  // namespace bench
