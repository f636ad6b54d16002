#pragma once
// The table `weft-lab run` and `weft-lab report` print: a header with the workload and the
// machine, one line per row (threads, series, median and min time, speedup, efficiency, steals
// per 1,000 polled tasks, ratios to the baselines that were run), then the notes.
#include <string>

#include "sweep_result.hpp"

namespace weft::lab {

std::string render_table(const sweep_result& r);

// A time in milliseconds with 3 to 4 significant digits ("152.3", "4.931", "0.0213").
std::string format_ms(double seconds);

}  // namespace weft::lab
