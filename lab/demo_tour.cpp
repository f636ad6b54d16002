// run_demo: breakfast at 1 and N threads, then a fib sweep with its table and chart.
#include "demo_tour.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <thread>

#include "lab_main.hpp"
#include "progress_line.hpp"
#include "result_table.hpp"
#include "sweep_metrics.hpp"
#include "sweep_runner.hpp"

namespace weft::lab {
namespace {

// The median of the row of `kind`/`series` at `threads`, in milliseconds.
double median_ms(const sweep_result& r, series_kind kind, std::string_view series, std::size_t threads) {
    for (const measured_row& row : r.rows) {
        if (row.kind != kind || row.series != series || row.threads != threads) continue;
        std::vector<double> times;
        for (const measured_run& run : row.runs) times.push_back(run.seconds);
        return median(times) * 1e3;
    }
    return 0;
}

std::string line(const char* label, double ms, const char* comment) {
    char text[200];
    std::snprintf(text, sizeof text, "   %-34s %7.0f ms   %s\n", label, ms, comment);
    return text;
}

void breakfast(std::size_t n, const std::string& command_line, progress_line& progress, std::ostream& out) {
    run_request r;
    r.work = find_workload("breakfast");
    r.sizes = r.work->default_sizes();
    r.threads = {1, n};
    r.repeat = 1;
    r.baselines = {baseline::serial};
    const sweep_result result = run_sweep(r, current_machine_facts(command_line),
                                          [&progress](const std::string& step) { progress.update(step); });
    progress.finish();

    const workload_sizes& s = r.sizes;
    out << "1. Breakfast for " << s.get("guests") << " guests. Each gets a coffee (brewing sleeps "
        << s.get("coffee-ms") << " ms), a bagel\n   (toasting sleeps " << s.get("bagel-ms")
        << " ms) and a hand-squeezed juice (CPU work: fib(" << s.get("juice")
        << ") by plain recursion).\n   The weft version gathers each guest's three jobs and serves "
        << "all guests at once.\n\n";
    const std::string n_threads = "weft, " + std::to_string(n) + " threads";
    const std::string_view policy = weft::to_string(r.policies.front());
    out << line("plain serial code", median_ms(result, series_kind::baseline, serial_series, 1),
                "one thing after another")
        << line("weft, 1 thread", median_ms(result, series_kind::weft, policy, 1),
                "sleeping tasks hold no thread: the waits overlap (concurrency)")
        << line(n_threads.c_str(), median_ms(result, series_kind::weft, policy, n),
                "the juices are squeezed at the same time too (parallelism)")
        << "\n";
}

void fib_sweep(const std::string& command_line, progress_line& progress, std::ostream& out) {
    run_request r;
    r.work = find_workload("fib");
    r.sizes = r.work->default_sizes();
    r.threads = default_thread_counts(std::thread::hardware_concurrency());
    r.repeat = 3;
    r.baselines = {baseline::serial, baseline::tbb};
    const sweep_result result = run_sweep(r, current_machine_facts(command_line),
                                          [&progress](const std::string& step) { progress.update(step); });
    progress.finish();

    out << "2. Scaling: fib(" << r.sizes.get("n") << ") forks a task at every call, at each thread count, "
        << "with the plain\n   recursive function (serial) and oneTBB's task_group (tbb) for comparison.\n\n";
    out << render_table(result) << "\n";
    out << "   speedup: median at 1 thread / median at this count (ideal: the thread count).\n"
        << "   vs serial: weft's time / the plain function's: what a task costs over a call.\n"
        << "   vs tbb: weft's time / oneTBB's at the same thread count (below 1: weft is faster).\n"
        << "   steals/1k: tasks idle workers stole per 1,000 scheduler polls (0: no stealing).\n\n";
    write_result_files(result, {}, {}, demo_chart_path, out);
    out << "More: weft-lab list, weft-lab help, docs/lab.md.\n";
}

}  // namespace

int run_demo(const std::string& command_line, std::ostream& out) {
    const std::size_t n = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 2, weft::max_threads);
    progress_line progress;
    out << "weft-lab demo: concurrency, parallelism and scaling on this machine ("
        << std::thread::hardware_concurrency() << " hardware threads)\n\n";
    out.flush();
    breakfast(n, command_line, progress, out);
    out.flush();
    fib_sweep(command_line, progress, out);
    return 0;
}

}  // namespace weft::lab
