#pragma once
// `weft-lab demo`: a one-minute tour of what the lab shows.
//
//  1. Breakfast (asyncio's coffee and bagel, plus CPU-bound juice) made by plain serial code,
//     by weft on 1 thread and by weft on N threads (N = the hardware threads, at least 2): the
//     waits overlap on one thread (concurrency), the CPU work only on several (parallelism).
//  2. A thread sweep of fib with the serial and oneTBB baselines, its table, and the speedup
//     chart written to weft-lab-demo.svg in the current directory.
#include <iosfwd>
#include <string>

namespace weft::lab {

inline constexpr const char* demo_chart_path = "weft-lab-demo.svg";

// Returns the exit status; throws lab_error as `run` does.
int run_demo(const std::string& command_line, std::ostream& out);

}  // namespace weft::lab
