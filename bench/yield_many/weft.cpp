// yield_many (Tokio's yield_many micro-benchmark, field notes section 4): 200 tasks each
// `co_await weft::yield()` 1,000 times, so 200,000 reschedules through the shared queue per
// iteration, round-robin among the tasks. Reported: ns per yield.
#include <vector>

#include <weft/weft.hpp>

#include "bench_util.hpp"

namespace {

constexpr int tasks = 200;
constexpr int yields = 1'000;

weft::task<void> yielder() {
    for (int i = 0; i < yields; ++i) co_await weft::yield();
}

weft::task<void> yield_many() {
    std::vector<weft::join_handle<void>> handles;
    handles.reserve(tasks);
    for (int i = 0; i < tasks; ++i) handles.push_back(weft::spawn(yielder()));
    for (auto& h : handles) co_await h;
}

void yield_many_weft(benchmark::State& state) {
    weft::runtime rt({.threads = static_cast<std::size_t>(state.range(0))});
    for (auto _ : state) rt.block_on(yield_many());
    bench::report_ns_per(state, "ns_per_yield", double{tasks} * yields);
    bench::label_threads(state, state.range(0));
}

}  // namespace

BENCHMARK(yield_many_weft)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
