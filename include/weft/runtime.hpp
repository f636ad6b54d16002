#pragma once
// weft::run and weft::runtime: where tasks run.
//
//     int main() { return weft::run(amain(), {.threads = 4}); }   // asyncio.run
//
// `run` starts a runtime whose worker 0 is the calling thread, runs `main` to completion,
// shuts down, and returns main's value or rethrows its exception. Shutdown destroys every task
// still pending (detached, sleeping) at its suspension point, with its destructors run. With
// `threads = 1` every task runs on the calling thread, and a program without timers runs in a
// deterministic order.
//
// `runtime` is for embedders: it owns its worker threads, and any thread that is not one of them
// can `block_on` a task or `spawn` one. Its destructor shuts down as `run` does.
#include <cstddef>
#include <optional>
#include <string_view>

#include <weft/spawn.hpp>
#include <weft/options.hpp>
#include <weft/stats.hpp>
#include <weft/task.hpp>

namespace weft {
namespace detail {

// Compiled in runtime/runtime.cpp. Both run the root `frame` to completion; they throw
// std::logic_error when called on a weft worker thread (a nested runtime would block it).
void run_main(const options& opts, std::coroutine_handle<> frame, promise_base& promise);
void block_on(scheduler& s, std::coroutine_handle<> frame, promise_base& promise);

}  // namespace detail

class runtime {
public:
    // Starts the worker threads. Throws std::invalid_argument for a bad thread count.
    explicit runtime(options opts = {});
    ~runtime();
    runtime(const runtime&) = delete;
    runtime& operator=(const runtime&) = delete;

    // Runs `t` on the workers and blocks the calling thread until it finishes; returns its value
    // or rethrows its exception. Must not be called from a weft worker thread (std::logic_error):
    // it would block that worker. Destroying the runtime while a block_on is pending is a
    // precondition violation (the blocked thread would never wake).
    template <class T>
    T block_on(task<T> t) {
        auto frame = detail::task_access::handle(t);
        detail::check_startable(frame, "weft::runtime::block_on");
        detail::block_on(*scheduler_, frame, frame.promise());
        return frame.promise().take();
    }

    // Schedules `t` from any thread, also threads that are not part of the runtime. Traces and
    // slow-poll logs call the task by its spawn site, or by `name` (see weft::spawn).
    template <class T>
    join_handle<T> spawn(task<T> t, spawn_site site = spawn_site::here()) {
        return detail::spawn_on(*scheduler_, t, site.file, site.line);
    }
    template <class T>
    join_handle<T> spawn(task<T> t, std::string_view name) {
        return detail::spawn_on(*scheduler_, t, detail::intern_task_name(name), 0);
    }

    std::size_t threads() const noexcept;

    // A snapshot of the workers' counters (see weft/stats.hpp). Any thread.
    runtime_stats stats() const;

private:
    detail::scheduler* scheduler_;
};

// asyncio.run: runs `main` on a new runtime and returns its value (or rethrows its exception).
template <class T>
T run(task<T> main, options opts = {}) {
    auto frame = detail::task_access::handle(main);
    detail::check_startable(frame, "weft::run");
    detail::run_main(opts, frame, frame.promise());
    return frame.promise().take();
}

// The index of the worker running the caller, or std::nullopt off the runtime.
inline std::optional<std::size_t> worker_index() noexcept {
    if (const detail::worker_context* w = detail::tls_worker) return w->index;
    return std::nullopt;
}

}  // namespace weft
