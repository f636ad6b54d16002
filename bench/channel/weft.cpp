// weft::channel throughput (issue 3's benchmark): 10,000,000 ints through one channel of
// capacity 1024, from `pc` producer tasks to `pc` consumer tasks (pc = 1 and 2), on a runtime of
// 2 threads (and of 1, for reference). Compare with bench/channel/tbb.cpp
// (tbb::concurrent_bounded_queue of the same capacity between plain std::threads).
// Reported: items per second (items_per_second) and wall-clock ns per item.
//
// Each iteration makes a fresh channel; the producers send, the main task closes the channel
// once they are done and the consumers receive until it is drained. The runtime is kept
// across iterations, so its start-up is not measured.
#include <cstdint>
#include <vector>

#include <weft/weft.hpp>

#include "bench_util.hpp"

namespace {

constexpr std::int64_t items = 10'000'000;
constexpr std::size_t capacity = 1024;

weft::task<void> produce(weft::channel<std::int64_t> ch, std::int64_t from, std::int64_t to) {
    for (std::int64_t i = from; i < to; ++i) co_await ch.send(i);
}

weft::task<std::int64_t> consume(weft::channel<std::int64_t> ch) {
    std::int64_t sum = 0;
    while (std::optional<std::int64_t> v = co_await ch.recv()) sum += *v;
    co_return sum;
}

weft::task<std::int64_t> transfer(int pc) {
    weft::channel<std::int64_t> ch{capacity};
    std::vector<weft::join_handle<std::int64_t>> consumers;
    std::vector<weft::join_handle<void>> producers;
    for (int c = 0; c < pc; ++c) consumers.push_back(weft::spawn(consume(ch)));
    for (int p = 0; p < pc; ++p) producers.push_back(weft::spawn(produce(ch, items * p / pc, items * (p + 1) / pc)));
    for (auto& h : producers) co_await h;
    ch.close();
    std::int64_t sum = 0;
    for (auto& h : consumers) sum += co_await h;
    co_return sum;
}

void channel_throughput_weft(benchmark::State& state) {
    const int pc = static_cast<int>(state.range(0));
    weft::runtime rt({.threads = static_cast<std::size_t>(state.range(1))});
    for (auto _ : state) {
        if (rt.block_on(transfer(pc)) != items * (items - 1) / 2) state.SkipWithError("lost or duplicated items");
    }
    state.SetItemsProcessed(state.iterations() * items);
    bench::report_ns_per(state, "ns_per_item", items);
    state.SetLabel("producers=consumers=" + std::to_string(pc) + " threads=" + std::to_string(state.range(1)));
}

}  // namespace

BENCHMARK(channel_throughput_weft)->ArgNames({"pc", "threads"})->Args({1, 2})->Args({2, 2})->Args({1, 1})
    ->Args({2, 1})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0)->Repetitions(5)
    ->DisplayAggregatesOnly(true);
