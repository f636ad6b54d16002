// configure: choosing the number of worker threads, and what happens with bad input.
//
// options::threads = 0 (the default) means: the WEFT_THREADS environment variable if it is set,
// otherwise std::thread::hardware_concurrency(). weft::resolve_threads shows the count a
// runtime would start with. Bad input is an error (std::invalid_argument), never a guess.
#include <weft/weft.hpp>

#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>

weft::task<std::size_t> which_worker() { co_return weft::worker_index().value(); }

int main() {
    // Keep the caller's WEFT_THREADS, if any, to restore it at the end.
    const char* inherited = std::getenv("WEFT_THREADS");
    const std::optional<std::string> saved = inherited ? std::optional<std::string>(inherited) : std::nullopt;
    int failures = 0;

    // An explicit count wins over everything else.
    std::printf("%-24s -> %zu\n", "{.threads = 3}", weft::resolve_threads({.threads = 3}));

    // The default: WEFT_THREADS, else the hardware.
    ::unsetenv("WEFT_THREADS");
    std::printf("%-24s -> %zu (hardware_concurrency)\n", "default, no WEFT_THREADS", weft::resolve_threads({}));
    ::setenv("WEFT_THREADS", "2", 1);
    std::printf("%-24s -> %zu\n", "default, WEFT_THREADS=2", weft::resolve_threads({}));
    failures += weft::resolve_threads({}) != 2;

    // threads = 1: every task runs on the thread that called run, as worker 0.
    failures += weft::run(which_worker(), {.threads = 1}) != 0;

    // Errors: a count above weft::max_threads (often a negative number converted to size_t) ...
    try {
        weft::run(which_worker(), {.threads = static_cast<std::size_t>(-1)});
        ++failures;
    } catch (const std::invalid_argument& e) {
        std::printf("error: %s\n", e.what());
    }
    // ... and a WEFT_THREADS that is not a positive integer up to weft::max_threads.
    for (const char* bad : {"0", "four", "4 ", "2000"}) {
        ::setenv("WEFT_THREADS", bad, 1);
        try {
            weft::runtime rt;
            ++failures;
        } catch (const std::invalid_argument& e) {
            std::printf("error: %s\n", e.what());
        }
    }

    if (saved) ::setenv("WEFT_THREADS", saved->c_str(), 1);
    else ::unsetenv("WEFT_THREADS");
    return failures;
}
