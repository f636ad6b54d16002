// write_result_csv.
#include "result_csv.hpp"

#include <charconv>
#include <optional>

#include "sweep_metrics.hpp"

namespace weft::lab {
namespace {

// RFC 4180: quoted if it holds a comma, a quote or a line break; quotes doubled.
std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// A comment line's value: kept on one line.
std::string one_line(std::string text) {
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return text;
}

std::string number(double d) {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, d);
    return std::string(text, result.ptr);
}

std::string number(const std::optional<double>& d) { return d ? number(*d) : std::string(); }

}  // namespace

std::string write_result_csv(const sweep_result& r) {
    std::string out = "# weft-lab/1 csv\n";
    out += "# workload: " + r.workload + " " + r.sizes.as_flags() + "\n";
    out += "# result: " + std::to_string(r.answer) + "\n";
    out += "# repeat: " + std::to_string(r.repeat) + "\n";
    out += "# pin_workers: " + std::string(r.pin_workers ? "true" : "false") + "\n";
    out += "# cpu_model: " + one_line(r.machine.cpu_model) + "\n";
    out += "# hardware_concurrency: " + std::to_string(r.machine.hardware_concurrency) + "\n";
    out += "# compiler: " + one_line(r.machine.compiler) + "\n";
    out += "# weft_version: " + one_line(r.machine.weft_version) + "\n";
    out += "# date: " + one_line(r.machine.date) + "\n";
    out += "# command_line: " + one_line(r.machine.command_line) + "\n";
    for (const std::string& note : r.notes) out += "# note: " + one_line(note) + "\n";

    out +=
        "kind,series,threads,median_s,min_s,speedup,efficiency,steals_per_1k,vs_serial,vs_tbb,"
        "polled,spawned,steal_attempts,steals,tasks_stolen,stolen_from,injected_taken,parks,wakeups,busy_ns";
    for (std::size_t i = 1; i <= r.repeat; ++i) out += ",time_" + std::to_string(i) + "_s";
    out += "\n";

    const std::vector<row_metrics> metrics = compute_metrics(r);
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
        const measured_row& row = r.rows[i];
        const row_metrics& m = metrics[i];
        std::vector<std::string> cells = {row.kind == series_kind::weft ? "weft" : "baseline",
                                          csv_field(row.series),
                                          std::to_string(row.threads),
                                          number(m.median_s),
                                          number(m.min_s),
                                          number(m.speedup),
                                          number(m.efficiency),
                                          number(m.steals_per_1k),
                                          number(m.vs_serial),
                                          number(m.vs_tbb)};
        const bool counted = row.kind == series_kind::weft;
        const weft::worker_stats c = summed_counters(row);
        for (const std::uint64_t v :
             {c.polled, c.spawned, c.steal_attempts, c.steals, c.tasks_stolen, c.stolen_from, c.injected_taken, c.parks,
              c.wakeups, static_cast<std::uint64_t>(c.busy_time.count())})
            cells.push_back(counted ? std::to_string(v) : std::string());
        for (std::size_t k = 0; k < r.repeat; ++k)
            cells.push_back(k < row.runs.size() ? number(row.runs[k].seconds) : "");
        std::string line;
        for (std::size_t k = 0; k < cells.size(); ++k) line += (k == 0 ? "" : ",") + cells[k];
        out += line + "\n";
    }
    return out;
}

}  // namespace weft::lab
