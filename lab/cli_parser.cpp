// parse_command_line: commands, their positional arguments and their flags.
#include "cli_parser.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <thread>

#include "cli_values.hpp"

namespace weft::lab {
namespace {

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

bool looks_like_flag(std::string_view arg) { return arg.size() > 1 && arg.front() == '-'; }

// Walks the flags after a command's positional arguments: `--name value` or `--name=value`,
// each name at most once.
class flag_cursor {
public:
    flag_cursor(const std::vector<std::string_view>& args, std::size_t first, std::string context)
        : args_(args), next_(first), context_(std::move(context)) {}

    // The next flag's name ("--threads"), or nullopt at the end.
    std::optional<std::string_view> next_flag() {
        if (next_ == args_.size()) return std::nullopt;
        std::string_view arg = args_[next_++];
        if (!arg.starts_with("--") || arg.size() == 2)
            throw usage_error("unexpected argument " + quoted(arg) + " after " + context_);
        value_.reset();
        if (const std::size_t eq = arg.find('='); eq != std::string_view::npos) {
            value_ = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        if (std::find(seen_.begin(), seen_.end(), arg) != seen_.end())
            throw usage_error(std::string(arg) + " is given twice");
        seen_.push_back(arg);
        flag_ = arg;
        return arg;
    }

    // The current flag's value: after '=', or the next argument.
    std::string_view value() {
        if (!value_) {
            if (next_ == args_.size() || args_[next_].starts_with("--"))
                throw usage_error(std::string(flag_) + " needs a value");
            value_ = args_[next_++];
        }
        if (value_->empty()) throw usage_error(std::string(flag_) + " needs a value");
        return *value_;
    }

    // For a flag without a value (--pin).
    void no_value() const {
        if (value_) throw usage_error(std::string(flag_) + " takes no value (got " + quoted(*value_) + ")");
    }

    [[noreturn]] void unknown(std::string_view hint) const {
        throw usage_error("unknown flag " + quoted(flag_) + " for " + context_ + std::string(hint));
    }

private:
    const std::vector<std::string_view>& args_;
    std::size_t next_;
    std::string context_;
    std::vector<std::string_view> seen_;
    std::string_view flag_;
    std::optional<std::string_view> value_;
};

void expect_no_arguments(const std::vector<std::string_view>& args, std::string_view command) {
    if (args.size() > 1) throw usage_error("unexpected argument " + quoted(args[1]) + " after " + std::string(command));
}

run_request parse_run(const std::vector<std::string_view>& args) {
    if (args.size() < 2 || looks_like_flag(args[1]))
        throw usage_error("run needs a WORKLOAD (weft-lab list shows them)");
    run_request r;
    r.work = find_workload(args[1]);
    if (r.work == nullptr)
        throw usage_error("unknown workload " + quoted(args[1]) + " (weft-lab list shows the workloads)");
    r.sizes = r.work->default_sizes();
    r.threads = default_thread_counts(std::thread::hardware_concurrency());

    flag_cursor flags(args, 2, "run " + std::string(r.work->name));
    while (const std::optional<std::string_view> flag = flags.next_flag()) {
        const std::string_view f = *flag;
        if (f == "--threads")
            r.threads = parse_thread_list(f, flags.value());
        else if (f == "--repeat")
            r.repeat = parse_repeat(f, flags.value());
        else if (f == "--policy")
            r.policies = parse_policy_list(f, flags.value());
        else if (f == "--baseline")
            r.baselines = parse_baseline_list(f, flags.value());
        else if (f == "--csv")
            r.csv_path = flags.value();
        else if (f == "--json")
            r.json_path = flags.value();
        else if (f == "--plot")
            r.plot_path = flags.value();
        else if (f == "--trace")
            r.trace_path = flags.value();
        else if (f == "--pin") {
            flags.no_value();
            r.pin = true;
        } else if (const size_flag* size = r.work->find_flag(f.substr(2)))
            r.sizes.set(size->name, parse_size(r.work->name, *size, flags.value()));
        else
            flags.unknown(" (weft-lab list shows each workload's flags)");
    }
    if (r.work->check_sizes != nullptr) {
        if (std::string problem = r.work->check_sizes(r.sizes); !problem.empty())
            throw usage_error(problem + " (a size of " + std::string(r.work->name) + ")");
    }
    return r;
}

report_request parse_report(const std::vector<std::string_view>& args) {
    if (args.size() < 2 || looks_like_flag(args[1]))
        throw usage_error("report needs the JSON file of a run (weft-lab run ... --json F.json)");
    report_request r;
    r.json_path = args[1];
    flag_cursor flags(args, 2, "report");
    while (const std::optional<std::string_view> flag = flags.next_flag()) {
        if (*flag == "--plot")
            r.plot_path = flags.value();
        else if (*flag == "--csv")
            r.csv_path = flags.value();
        else
            flags.unknown(" (report takes --plot F.svg and --csv F)");
    }
    return r;
}

}  // namespace

std::vector<std::size_t> default_thread_counts(unsigned hardware_concurrency) {
    const std::size_t limit = std::clamp<std::size_t>(hardware_concurrency, 1, weft::max_threads);
    std::vector<std::size_t> counts;
    for (std::size_t t = 1; t < limit; t *= 2) counts.push_back(t);
    counts.push_back(limit);
    return counts;
}

lab_command parse_command_line(const std::vector<std::string_view>& args) {
    if (args.empty()) throw usage_error("no command given");
    const std::string_view command = args[0];
    if (command == "help" || command == "--help" || command == "-h") {
        expect_no_arguments(args, command);
        return help_request{};
    }
    if (command == "list") {
        expect_no_arguments(args, command);
        return list_request{};
    }
    if (command == "demo") {
        expect_no_arguments(args, command);
        return demo_request{};
    }
    if (command == "run") return parse_run(args);
    if (command == "report") return parse_report(args);
    if (looks_like_flag(command))
        throw usage_error("unknown flag " + quoted(command) + " (flags come after a command)");
    throw usage_error("unknown command " + quoted(command) + " (the commands: run, report, demo, list, help)");
}

}  // namespace weft::lab
