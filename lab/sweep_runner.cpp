// run_sweep: timing the workload's weft, serial and oneTBB versions.
#include "sweep_runner.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <weft/runtime.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <optional>

#include "cli_values.hpp"
#include "errors.hpp"

namespace weft::lab {
namespace {

using run_clock = std::chrono::steady_clock;

// An empty task: block_on of it returns once a worker is up and running tasks.
weft::task<> nothing() { co_return; }

// The counters `after` minus those already in `before` (per worker); the runtime-wide numbers
// of `after`.
weft::runtime_stats counters_between(const weft::runtime_stats& before, weft::runtime_stats after) {
    for (std::size_t i = 0; i < after.workers.size() && i < before.workers.size(); ++i) {
        weft::worker_stats& a = after.workers[i];
        const weft::worker_stats& b = before.workers[i];
        a.polled -= b.polled;
        a.spawned -= b.spawned;
        a.steal_attempts -= b.steal_attempts;
        a.steals -= b.steals;
        a.tasks_stolen -= b.tasks_stolen;
        a.stolen_from -= b.stolen_from;
        a.injected_taken -= b.injected_taken;
        a.parks -= b.parks;
        a.wakeups -= b.wakeups;
        // Busy time is the one derived counter: a snapshot taken as a worker parks may count the
        // park's first moments as busy, which the next snapshot no longer does, so a difference
        // can come out slightly negative. Clamp it; "busy" cannot be less than nothing.
        a.busy_time = std::max(a.busy_time - b.busy_time, std::chrono::nanoseconds::zero());
    }
    return after;
}

double seconds_since(run_clock::time_point start) {
    return std::chrono::duration<double>(run_clock::now() - start).count();
}

std::string configuration(std::string_view series, std::size_t threads) {
    return std::string(series) + ", " + std::to_string(threads) + (threads == 1 ? " thread" : " threads");
}

// The state of one sweep: the request, the prepared workload, and how far it has got.
class sweep {
public:
    sweep(const run_request& request, const progress_callback& progress)
        : request_(request),
          progress_(progress),
          instance_(request.work->make(request.sizes)),
          answer_(instance_->expected()) {
        std::size_t configurations = request.policies.size() * request.threads.size();
        for (baseline b : request.baselines) {
            if (b == baseline::serial && request.work->no_serial.empty()) configurations += 1;
            if (b == baseline::tbb && request.work->no_tbb.empty()) configurations += request.threads.size();
        }
        total_runs_ = configurations * (request.repeat + 1);
    }

    std::int64_t answer() const noexcept { return answer_; }

    // Runs one configuration: a warm-up, then `repeat` timed runs. `once(rep)` runs it once;
    // rep 0 is the warm-up.
    template <class Once>
    measured_row measure(series_kind kind, std::string_view series, std::size_t threads, Once once) {
        measured_row row{kind, std::string(series), threads, {}, {}};
        for (std::size_t rep = 0; rep <= request_.repeat; ++rep) {
            if (progress_) {
                const std::string step =
                    rep == 0 ? "warm-up" : "run " + std::to_string(rep) + " of " + std::to_string(request_.repeat);
                progress_("[" + std::to_string(++runs_started_) + "/" + std::to_string(total_runs_) + "] " +
                          std::string(request_.work->name) + " " + configuration(series, threads) + ": " + step);
            }
            measured_run run = once(rep);
            if (rep > 0) row.runs.push_back(std::move(run));
        }
        return row;
    }

    measured_run weft_once(weft::scheduling_policy policy, std::size_t threads, const std::string& trace_path) {
        weft::options o;
        o.threads = threads;
        o.policy = policy;
        o.pin_workers = request_.pin;
        o.trace_path = trace_path;
        // The workloads hold their worker on purpose (a whole fib tree can be one poll); the
        // slow-poll log would only add noise to the measurement.
        o.slow_poll_threshold = std::chrono::milliseconds::zero();
        const std::string_view name = weft::to_string(policy);
        std::optional<weft::runtime> rt;
        try {
            rt.emplace(o);
        } catch (const std::exception& e) {
            throw lab_error("cannot start a weft runtime with policy " + std::string(name) + " and " +
                            std::to_string(threads) + " thread(s): " + e.what());
        }
        // The clock starts once the runtime runs tasks: a new worker thread may take a scheduler
        // time slice to get going, which is not the workload's time.
        rt->block_on(nothing());
        const weft::runtime_stats before = rt->stats();
        weft::task<std::int64_t> work = instance_->run_weft();
        measured_run run;
        const auto start = run_clock::now();
        const std::int64_t value = guarded(name, threads, [&] { return rt->block_on(std::move(work)); });
        run.seconds = seconds_since(start);
        run.stats = counters_between(before, rt->stats());
        rt.reset();  // shutdown, which writes the trace
        check(name, threads, value);
        return run;
    }

    measured_run serial_once() {
        measured_run run;
        const auto start = run_clock::now();
        const std::int64_t value = guarded(serial_series, 1, [&] { return instance_->run_serial(); });
        run.seconds = seconds_since(start);
        check(serial_series, 1, value);
        return run;
    }

    measured_run tbb_once(std::size_t threads) {
        // oneTBB caps its worker threads at the hardware concurrency unless told otherwise.
        const tbb::global_control allow(tbb::global_control::max_allowed_parallelism, threads);
        tbb::task_arena arena(static_cast<int>(threads));
        arena.initialize();
        measured_run run;
        std::int64_t value = 0;
        const auto start = run_clock::now();
        guarded(tbb_series, threads, [&] {
            arena.execute([&] { value = instance_->run_tbb(); });
            return value;
        });
        run.seconds = seconds_since(start);
        check(tbb_series, threads, value);
        return run;
    }

private:
    // Runs `f`, turning an exception into a lab_error that says where it happened.
    template <class F>
    std::int64_t guarded(std::string_view series, std::size_t threads, F f) {
        try {
            return f();
        } catch (const std::exception& e) {
            throw lab_error(std::string(request_.work->name) + " (" + configuration(series, threads) +
                            ") threw: " + e.what());
        }
    }

    void check(std::string_view series, std::size_t threads, std::int64_t value) const {
        if (value != answer_)
            throw lab_error(std::string(request_.work->name) + " (" + configuration(series, threads) +
                            "): wrong result " + std::to_string(value) + ", expected " + std::to_string(answer_));
    }

    const run_request& request_;
    const progress_callback& progress_;
    std::unique_ptr<workload_instance> instance_;
    std::int64_t answer_;
    std::size_t total_runs_ = 0;
    std::size_t runs_started_ = 0;
};

}  // namespace

std::string trace_file_for(const std::string& path, bool single_configuration, std::string_view policy,
                           std::size_t threads) {
    if (single_configuration) return path;
    std::string base = path;
    if (base.ends_with(".json")) base.resize(base.size() - 5);
    return base + "-" + std::string(policy) + "-t" + std::to_string(threads) + ".json";
}

sweep_result run_sweep(const run_request& request, machine_facts machine, const progress_callback& progress) {
    sweep_result result;
    result.machine = std::move(machine);
    result.workload = request.work->name;
    result.sizes = request.sizes;
    result.repeat = request.repeat;
    result.pin_workers = request.pin;

    sweep s(request, progress);
    result.answer = s.answer();

    const bool single = request.policies.size() * request.threads.size() == 1;
    for (weft::scheduling_policy policy : request.policies) {
        const std::string_view name = weft::to_string(policy);
        for (std::size_t threads : request.threads) {
            const std::string trace =
                request.trace_path.empty() ? std::string() : trace_file_for(request.trace_path, single, name, threads);
            measured_row row = s.measure(series_kind::weft, name, threads, [&](std::size_t rep) {
                return s.weft_once(policy, threads, rep == 1 ? trace : std::string());
            });
            row.trace_path = trace;
            if (!trace.empty() && !std::filesystem::exists(trace))
                result.notes.push_back("no trace at " + trace +
                                       ": this build of weft wrote none (options::trace_path)");
            result.rows.push_back(std::move(row));
        }
    }

    for (baseline b : request.baselines) {
        const std::string_view why_not = b == baseline::serial ? request.work->no_serial : request.work->no_tbb;
        if (!why_not.empty()) {
            result.notes.push_back(std::string(to_string(b)) + " baseline " + std::string(why_not));
            continue;
        }
        if (b == baseline::serial) {
            result.rows.push_back(
                s.measure(series_kind::baseline, serial_series, 1, [&](std::size_t) { return s.serial_once(); }));
            continue;
        }
        for (std::size_t threads : request.threads)
            result.rows.push_back(s.measure(series_kind::baseline, tbb_series, threads,
                                            [&](std::size_t) { return s.tbb_once(threads); }));
        if (request.pin) result.notes.push_back("--pin pins weft's workers only; the tbb baseline ran unpinned");
    }
    return result;
}

}  // namespace weft::lab
