#pragma once
// The speedup chart as a self-contained SVG file (no scripts, fonts or external references):
// speedup over 1 thread against the thread count, one polyline with point markers per series
// (each weft policy, and the tbb baseline), the dashed ideal line speedup = threads, axes with
// ticks and grid lines, a legend, a title and a subtitle.
#include <string>
#include <vector>

#include "sweep_metrics.hpp"
#include "sweep_result.hpp"

namespace weft::lab {

std::string render_speedup_svg(const std::vector<speedup_series>& lines, const std::string& title,
                               const std::string& subtitle);

// The chart of a sweep, titled with the workload and its sizes, subtitled with the machine.
std::string speedup_chart_svg(const sweep_result& r);

}  // namespace weft::lab
