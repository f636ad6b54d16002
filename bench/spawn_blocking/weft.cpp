// weft::spawn_blocking round trip (issue 3's benchmark list): one task awaits
// weft::spawn_blocking of a trivial function 100,000 times in a row, so every call goes from a
// worker to the blocking pool and back (submit, wake an idle pool thread, run, inject the
// waiter, resume it). ns per call. The runtime, and with it the pool's one thread (reused:
// keep-alive 10 s), lives across iterations, so neither runtime start-up nor thread creation is
// measured. Baselines in std.cpp.
#include <weft/weft.hpp>

#include "bench_util.hpp"

namespace {

constexpr int round_trips = 100'000;

int trivial(int x) noexcept { return x + 1; }

weft::task<int> call_in_a_row(int n) {
    int x = 0;
    for (int i = 0; i < n; ++i) x = co_await weft::spawn_blocking(trivial, x);
    co_return x;
}

void spawn_blocking_round_trip_weft(benchmark::State& state) {
    weft::runtime rt({.threads = static_cast<std::size_t>(state.range(0))});
    for (auto _ : state) benchmark::DoNotOptimize(rt.block_on(call_in_a_row(round_trips)));
    bench::report_ns_per(state, "ns_per_call", round_trips);
    bench::label_threads(state, state.range(0));
}

}  // namespace

BENCHMARK(spawn_blocking_round_trip_weft)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
