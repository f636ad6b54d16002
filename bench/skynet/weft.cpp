// weft skynet: each inner node builds a std::vector of its 10 child tasks and awaits
// `weft::gather(std::move(children))`, which yields a std::vector of the 10 results. The vectors
// are part of what is measured: this is how the API is used. Field notes: libfork 24 ns/node
// (g++ -O2), TooManyCooks 25-41, oneTBB 53; the target is <= 18 ns/node on 1 thread.
#include <numeric>
#include <vector>

#include <weft/weft.hpp>

#include "bench_util.hpp"
#include "skynet/skynet.hpp"

namespace {

weft::task<std::int64_t> skynet(std::int64_t num, std::int64_t size) {
    if (size == 1) co_return num;
    const std::int64_t step = size / 10;
    std::vector<weft::task<std::int64_t>> children;
    children.reserve(10);
    for (std::int64_t i = 0; i < 10; ++i) children.push_back(skynet(num + i * step, step));
    const std::vector<std::int64_t> sums = co_await weft::gather(std::move(children));
    co_return std::accumulate(sums.begin(), sums.end(), std::int64_t{0});
}

void skynet_weft_block_on(benchmark::State& state) {
    weft::runtime rt({.threads = static_cast<std::size_t>(state.range(0))});
    for (auto _ : state) {
        if (rt.block_on(skynet(0, skynet_bench::leaves)) != skynet_bench::expected)
            state.SkipWithError("wrong skynet sum");
    }
    bench::report_ns_per(state, "ns_per_node", skynet_bench::nodes);
    bench::label_threads(state, state.range(0));
}

}  // namespace

BENCHMARK(skynet_weft_block_on)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
