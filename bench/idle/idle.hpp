#pragma once
// CPU used by this process while its benchmark thread sleeps: what an idle runtime costs.
#include <sys/resource.h>

#include <chrono>
#include <thread>

#include "bench_util.hpp"

namespace idle_bench {

inline double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    const auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
    return sec(u.ru_utime) + sec(u.ru_stime);
}

// Sleeps one second per iteration and reports the process's CPU time over it (user + sys, all
// threads) as `cpu_percent_of_core`: 100 means one core busy the whole time.
inline void measure_idle_second(benchmark::State& state) {
    double busy = 0, wall = 0;
    for (auto _ : state) {
        const double cpu0 = cpu_seconds();
        const auto t0 = std::chrono::steady_clock::now();
        std::this_thread::sleep_for(std::chrono::seconds(1));
        wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        busy += cpu_seconds() - cpu0;
    }
    state.counters["cpu_percent_of_core"] = 100.0 * busy / wall;
}

}  // namespace idle_bench
