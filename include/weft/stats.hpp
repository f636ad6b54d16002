#pragma once
// weft::runtime_stats: what a runtime's workers have done, as a snapshot.
//
//     weft::runtime rt({.threads = 4});
//     rt.block_on(work());
//     std::cout << rt.stats();          // a table, one row per worker
//     save(rt.stats().to_json());       // the same numbers as JSON
//
// Inside a task, weft::current_stats() takes the snapshot of the runtime running it.
//
// The counters cost nothing shared on the hot path: each worker writes only its own (a relaxed
// load and store, no read-modify-write), and a snapshot reads them relaxed. A snapshot taken
// while the runtime runs is therefore approximate (each counter is exact, but they are read at
// slightly different moments); one taken after the work finished is exact.
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include <weft/options.hpp>

namespace weft {

struct worker_stats {
    // Tasks the worker's loop resumed (a task resumed directly by another -- a gather's inline
    // chain, a finished child resuming its parent -- runs within the poll that resumed it).
    std::uint64_t polled = 0;
    // weft::spawn calls made by tasks running on this worker.
    std::uint64_t spawned = 0;
    // Deques this worker tried to steal from, steals that got work, and the tasks they got.
    std::uint64_t steal_attempts = 0;
    std::uint64_t steals = 0;
    std::uint64_t tasks_stolen = 0;
    // Tasks other workers stole from this worker's deque. Summed over the workers this equals
    // the sum of tasks_stolen.
    std::uint64_t stolen_from = 0;
    // Tasks taken from the runtime's shared injection queue (remote spawns, timer and I/O
    // wake-ups, yields, and every task under scheduling_policy::global_queue).
    std::uint64_t injected_taken = 0;
    // Times the worker went to sleep for lack of work, and times it was woken.
    std::uint64_t parks = 0;
    std::uint64_t wakeups = 0;
    // Time the worker spent outside park(): running tasks and looking for them.
    std::chrono::nanoseconds busy_time{0};

    worker_stats& operator+=(const worker_stats& other) noexcept;
};

struct runtime_stats {
    scheduling_policy policy = scheduling_policy::work_stealing;
    std::vector<worker_stats> workers;
    // Spawned tasks (weft::spawn, runtime::spawn, task_group::spawn) that have not finished.
    std::uint64_t live_tasks = 0;
    // Tasks spawned from threads that are not this runtime's workers (runtime::spawn).
    std::uint64_t spawned_remotely = 0;
    // Detached tasks that failed with nobody to take the exception (each is also logged).
    std::uint64_t unobserved_failures = 0;
    // sleep_for / timeout timers registered and not yet fired or cancelled.
    std::uint64_t pending_timers = 0;

    // The workers' counters added up.
    worker_stats total() const noexcept;
    // An aligned text table: one row per worker, then the total and the runtime-wide counters.
    std::string to_table() const;
    // {"policy": ..., "live_tasks": ..., "spawned_remotely": ..., "unobserved_failures": ...,
    //  "pending_timers": ..., "workers": [{"polled": ..., ..., "busy_ns": ...}, ...]}
    std::string to_json() const;
};

// Writes to_table().
std::ostream& operator<<(std::ostream& out, const runtime_stats& s);

// The snapshot of the runtime running the caller. Throws std::logic_error off a weft runtime.
runtime_stats current_stats();

}  // namespace weft
