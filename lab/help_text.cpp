// help_text and workload_list_text.
#include "help_text.hpp"

#include <algorithm>
#include <thread>

#include "cli_parser.hpp"
#include "workload.hpp"

namespace weft::lab {
namespace {

std::string join_threads(const std::vector<std::size_t>& counts) {
    std::string out;
    for (const std::size_t t : counts) out += (out.empty() ? "" : ",") + std::to_string(t);
    return out;
}

}  // namespace

std::string help_text() {
    const std::string threads_line = "  --threads 1,2,4      thread counts (default here: " +
                                     join_threads(default_thread_counts(std::thread::hardware_concurrency())) +
                                     ", up to the hardware threads)\n";
    return "weft-lab: parallelism experiments with the weft runtime (docs/lab.md)\n"
           "\n"
           "usage:\n"
           "  weft-lab run WORKLOAD [flags]   run a workload at several thread counts and policies; print a table\n"
           "  weft-lab report F.json [--plot F.svg] [--csv F]\n"
           "                                  print the table of a saved run again; re-plot it\n"
           "  weft-lab demo                   a one-minute tour: breakfast at 1 and N threads, a fib sweep\n"
           "  weft-lab list                   the workloads and their size flags\n"
           "  weft-lab help                   this text (also --help, -h)\n"
           "\n"
           "run flags:\n" +
           threads_line +
           "  --repeat N           timed runs per configuration, after one untimed warm-up (default 5)\n"
           "  --policy P,...       weft scheduling policies: work_stealing (default), steal_one,\n"
           "                       fifo_local, global_queue, tbb\n"
           "  --baseline B,...     also time the workload's serial and/or oneTBB version: serial, tbb\n"
           "  --csv F              write every row and repetition as CSV\n"
           "  --json F             write every row, repetition and runtime counter as JSON (weft-lab/1)\n"
           "  --plot F.svg         draw the speedup chart\n"
           "  --trace F.json       write a Perfetto trace of each configuration's first timed run\n"
           "                       (several configurations: F-<policy>-t<threads>.json)\n"
           "  --pin                pin weft's worker i to the i-th allowed CPU\n"
           "  --<size> N           the workload's size flags (weft-lab list)\n"
           "\n"
           "Each run uses a fresh runtime, and each result is checked. Exit status: 0 on success, 1 if a\n"
           "run failed or gave a wrong result, 2 for a usage error.\n";
}

std::string workload_list_text() {
    std::string out = "workloads (weft-lab run WORKLOAD [--<size> N ...]):\n";
    for (const workload& w : all_workloads()) {
        out += "\n" + std::string(w.name) + ": " + std::string(w.description) + "\n";
        std::size_t width = 0;
        for (const size_flag& f : w.flags)
            width = std::max(width, f.name.size() + 3 + std::to_string(f.default_value).size());
        for (const size_flag& f : w.flags) {
            const std::string usage = "--" + std::string(f.name) + " " + std::to_string(f.default_value);
            out += "    " + usage + std::string(width - usage.size() + 2, ' ') + std::string(f.help) + " (" +
                   std::to_string(f.min) + " to " + std::to_string(f.max) + ")\n";
        }
        if (!w.no_serial.empty()) out += "    baseline serial: " + std::string(w.no_serial) + "\n";
        if (!w.no_tbb.empty()) out += "    baseline tbb: " + std::string(w.no_tbb) + "\n";
    }
    return out;
}

}  // namespace weft::lab
