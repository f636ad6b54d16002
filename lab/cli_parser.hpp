#pragma once
// weft-lab's command line, parsed into one request per command:
//
//   weft-lab run WORKLOAD [--threads 1,2,4] [--repeat 5] [--policy P,...] [--baseline serial,tbb]
//                [--csv F] [--json F] [--plot F.svg] [--trace F.json] [--pin] [--<size> N ...]
//   weft-lab report F.json [--plot F.svg] [--csv F]
//   weft-lab demo | list | help | --help | -h
//
// Flags take their value as the next argument or after '=' (--threads=1,2). Anything wrong --
// an unknown command, workload or flag, a malformed, out-of-range or repeated value, a flag
// given twice, a missing value -- throws usage_error with a message naming the offending text.
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <weft/options.hpp>

#include "errors.hpp"
#include "workload.hpp"

namespace weft::lab {

enum class baseline { serial, tbb };

struct run_request {
    const workload* work = nullptr;
    workload_sizes sizes;
    std::vector<std::size_t> threads;
    std::size_t repeat = 5;
    std::vector<weft::scheduling_policy> policies{weft::scheduling_policy::work_stealing};
    std::vector<baseline> baselines;
    bool pin = false;
    std::string csv_path;
    std::string json_path;
    std::string plot_path;
    std::string trace_path;
};

struct report_request {
    std::string json_path;
    std::string plot_path;
    std::string csv_path;
};

struct help_request {};
struct list_request {};
struct demo_request {};

using lab_command = std::variant<help_request, list_request, demo_request, run_request, report_request>;

// `args` excludes the program name. Throws usage_error.
lab_command parse_command_line(const std::vector<std::string_view>& args);

// The default --threads: 1, 2, 4, ... up to `hardware_concurrency`, which ends the list even if
// it is not a power of two (6 gives 1,2,4,6); 0 (unknown) and 1 give 1.
std::vector<std::size_t> default_thread_counts(unsigned hardware_concurrency);

}  // namespace weft::lab
