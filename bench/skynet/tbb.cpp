// oneTBB skynet: each inner node runs its 10 children in a tbb::task_group and waits; children
// write their sums into an array on the parent's stack. Field notes: 53 ns/node on 1 thread.
#include <array>
#include <numeric>

#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "bench_util.hpp"
#include "skynet/skynet.hpp"

namespace {

std::int64_t skynet(std::int64_t num, std::int64_t size) {
    if (size == 1) return num;
    const std::int64_t step = size / 10;
    std::array<std::int64_t, 10> sums{};
    tbb::task_group g;
    for (std::int64_t i = 0; i < 10; ++i) g.run([&sums, i, num, step] { sums[i] = skynet(num + i * step, step); });
    g.wait();
    return std::accumulate(sums.begin(), sums.end(), std::int64_t{0});
}

void skynet_tbb(benchmark::State& state) {
    tbb::task_arena arena(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        std::int64_t r = 0;
        arena.execute([&] { r = skynet(0, skynet_bench::leaves); });
        if (r != skynet_bench::expected) state.SkipWithError("wrong skynet sum");
    }
    bench::report_ns_per(state, "ns_per_node", skynet_bench::nodes);
    bench::label_threads(state, state.range(0));
}

}  // namespace

BENCHMARK(skynet_tbb)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(1.0)->Repetitions(5)->DisplayAggregatesOnly(true);
