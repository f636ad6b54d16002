// weft::mutex under contention (issue 3's benchmark): 8 tasks each take the lock 100,000 times
// to increment a shared plain counter, on a runtime of 1 and of 2 threads. Compare with
// bench/mutex/std.cpp (8 std::threads on a std::mutex). Reported: wall-clock ns per increment.
//
// weft::mutex is FIFO-fair and hands the lock straight to the oldest waiter, so once tasks
// queue, every increment by a task other than the last holder costs a suspension and a
// resumption through the scheduler; the runtime is kept across iterations, so its start-up is
// not measured.
#include <vector>

#include <weft/weft.hpp>

#include "bench_util.hpp"

namespace {

constexpr int tasks = 8;
constexpr int increments = 100'000;

weft::task<void> increment(weft::mutex* m, long* counter) {
    for (int i = 0; i < increments; ++i) {
        auto guard = co_await m->lock();
        ++*counter;
    }
}

weft::task<void> contend(weft::mutex* m, long* counter) {
    std::vector<weft::join_handle<void>> handles;
    handles.reserve(tasks);
    for (int i = 0; i < tasks; ++i) handles.push_back(weft::spawn(increment(m, counter)));
    for (auto& h : handles) co_await h;
}

void mutex_contention_weft(benchmark::State& state) {
    weft::runtime rt({.threads = static_cast<std::size_t>(state.range(0))});
    weft::mutex m;
    long counter = 0;
    long expected = 0;
    for (auto _ : state) {
        rt.block_on(contend(&m, &counter));
        expected += long{tasks} * increments;
    }
    if (counter != expected) state.SkipWithError("the guarded counter is wrong");
    bench::report_ns_per(state, "ns_per_increment", double{tasks} * increments);
    bench::label_threads(state, state.range(0));
}

}  // namespace

BENCHMARK(mutex_contention_weft)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
