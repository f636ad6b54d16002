// observe: see what a runtime did -- named tasks, its statistics, and a trace for Perfetto.
//
//     weft::spawn(brew(i), "brew")            a named task; weft::spawn(brew(i)) would be
//                                             called by its spawn site ("observe.cpp:29")
//     {.trace_path = "weft-trace.json"}       a Chrome trace-event file, written at shutdown
//     rt.stats()                              per-worker counters, as a table or JSON
//
// Open the trace at https://ui.perfetto.dev (or chrome://tracing): one track per worker with a
// slice per task run, named after the task; arrows from each spawn to the task's first run (an
// arrow between two tracks is a steal); and each worker's queue depth. WEFT_TRACE=path does the
// same for a program that sets no trace_path.
//
// Slow polls are watched by default: a task that runs longer than options::slow_poll_threshold
// (100 ms) without suspending is logged at warn level with its name.
#include <weft/weft.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <vector>

weft::task<int> brew(int cup) {
    co_await weft::yield();
    co_return cup;
}

weft::task<int> serve(int cups) {
    std::vector<weft::join_handle<int>> handles;
    for (int i = 0; i < cups; ++i) handles.push_back(weft::spawn(brew(i), "brew"));
    int served = 0;
    for (auto& h : handles) served += (co_await h) == served ? 1 : 0;
    co_return served;
}

int main() {
    const std::filesystem::path trace = std::filesystem::temp_directory_path() / "weft-observe-example.json";
    int served = 0;
    {
        weft::runtime rt({.threads = 2, .trace_path = trace.string()});
        served = rt.block_on(serve(100));
        std::cout << rt.stats();  // a table: one row per worker, then the totals
    }  // the runtime shuts down here and writes the trace
    const auto bytes = std::filesystem::file_size(trace);
    std::printf("served %d cups; trace: %s (%ju bytes)\n", served, trace.string().c_str(),
                static_cast<std::uintmax_t>(bytes));
    std::filesystem::remove(trace);
    return served == 100 && bytes > 0 ? 0 : 1;
}
