#pragma once
// weft::options: how a runtime is configured.
//
//     weft::run(main(), {.threads = 4});
//
// Later issues add fields (blocking pool, tracing, logging); designated initialisers keep
// existing code compiling as they arrive.
#include <chrono>
#include <cstddef>

namespace weft {

// The most worker threads a runtime accepts. Beyond this a thread count is almost certainly a
// mistake (a negative number converted to size_t, a typo), so it is reported, not obeyed.
inline constexpr std::size_t max_threads = 1024;

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
};

// spawn_blocking's default thread cap: 512, Tokio's default (`max_blocking_threads`). Blocking
// calls mostly wait (files, DNS, legacy APIs), so the cap is about memory, not cores.
inline constexpr std::size_t default_max_blocking_threads = 512;

// The thread count `o` asks for, resolved as documented on options::threads.
// Throws std::invalid_argument naming the problem: a count above max_threads, or a WEFT_THREADS
// that is not a positive integer (the message quotes the variable and its value).
std::size_t resolve_threads(const options& o);

}  // namespace weft
