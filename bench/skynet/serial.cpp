// Serial skynet: plain recursion over the same tree, the floor (field notes: ~2 ns/node).
// noinline and DoNotOptimize keep every node a real call whose result is really summed.
#include "bench_util.hpp"
#include "skynet/skynet.hpp"

namespace {

[[gnu::noinline]] std::int64_t skynet(std::int64_t num, std::int64_t size) {
    if (size == 1) return num;
    const std::int64_t step = size / 10;
    std::int64_t sum = 0;
    for (std::int64_t i = 0; i < 10; ++i) {
        std::int64_t s = skynet(num + i * step, step);
        benchmark::DoNotOptimize(s);
        sum += s;
    }
    return sum;
}

void skynet_serial(benchmark::State& state) {
    for (auto _ : state) {
        std::int64_t leaves = skynet_bench::leaves;
        benchmark::DoNotOptimize(leaves);
        if (skynet(0, leaves) != skynet_bench::expected) state.SkipWithError("wrong skynet sum");
    }
    bench::report_ns_per(state, "ns_per_node", skynet_bench::nodes);
}

}  // namespace

BENCHMARK(skynet_serial)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0)->Repetitions(5)
    ->DisplayAggregatesOnly(true);
