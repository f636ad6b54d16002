#pragma once
// Runs a `weft-lab run` request: every policy at every thread count, then the baselines, each
// configuration once untimed (the warm-up) and then `repeat` times timed. Every run gets a fresh
// weft::runtime (or tbb::task_arena), and every result is checked against the workload's known
// answer.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "cli_parser.hpp"
#include "sweep_result.hpp"

namespace weft::lab {

// Told what is about to run, e.g. "[7/24] fib work_stealing, 2 threads: run 2 of 5".
using progress_callback = std::function<void(const std::string&)>;

// Throws lab_error if a runtime cannot be started (naming the policy), if a run throws, or if a
// run's result is wrong (naming the workload, the series and both values).
sweep_result run_sweep(const run_request& request, machine_facts machine, const progress_callback& progress = {});

// Where the trace of one configuration goes: `path` itself if the sweep has one configuration;
// otherwise `path` without a trailing ".json", then "-<policy>-t<threads>.json".
std::string trace_file_for(const std::string& path, bool single_configuration, std::string_view policy,
                           std::size_t threads);

}  // namespace weft::lab
