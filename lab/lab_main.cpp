// lab_main: dispatches the commands and turns failures into exit statuses.
#include "lab_main.hpp"

#include <filesystem>
#include <ostream>
#include <string_view>
#include <type_traits>

#include "cli_parser.hpp"
#include "demo_tour.hpp"
#include "errors.hpp"
#include "help_text.hpp"
#include "json_reader.hpp"
#include "progress_line.hpp"
#include "result_csv.hpp"
#include "result_json.hpp"
#include "result_table.hpp"
#include "svg_speedup_chart.hpp"
#include "sweep_runner.hpp"

namespace weft::lab {
namespace {

// Fails before a long sweep rather than after it if an output file's directory does not exist.
void check_output_directories(const run_request& r) {
    for (const std::string* path : {&r.csv_path, &r.json_path, &r.plot_path, &r.trace_path}) {
        if (path->empty()) continue;
        const std::filesystem::path dir = std::filesystem::path(*path).parent_path();
        if (!dir.empty() && !std::filesystem::is_directory(dir))
            throw lab_error("cannot write " + *path + ": there is no directory " + dir.string());
    }
}

int run_command(const run_request& r, const std::string& command_line, std::ostream& out) {
    check_output_directories(r);
    progress_line progress;
    const sweep_result result = run_sweep(r, current_machine_facts(command_line),
                                          [&progress](const std::string& step) { progress.update(step); });
    progress.finish();
    out << render_table(result);
    write_result_files(result, r.csv_path, r.json_path, r.plot_path, out);
    for (const measured_row& row : result.rows)
        if (!row.trace_path.empty() && std::filesystem::exists(row.trace_path))
            out << "wrote " << row.trace_path << " (a trace: open it at ui.perfetto.dev)\n";
    return exit_ok;
}

int report_command(const report_request& r, std::ostream& out) {
    const std::string text = read_text_file(r.json_path);
    sweep_result result;
    try {
        result = read_result_json(text);
    } catch (const std::exception& e) {
        throw lab_error(r.json_path + ": " + e.what());
    }
    out << render_table(result);
    write_result_files(result, r.csv_path, {}, r.plot_path, out);
    return exit_ok;
}

bool needs_quotes(std::string_view arg) {
    if (arg.empty()) return true;
    for (const char c : arg) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           std::string_view("-_=.,/:+@%").find(c) != std::string_view::npos;
        if (!plain) return true;
    }
    return false;
}

}  // namespace

std::string quoted_command_line(const std::vector<std::string>& args) {
    std::string out = "weft-lab";
    for (const std::string& arg : args) {
        out += ' ';
        if (!needs_quotes(arg)) {
            out += arg;
            continue;
        }
        out += '\'';
        for (const char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        out += '\'';
    }
    return out;
}

void write_result_files(const sweep_result& r, const std::string& csv_path, const std::string& json_path,
                        const std::string& plot_path, std::ostream& out) {
    if (!csv_path.empty()) {
        write_text_file(csv_path, write_result_csv(r));
        out << "wrote " << csv_path << "\n";
    }
    if (!json_path.empty()) {
        write_text_file(json_path, write_result_json(r));
        out << "wrote " << json_path << "\n";
    }
    if (!plot_path.empty()) {
        write_text_file(plot_path, speedup_chart_svg(r));
        out << "wrote " << plot_path << "\n";
    }
}

int lab_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    try {
        const std::vector<std::string_view> views(args.begin(), args.end());
        const lab_command command = parse_command_line(views);
        const std::string command_line = quoted_command_line(args);
        return std::visit(
            [&](const auto& request) -> int {
                using request_type = std::decay_t<decltype(request)>;
                if constexpr (std::is_same_v<request_type, help_request>) {
                    out << help_text();
                    return exit_ok;
                } else if constexpr (std::is_same_v<request_type, list_request>) {
                    out << workload_list_text();
                    return exit_ok;
                } else if constexpr (std::is_same_v<request_type, demo_request>) {
                    return run_demo(command_line, out);
                } else if constexpr (std::is_same_v<request_type, run_request>) {
                    return run_command(request, command_line, out);
                } else {
                    return report_command(request, out);
                }
            },
            command);
    } catch (const usage_error& e) {
        out.flush();
        err << "weft-lab: " << e.what() << "\n" << usage_hint << "\n";
        return exit_usage;
    } catch (const std::exception& e) {
        out.flush();
        err << "weft-lab: " << e.what() << "\n";
        return exit_failure;
    }
}

}  // namespace weft::lab
