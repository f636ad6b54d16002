// weft spawn cost (Tokio's spawn_many micro-benchmark, field notes section 4, scaled up):
//   spawn_local_weft   one task spawns 1,000,000 empty tasks with weft::spawn, then awaits each
//                      join handle (local spawns: each goes on the spawning worker's deque)
//   spawn_remote_weft  the benchmark thread, outside the runtime, calls weft::runtime::spawn
//                      100,000 times (each goes through the injection queue), then joins them
//                      all in one block_on
// Both keep one runtime alive across iterations, so runtime start-up is not measured.
#include <vector>

#include <weft/weft.hpp>

#include "bench_util.hpp"

namespace {

constexpr int local_spawns = 1'000'000;
constexpr int remote_spawns = 100'000;

weft::task<void> empty_task() { co_return; }

weft::task<void> spawn_and_join(int n) {
    std::vector<weft::join_handle<void>> handles;
    handles.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) handles.push_back(weft::spawn(empty_task()));
    for (auto& h : handles) co_await h;
}

weft::task<void> join_all(std::vector<weft::join_handle<void>> handles) {
    for (auto& h : handles) co_await h;
}

void spawn_local_weft(benchmark::State& state) {
    weft::runtime rt({.threads = static_cast<std::size_t>(state.range(0))});
    for (auto _ : state) rt.block_on(spawn_and_join(local_spawns));
    bench::report_ns_per(state, "ns_per_task", local_spawns);
    bench::label_threads(state, state.range(0));
}

void spawn_remote_weft(benchmark::State& state) {
    weft::runtime rt({.threads = static_cast<std::size_t>(state.range(0))});
    std::vector<weft::join_handle<void>> handles;
    for (auto _ : state) {
        handles.clear();
        handles.reserve(remote_spawns);
        for (int i = 0; i < remote_spawns; ++i) handles.push_back(rt.spawn(empty_task()));
        rt.block_on(join_all(std::move(handles)));
    }
    bench::report_ns_per(state, "ns_per_task", remote_spawns);
    bench::label_threads(state, state.range(0));
}

}  // namespace

BENCHMARK(spawn_local_weft)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
BENCHMARK(spawn_remote_weft)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
