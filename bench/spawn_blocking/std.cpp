// Baselines for bench/spawn_blocking/weft.cpp, the same round trip of a trivial function from
// the benchmark thread to another thread and back:
//   spawn_blocking_round_trip_std_async   std::async(std::launch::async, f).get(): libstdc++
//                                         starts a thread per call (10,000 calls)
//   spawn_blocking_round_trip_std_handoff one long-lived thread, a mutex and two condition
//                                         variables: the floor for any pool whose threads block
//                                         while idle (100,000 calls)
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "bench_util.hpp"

namespace {

constexpr int async_round_trips = 10'000;
constexpr int handoff_round_trips = 100'000;

int trivial(int x) noexcept { return x + 1; }

void spawn_blocking_round_trip_std_async(benchmark::State& state) {
    for (auto _ : state) {
        int x = 0;
        for (int i = 0; i < async_round_trips; ++i) x = std::async(std::launch::async, trivial, x).get();
        benchmark::DoNotOptimize(x);
    }
    bench::report_ns_per(state, "ns_per_call", async_round_trips);
}

// One request/response slot between the benchmark thread and a server thread.
class handoff {
public:
    handoff() : server_([this] { serve(); }) {}
    ~handoff() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        request_ready_.notify_one();
        server_.join();
    }

    int call(int x) {
        std::unique_lock lock(mutex_);
        value_ = x;
        has_request_ = true;
        request_ready_.notify_one();
        response_ready_.wait(lock, [this] { return !has_request_; });
        return value_;
    }

private:
    void serve() {
        std::unique_lock lock(mutex_);
        for (;;) {
            request_ready_.wait(lock, [this] { return has_request_ || stop_; });
            if (stop_) return;
            value_ = trivial(value_);
            has_request_ = false;
            response_ready_.notify_one();
        }
    }

    std::mutex mutex_;
    std::condition_variable request_ready_, response_ready_;
    int value_ = 0;
    bool has_request_ = false;
    bool stop_ = false;
    std::thread server_;
};

void spawn_blocking_round_trip_std_handoff(benchmark::State& state) {
    handoff h;
    for (auto _ : state) {
        int x = 0;
        for (int i = 0; i < handoff_round_trips; ++i) x = h.call(x);
        benchmark::DoNotOptimize(x);
    }
    bench::report_ns_per(state, "ns_per_call", handoff_round_trips);
}

}  // namespace

BENCHMARK(spawn_blocking_round_trip_std_async)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
BENCHMARK(spawn_blocking_round_trip_std_handoff)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
