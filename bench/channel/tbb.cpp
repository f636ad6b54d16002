// oneTBB counterpart of bench/channel/weft.cpp: 10,000,000 ints through one
// tbb::concurrent_bounded_queue of capacity 1024, from `pc` producer std::threads to `pc`
// consumer std::threads (pc = 1 and 2, so 2 and 4 threads). push and pop block (spinning, then
// sleeping) while the queue is full or empty. After the producers finish, one end marker per
// consumer stops them. Threads are started per iteration (about 0.1 ms, against 10^7 items).
#include <cstdint>
#include <thread>
#include <vector>

#include <oneapi/tbb/concurrent_queue.h>

#include "bench_util.hpp"

namespace {

constexpr std::int64_t items = 10'000'000;
constexpr std::ptrdiff_t capacity = 1024;

std::int64_t transfer(int pc) {
    tbb::concurrent_bounded_queue<std::int64_t> q;
    q.set_capacity(capacity);
    std::vector<std::int64_t> sums(static_cast<std::size_t>(pc));
    std::vector<std::thread> consumers, producers;
    for (int c = 0; c < pc; ++c) {
        consumers.emplace_back([&q, &sum = sums[static_cast<std::size_t>(c)]] {
            std::int64_t local = 0;
            for (;;) {
                std::int64_t v;
                q.pop(v);
                if (v < 0) break;
                local += v;
            }
            sum = local;
        });
    }
    for (int p = 0; p < pc; ++p) {
        producers.emplace_back([&q, from = items * p / pc, to = items * (p + 1) / pc] {
            for (std::int64_t i = from; i < to; ++i) q.push(i);
        });
    }
    for (auto& t : producers) t.join();
    for (int c = 0; c < pc; ++c) q.push(-1);
    for (auto& t : consumers) t.join();
    std::int64_t sum = 0;
    for (std::int64_t s : sums) sum += s;
    return sum;
}

void channel_throughput_tbb(benchmark::State& state) {
    const int pc = static_cast<int>(state.range(0));
    for (auto _ : state) {
        if (transfer(pc) != items * (items - 1) / 2) state.SkipWithError("lost or duplicated items");
    }
    state.SetItemsProcessed(state.iterations() * items);
    bench::report_ns_per(state, "ns_per_item", items);
    state.SetLabel("producers=consumers=" + std::to_string(pc) + " threads=" + std::to_string(2 * pc));
}

}  // namespace

BENCHMARK(channel_throughput_tbb)->ArgName("pc")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
