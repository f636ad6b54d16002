// weft::channel ping-pong (issue 3's benchmark): two tasks exchange 1,000,000 messages through
// two channels of capacity 1 -- one sends on `ping` and waits on `pong`, the other echoes --
// on a runtime of 1 thread (both tasks on one worker: every hand-off is a suspension, a
// scheduling and a resumption; target under 100 ns per round trip) and of 2 (the tasks may
// run on different workers, so hand-offs may cross threads). Compare with
// bench/ping_pong/tbb.cpp. Reported: wall-clock ns per round trip.
#include <cstdint>

#include <weft/weft.hpp>

#include "bench_util.hpp"

namespace {

constexpr std::int64_t round_trips = 1'000'000;

weft::task<void> echo(weft::channel<std::int64_t> in, weft::channel<std::int64_t> out) {
    while (std::optional<std::int64_t> v = co_await in.recv()) co_await out.send(*v + 1);
}

weft::task<std::int64_t> play() {
    weft::channel<std::int64_t> ping{1}, pong{1};
    auto echoer = weft::spawn(echo(ping, pong));
    std::int64_t v = 0;
    for (std::int64_t i = 0; i < round_trips; ++i) {
        co_await ping.send(v);
        v = *co_await pong.recv();
    }
    ping.close();
    co_await echoer;
    co_return v;
}

void ping_pong_weft(benchmark::State& state) {
    weft::runtime rt({.threads = static_cast<std::size_t>(state.range(0))});
    for (auto _ : state) {
        if (rt.block_on(play()) != round_trips) state.SkipWithError("lost messages");
    }
    bench::report_ns_per(state, "ns_per_round_trip", round_trips);
    bench::label_threads(state, state.range(0));
}

}  // namespace

BENCHMARK(ping_pong_weft)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
