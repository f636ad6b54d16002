// render_table: the aligned text table of a sweep.
#include "result_table.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

#include "sweep_metrics.hpp"

namespace weft::lab {
namespace {

std::string format(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

std::string optional_cell(const std::optional<double>& v, const char* pattern, double scale = 1) {
    return v ? format(pattern, *v * scale) : "-";
}

bool has_baseline(const sweep_result& r, std::string_view series) {
    return std::any_of(r.rows.begin(), r.rows.end(), [&](const measured_row& row) {
        return row.kind == series_kind::baseline && row.series == series;
    });
}

// Right-aligned cells, a left-aligned series column, two spaces between columns.
class text_grid {
public:
    void add(std::vector<std::string> cells) { lines_.push_back(std::move(cells)); }

    std::string render(std::size_t left_aligned_column) const {
        std::vector<std::size_t> widths;
        for (const auto& cells : lines_) {
            widths.resize(std::max(widths.size(), cells.size()));
            for (std::size_t i = 0; i < cells.size(); ++i) widths[i] = std::max(widths[i], cells[i].size());
        }
        std::string out;
        for (const auto& cells : lines_) {
            std::string line;
            for (std::size_t i = 0; i < cells.size(); ++i) {
                if (i != 0) line += "  ";
                const std::string pad(widths[i] - cells[i].size(), ' ');
                line += i == left_aligned_column ? cells[i] + pad : pad + cells[i];
            }
            while (!line.empty() && line.back() == ' ') line.pop_back();
            out += line + '\n';
        }
        return out;
    }

private:
    std::vector<std::vector<std::string>> lines_;
};

}  // namespace

std::string format_ms(double seconds) {
    const double ms = seconds * 1e3;
    if (ms >= 100) return format("%.1f", ms);
    if (ms >= 10) return format("%.2f", ms);
    if (ms >= 1) return format("%.3f", ms);
    return format("%.4f", ms);
}

std::string render_table(const sweep_result& r) {
    std::string out = r.workload + (r.sizes.entries().empty() ? "" : " " + r.sizes.as_flags()) + ": result " +
                      std::to_string(r.answer) + ", checked on every run; median and min of " +
                      std::to_string(r.repeat) + " timed run(s) per row, after one warm-up run\n";
    out += r.machine.cpu_model + ", " + std::to_string(r.machine.hardware_concurrency) + " hardware threads, " +
           r.machine.compiler + ", weft " + r.machine.weft_version + (r.pin_workers ? ", workers pinned" : "") + "\n\n";

    const bool serial = has_baseline(r, serial_series);
    const bool tbb = has_baseline(r, tbb_series);
    text_grid grid;
    std::vector<std::string> header = {"threads", "series",     "median ms", "min ms",
                                       "speedup", "efficiency", "steals/1k"};
    if (serial) header.emplace_back("vs serial");
    if (tbb) header.emplace_back("vs tbb");
    grid.add(header);

    const std::vector<row_metrics> metrics = compute_metrics(r);
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
        const measured_row& row = r.rows[i];
        const row_metrics& m = metrics[i];
        std::vector<std::string> cells = {std::to_string(row.threads),
                                          series_label(row),
                                          format_ms(m.median_s),
                                          format_ms(m.min_s),
                                          optional_cell(m.speedup, "%.2f"),
                                          optional_cell(m.efficiency, "%.1f%%", 100),
                                          optional_cell(m.steals_per_1k, "%.2f")};
        if (serial) cells.push_back(optional_cell(m.vs_serial, "%.2f"));
        if (tbb) cells.push_back(optional_cell(m.vs_tbb, "%.2f"));
        grid.add(std::move(cells));
    }
    out += grid.render(1);
    if (!r.notes.empty()) {
        out += "\nnotes:\n";
        for (const std::string& note : r.notes) out += "- " + note + "\n";
    }
    return out;
}

}  // namespace weft::lab
