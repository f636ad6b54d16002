// Timer churn: timers that are armed and then cancelled before they fire, the life of most
// timeouts. Two shapes:
//   timer_churn_cancel_weft   1,000,000 spawned tasks each sleep an hour; once all are asleep,
//                             every one is cancelled through its join handle and joined.
//                             Reported: the whole iteration in ms (target < 300 ms, issue 3), and
//                             ns per sleeper.
//   timer_churn_timeout_weft  one task awaits weft::timeout(1h, ready()) 100,000 times: each arms a
//                             timer, the work finishes first, the timer is cancelled.
//                             Reported: ns per timeout.
// There is no oneTBB counterpart (a TBB task cannot sleep without holding a thread); the serial
// floor of the second shape is awaiting `ready()` directly, timer_churn_no_timeout_weft.
#include <atomic>
#include <chrono>
#include <vector>

#include <weft/cancel.hpp>
#include <weft/timeout.hpp>
#include <weft/weft.hpp>

#include "bench_util.hpp"

using namespace std::chrono_literals;

namespace {

constexpr int sleepers = 1'000'000;
constexpr int timeouts = 100'000;

weft::task<void> sleep_an_hour(std::atomic<int>* asleep) {
    asleep->fetch_add(1, std::memory_order_relaxed);
    co_await weft::sleep_for(1h);
}

weft::task<int> cancel_sleepers() {
    std::atomic<int> asleep{0};
    std::vector<weft::join_handle<void>> handles;
    handles.reserve(sleepers);
    for (int i = 0; i < sleepers; ++i) handles.push_back(weft::spawn(sleep_an_hour(&asleep)));
    while (asleep.load(std::memory_order_relaxed) < sleepers) co_await weft::yield();
    for (auto& h : handles) h.cancel();
    int cancelled = 0;
    for (auto& h : handles) {
        try {
            co_await h;
        } catch (const weft::cancelled&) {
            ++cancelled;
        }
    }
    co_return cancelled;
}

weft::task<int> ready(int i) { co_return i; }

weft::task<long> many_timeouts() {
    long sum = 0;
    for (int i = 0; i < timeouts; ++i) sum += co_await weft::timeout(1h, ready(i));
    co_return sum;
}

weft::task<long> many_plain_awaits() {
    long sum = 0;
    for (int i = 0; i < timeouts; ++i) sum += co_await ready(i);
    co_return sum;
}

void timer_churn_cancel_weft(benchmark::State& state) {
    weft::runtime rt({.threads = static_cast<std::size_t>(state.range(0))});
    for (auto _ : state) {
        if (rt.block_on(cancel_sleepers()) != sleepers) state.SkipWithError("a sleeper was not cancelled");
    }
    bench::report_ns_per(state, "ns_per_sleeper", sleepers);
    bench::label_threads(state, state.range(0));
}

void timer_churn_timeout_weft(benchmark::State& state) {
    weft::runtime rt({.threads = static_cast<std::size_t>(state.range(0))});
    for (auto _ : state) benchmark::DoNotOptimize(rt.block_on(many_timeouts()));
    bench::report_ns_per(state, "ns_per_timeout", timeouts);
    bench::label_threads(state, state.range(0));
}

void timer_churn_no_timeout_weft(benchmark::State& state) {
    weft::runtime rt({.threads = static_cast<std::size_t>(state.range(0))});
    for (auto _ : state) benchmark::DoNotOptimize(rt.block_on(many_plain_awaits()));
    bench::report_ns_per(state, "ns_per_timeout", timeouts);
    bench::label_threads(state, state.range(0));
}

}  // namespace

BENCHMARK(timer_churn_cancel_weft)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->Iterations(3)->Repetitions(3)->DisplayAggregatesOnly(true);
BENCHMARK(timer_churn_timeout_weft)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(3)->DisplayAggregatesOnly(true);
BENCHMARK(timer_churn_no_timeout_weft)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(3)->DisplayAggregatesOnly(true);
