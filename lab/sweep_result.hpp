#pragma once
// What a sweep measured: the machine, the workload, and one row per series and thread count
// with every repetition's time and runtime counters. `run` fills it, `report` reads it back
// from JSON, and the table, CSV, JSON and SVG writers all print from it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <weft/stats.hpp>

#include "workload.hpp"

namespace weft::lab {

// Where and how the numbers were taken.
struct machine_facts {
    std::string cpu_model;              // /proc/cpuinfo's "model name"
    unsigned hardware_concurrency = 0;  // std::thread::hardware_concurrency()
    std::string compiler;               // compiler name and __VERSION__
    std::string weft_version;
    std::string date;          // UTC, ISO 8601
    std::string command_line;  // as typed (re-quoted)
};

// The facts of this process, this build and this moment; `command_line` as given.
machine_facts current_machine_facts(std::string command_line);

// weft rows run the workload's weft version under one scheduling policy; baseline rows run its
// serial or oneTBB version.
enum class series_kind { weft, baseline };

// Baseline series names.
inline constexpr std::string_view serial_series = "serial";
inline constexpr std::string_view tbb_series = "tbb";

// One timed repetition.
struct measured_run {
    double seconds = 0;
    // The runtime's counters after the run (weft rows only).
    std::optional<weft::runtime_stats> stats;
};

struct measured_row {
    series_kind kind = series_kind::weft;
    // A policy name (weft::to_string(scheduling_policy)) for weft rows; "serial" or "tbb" for
    // baseline rows.
    std::string series;
    std::size_t threads = 1;
    std::vector<measured_run> runs;
    // The trace file asked for with this row's first repetition ("" if none was asked for).
    std::string trace_path;
};

struct sweep_result {
    machine_facts machine;
    std::string workload;
    workload_sizes sizes;
    std::int64_t answer = 0;  // the checked result every run produced
    std::size_t repeat = 0;   // measured repetitions per row (each after one warm-up run)
    bool pin_workers = false;
    std::vector<measured_row> rows;
    // Things a reader of the table must know: skipped baselines, missing trace files.
    std::vector<std::string> notes;
};

}  // namespace weft::lab
