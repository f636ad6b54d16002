// Baseline for bench/mutex/weft.cpp: 8 std::threads each lock a std::mutex 100,000 times to
// increment a shared plain counter. Reported: wall-clock ns per increment (thread start-up,
// about 8 x 20 us against tens of milliseconds of work, is included).
#include <mutex>
#include <thread>
#include <vector>

#include "bench_util.hpp"

namespace {

constexpr int threads = 8;
constexpr int increments = 100'000;

void mutex_contention_std(benchmark::State& state) {
    std::mutex m;
    long counter = 0;
    long expected = 0;
    for (auto _ : state) {
        std::vector<std::thread> pool;
        pool.reserve(threads);
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&m, &counter] {
                for (int i = 0; i < increments; ++i) {
                    std::lock_guard guard(m);
                    ++counter;
                }
            });
        for (auto& t : pool) t.join();
        expected += long{threads} * increments;
    }
    if (counter != expected) state.SkipWithError("the guarded counter is wrong");
    bench::report_ns_per(state, "ns_per_increment", double{threads} * increments);
    bench::label_threads(state, threads);
}

}  // namespace

BENCHMARK(mutex_contention_std)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0)->Repetitions(5)
    ->DisplayAggregatesOnly(true);
