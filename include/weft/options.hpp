#pragma once
// weft::options: how a runtime is configured.
//
//     weft::run(main(), {.threads = 4});
//
// Later issues add fields (blocking pool, tracing, logging); designated initialisers keep
// existing code compiling as they arrive.
#include <cstddef>

namespace weft {

// The most worker threads a runtime accepts. Beyond this a thread count is almost certainly a
// mistake (a negative number converted to size_t, a typo), so it is reported, not obeyed.
inline constexpr std::size_t max_threads = 1024;

struct options {
    // Worker threads. 0 means: the WEFT_THREADS environment variable if it is set, otherwise
    // std::thread::hardware_concurrency(). Must be at most weft::max_threads.
    std::size_t threads = 0;
};

// The thread count `o` asks for, resolved as documented on options::threads.
// Throws std::invalid_argument naming the problem: a count above max_threads, or a WEFT_THREADS
// that is not a positive integer (the message quotes the variable and its value).
std::size_t resolve_threads(const options& o);

}  // namespace weft
