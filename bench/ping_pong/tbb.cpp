// Baseline for bench/ping_pong/weft.cpp: two std::threads exchange messages through two
// tbb::concurrent_bounded_queue of capacity 1 (pop blocks: it spins briefly, then sleeps).
// 100,000 round trips per iteration (a cross-thread round trip costs microseconds when a side
// sleeps); reported per round trip, like the weft benchmark.
#include <cstdint>
#include <thread>

#include <oneapi/tbb/concurrent_queue.h>

#include "bench_util.hpp"

namespace {

constexpr std::int64_t round_trips = 100'000;

std::int64_t play() {
    tbb::concurrent_bounded_queue<std::int64_t> ping, pong;
    ping.set_capacity(1);
    pong.set_capacity(1);
    std::thread echoer([&] {
        for (;;) {
            std::int64_t v;
            ping.pop(v);
            if (v < 0) break;
            pong.push(v + 1);
        }
    });
    std::int64_t v = 0;
    for (std::int64_t i = 0; i < round_trips; ++i) {
        ping.push(v);
        pong.pop(v);
    }
    ping.push(-1);
    echoer.join();
    return v;
}

void ping_pong_tbb(benchmark::State& state) {
    for (auto _ : state) {
        if (play() != round_trips) state.SkipWithError("lost messages");
    }
    bench::report_ns_per(state, "ns_per_round_trip", round_trips);
    state.SetLabel("threads=2");
}

}  // namespace

BENCHMARK(ping_pong_tbb)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0)->Repetitions(5)
    ->DisplayAggregatesOnly(true);
