// compute_metrics: medians, speedups, steal rates and baseline ratios from raw measurements.
#include "sweep_metrics.hpp"

#include <algorithm>

namespace weft::lab {
namespace {

std::vector<double> times_of(const measured_row& row) {
    std::vector<double> t;
    t.reserve(row.runs.size());
    for (const measured_run& run : row.runs) t.push_back(run.seconds);
    return t;
}

// The row of `kind`/`series` at `threads`, or nullptr.
const measured_row* find_row(const sweep_result& r, series_kind kind, std::string_view series, std::size_t threads) {
    for (const measured_row& row : r.rows)
        if (row.kind == kind && row.series == series && row.threads == threads) return &row;
    return nullptr;
}

std::optional<double> ratio(double numerator, const measured_row* denominator_row) {
    if (denominator_row == nullptr || denominator_row->runs.empty()) return std::nullopt;
    const double denominator = median(times_of(*denominator_row));
    if (denominator <= 0) return std::nullopt;
    return numerator / denominator;
}

}  // namespace

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

weft::worker_stats summed_counters(const measured_row& row) {
    weft::worker_stats sum;
    for (const measured_run& run : row.runs)
        if (run.stats) sum += run.stats->total();
    return sum;
}

std::vector<row_metrics> compute_metrics(const sweep_result& r) {
    std::vector<row_metrics> out;
    out.reserve(r.rows.size());
    for (const measured_row& row : r.rows) {
        row_metrics m;
        const std::vector<double> times = times_of(row);
        m.median_s = median(times);
        m.min_s = times.empty() ? 0 : *std::min_element(times.begin(), times.end());
        // Every series but the serial baseline (one time, no thread count) has a speedup.
        const bool scales = row.kind == series_kind::weft || row.series == tbb_series;
        if (const std::optional<double> inverse =
                ratio(m.median_s, scales ? find_row(r, row.kind, row.series, 1) : nullptr);
            inverse && *inverse > 0) {
            m.speedup = 1.0 / *inverse;
            m.efficiency = *m.speedup / static_cast<double>(row.threads);
        }
        if (row.kind == series_kind::weft) {
            const weft::worker_stats counters = summed_counters(row);
            // Under policy tbb oneTBB does the stealing, and does not count it.
            const bool steals_counted = row.series != weft::to_string(weft::scheduling_policy::tbb);
            if (steals_counted && counters.polled > 0)
                m.steals_per_1k =
                    static_cast<double>(counters.tasks_stolen) * 1000.0 / static_cast<double>(counters.polled);
            m.vs_serial = ratio(m.median_s, find_row(r, series_kind::baseline, serial_series, 1));
            m.vs_tbb = ratio(m.median_s, find_row(r, series_kind::baseline, tbb_series, row.threads));
        }
        out.push_back(m);
    }
    return out;
}

std::vector<speedup_series> speedup_lines(const sweep_result& r, const std::vector<row_metrics>& metrics) {
    std::vector<speedup_series> lines;
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
        const measured_row& row = r.rows[i];
        if (!metrics[i].speedup) continue;
        const std::string name = series_label(row);
        auto line = std::find_if(lines.begin(), lines.end(), [&](const speedup_series& s) { return s.name == name; });
        if (line == lines.end()) line = lines.insert(lines.end(), speedup_series{name, {}});
        line->points.emplace_back(static_cast<double>(row.threads), *metrics[i].speedup);
    }
    return lines;
}

std::string series_label(const measured_row& row) {
    return row.kind == series_kind::weft ? row.series : row.series + " baseline";
}

}  // namespace weft::lab
