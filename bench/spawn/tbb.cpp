// oneTBB counterparts of bench/spawn/weft.cpp:
//   spawn_local_tbb   inside the arena, tbb::task_group::run of 1,000,000 empty lambdas, then wait
//   spawn_remote_tbb  from the benchmark thread, outside the arena, 100,000 tasks of a task_group
//                     handed to task_arena::enqueue (task_group::defer), then the group is waited
//                     for inside the arena
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "bench_util.hpp"

namespace {

constexpr int local_spawns = 1'000'000;
constexpr int remote_spawns = 100'000;

void spawn_local_tbb(benchmark::State& state) {
    tbb::task_arena arena(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        arena.execute([] {
            tbb::task_group g;
            for (int i = 0; i < local_spawns; ++i) g.run([] {});
            g.wait();
        });
    }
    bench::report_ns_per(state, "ns_per_task", local_spawns);
    bench::label_threads(state, state.range(0));
}

void spawn_remote_tbb(benchmark::State& state) {
    tbb::task_arena arena(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        tbb::task_group g;
        for (int i = 0; i < remote_spawns; ++i) arena.enqueue(g.defer([] {}));
        arena.execute([&g] { g.wait(); });
    }
    bench::report_ns_per(state, "ns_per_task", remote_spawns);
    bench::label_threads(state, state.range(0));
}

}  // namespace

BENCHMARK(spawn_local_tbb)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
BENCHMARK(spawn_remote_tbb)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
