// 1,000,000 tasks sleeping at once. The main task spawns 1M tasks that each do
// `co_await weft::sleep_for(100ms)`, then joins them all. Reported per iteration:
//   wake_all_ms         from the last spawn to the last join, minus the 100 ms of sleep: how long
//                       the runtime takes to wake and finish the whole crowd
//   rss_bytes_per_task  peak RSS growth over the iteration / 1M (VmHWM, reset through
//                       /proc/self/clear_refs; freed memory is trimmed back first with malloc_trim)
//   heap_bytes_per_task malloc'd bytes in use right after the last spawn / 1M (mallinfo2)
//   frame_bytes         the sleeper's coroutine frame as the compiler sizes it (probe below)
//   beyond_frame_bytes  rss_bytes_per_task - frame_bytes; target < 256 (docs/benchmarks.md)
// There is no oneTBB counterpart: a TBB task cannot sleep without holding its thread, so the
// target above is the baseline. The join handles' vector is allocated before the baseline.
#include <malloc.h>

#include <chrono>
#include <coroutine>
#include <fstream>
#include <string>
#include <vector>

#include <weft/weft.hpp>

#include "bench_util.hpp"

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

constexpr int sleepers = 1'000'000;
constexpr auto nap = 100ms;

weft::task<void> sleeper() { co_await weft::sleep_for(nap); }

// Frame size probe: a promise type identical to weft's but for operator new, which records the
// size the compiler asks for. It is selected through std::coroutine_traits by a tag parameter, so
// the probe's frame is the sleeper's frame plus that empty tag (at most one padded byte).
struct frame_probe {};
struct probe_promise : weft::detail::task_promise<void> {
    static inline std::size_t frame_size = 0;
    static void* operator new(std::size_t size) {
        frame_size = size;
        return weft::detail::allocate_frame(size);
    }
    static void operator delete(void* p, std::size_t size) noexcept { weft::detail::deallocate_frame(p, size); }
};

}  // namespace

template <>
struct std::coroutine_traits<weft::task<void>, frame_probe> {
    using promise_type = probe_promise;
};

namespace {

weft::task<void> sleeper_probe(frame_probe) { co_await weft::sleep_for(nap); }

std::size_t sleeper_frame_bytes() {
    // Allocated, then destroyed unstarted. DoNotOptimize lets the task escape: otherwise clang
    // elides the allocation (HALO) and operator new is never called.
    auto never_started = sleeper_probe(frame_probe{});
    benchmark::DoNotOptimize(never_started);
    return probe_promise::frame_size;
}

// A "kB" field of /proc/self/status (VmRSS: resident set, VmHWM: its peak), in bytes.
double status_bytes(const std::string& field) {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) * 1024.0;
    return 0.0;
}

void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

struct timings {
    steady::time_point last_spawn;
    steady::time_point last_join;
    double heap_after_spawn = 0;
};

weft::task<void> spawn_sleepers(std::vector<weft::join_handle<void>>& handles, timings& t) {
    for (auto& h : handles) h = weft::spawn(sleeper());
    t.last_spawn = steady::now();
    t.heap_after_spawn = static_cast<double>(mallinfo2().uordblks + mallinfo2().hblkhd);
    for (auto& h : handles) co_await h;
    t.last_join = steady::now();
}

void sleep_1m_weft(benchmark::State& state) {
    weft::runtime rt({.threads = static_cast<std::size_t>(state.range(0))});
    double wake_ms = 0, rss_growth = 0, heap_growth = 0;
    for (auto _ : state) {
        std::vector<weft::join_handle<void>> handles(sleepers);  // touched before the baseline
        timings t;
        malloc_trim(0);
        const double heap_before = static_cast<double>(mallinfo2().uordblks + mallinfo2().hblkhd);
        const double rss_before = status_bytes("VmRSS");
        reset_peak_rss();
        rt.block_on(spawn_sleepers(handles, t));
        rss_growth += status_bytes("VmHWM") - rss_before;
        heap_growth += t.heap_after_spawn - heap_before;
        wake_ms += std::chrono::duration<double, std::milli>(t.last_join - t.last_spawn - nap).count();
    }
    const double frame = static_cast<double>(sleeper_frame_bytes());
    const auto avg = benchmark::Counter::kAvgIterations;
    state.counters["wake_all_ms"] = benchmark::Counter(wake_ms, avg);
    state.counters["rss_bytes_per_task"] = benchmark::Counter(rss_growth / sleepers, avg);
    state.counters["heap_bytes_per_task"] = benchmark::Counter(heap_growth / sleepers, avg);
    state.counters["frame_bytes"] = frame;
    state.counters["beyond_frame_bytes"] =
        benchmark::Counter(rss_growth / sleepers - frame * static_cast<double>(state.iterations()), avg);
    bench::label_threads(state, state.range(0));
}

}  // namespace

BENCHMARK(sleep_1m_weft)->Apply(bench::thread_args)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->Iterations(1)->Repetitions(3)->DisplayAggregatesOnly(true);
