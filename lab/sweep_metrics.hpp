#pragma once
// What the table, the CSV and the chart say about each row, computed from the raw times and
// counters (so `report` derives exactly what `run` printed):
//
//   median_s, min_s  of the row's repetitions
//   speedup          median at 1 thread / median at this thread count, same series
//   efficiency       speedup / threads
//   steals_per_1k    tasks stolen * 1000 / tasks polled, summed over the row's repetitions
//                    (weft rows, except policy tbb: oneTBB does not count its steals)
//   vs_serial        weft median / serial median (weft rows; the serial baseline has one time)
//   vs_tbb           weft median / oneTBB median at the same thread count (weft rows)
//
// A value that cannot be computed (no 1-thread run, no such baseline) is empty.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sweep_result.hpp"

namespace weft::lab {

struct row_metrics {
    double median_s = 0;
    double min_s = 0;
    std::optional<double> speedup;
    std::optional<double> efficiency;
    std::optional<double> steals_per_1k;
    std::optional<double> vs_serial;
    std::optional<double> vs_tbb;
};

// One entry per row of `r`, in the same order.
std::vector<row_metrics> compute_metrics(const sweep_result& r);

// The median of `values` (the mean of the middle two for an even count); 0 if empty.
double median(std::vector<double> values);

// The counters of every repetition of `row`, added up (all zero for baseline rows).
weft::worker_stats summed_counters(const measured_row& row);

// A line of the speedup chart: a series' (threads, speedup) points, in row order.
struct speedup_series {
    std::string name;
    std::vector<std::pair<double, double>> points;
};

// The chart's lines: one per weft policy and one for the tbb baseline, each from the rows that
// have a speedup. The serial baseline (one thread count) has none.
std::vector<speedup_series> speedup_lines(const sweep_result& r, const std::vector<row_metrics>& metrics);

// How a series is labelled in tables and legends: the policy name for weft rows, "tbb baseline"
// and "serial baseline" for baselines (the weft policy `tbb` is a different thing).
std::string series_label(const measured_row& row);

}  // namespace weft::lab
