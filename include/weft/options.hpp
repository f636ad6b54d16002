#pragma once
// weft::options: how a runtime is configured.
//
//     weft::run(main(), {.threads = 4});
//
// Designated initialisers name only the fields that differ from the defaults, so code keeps
// compiling as fields are added.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weft {

// The most worker threads a runtime accepts. Beyond this a thread count is almost certainly a
// mistake (a negative number converted to size_t, a typo), so it is reported, not obeyed.
inline constexpr std::size_t max_threads = 1024;

// How workers find work (options::policy). Every policy runs the same coroutine code to the same
// results; they differ only in which worker runs what, and when -- which is what experiments
// with weft-lab compare (docs/lab.md).
enum class scheduling_policy : std::uint8_t {
    // Each worker pops its own deque LIFO; an idle worker steals half of a random victim's
    // deque (oldest first), as Tokio and Go do.
    work_stealing,
    // As work_stealing, but a thief takes one task per steal (Cilk, libfork, oneTBB).
    steal_one,
    // As work_stealing, but each worker takes its own work oldest-first (FIFO).
    fifo_local,
    // No per-worker deques and no stealing: every task goes through one shared locked queue.
    // The baseline that shows what work stealing buys.
    global_queue,
    // Tasks run on a oneTBB task_arena of `threads` slots: oneTBB's scheduler, weft's tasks.
    tbb,
};

// "work_stealing", "steal_one", "fifo_local", "global_queue", "tbb".
std::string_view to_string(scheduling_policy p) noexcept;
// The policy named `name` (as to_string spells it), or std::nullopt.
std::optional<scheduling_policy> parse_scheduling_policy(std::string_view name) noexcept;

// The runtime's log levels (spdlog's, which weft logs through).
enum class log_level : std::uint8_t { trace, debug, info, warn, error, critical, off };

struct options {
    // Worker threads. 0 means: the WEFT_THREADS environment variable if it is set, otherwise
    // std::thread::hardware_concurrency(). Must be at most weft::max_threads.
    std::size_t threads = 0;

    // How long shutdown lets cancelled tasks unwind. When `run`'s main task finishes (or a
    // `runtime` is destroyed) every task still pending is cancelled; shutdown waits for them to
    // finish, at most this long, then destroys those left at their suspension points.
    std::chrono::milliseconds shutdown_grace{1000};

    // Most threads the spawn_blocking pool runs at once (further calls queue). 0 means the
    // default, weft::default_max_blocking_threads.
    std::size_t max_blocking_threads = 0;

    // Which scheduler runs the tasks (see scheduling_policy).
    scheduling_policy policy = scheduling_policy::work_stealing;

    // Pin worker i to the i-th CPU this process may run on (sched_getaffinity). Construction
    // throws std::invalid_argument when there are fewer such CPUs than workers.
    bool pin_workers = false;

    // Where to write a Chrome trace-event JSON file (opens in Perfetto) when the runtime shuts
    // down. Empty means: the WEFT_TRACE environment variable if it is set, otherwise no trace.
    std::string trace_path{};

    // The least severe message the runtime logs. Unset means: the WEFT_LOG environment variable
    // if it is set, otherwise warn.
    std::optional<weft::log_level> log_level{};

    // A task that runs longer than this without suspending is logged as a slow poll, with its
    // name and how long it held its worker (asyncio's debug mode). Zero turns the check off.
    std::chrono::milliseconds slow_poll_threshold{100};
};

// spawn_blocking's default thread cap: 512, Tokio's default (`max_blocking_threads`). Blocking
// calls mostly wait (files, DNS, legacy APIs), so the cap is about memory, not cores.
inline constexpr std::size_t default_max_blocking_threads = 512;

// The thread count `o` asks for, resolved as documented on options::threads.
// Throws std::invalid_argument naming the problem: a count above max_threads, or a WEFT_THREADS
// that is not a positive integer (the message quotes the variable and its value).
std::size_t resolve_threads(const options& o);

}  // namespace weft
