#pragma once
// weft::spawn: asyncio.create_task.
//
//     weft::join_handle<int> h = weft::spawn(brew_coffee());   // scheduled now, returns at once
//     ...                                                      // the caller goes on meanwhile
//     int cups = co_await h;                                    // its result, or its exception
//
// `spawn` makes the task a root: it runs on its own, independent of the caller's frame, and may
// run on any worker. The join handle (<weft/join_handle.hpp>) is how you get its result. At
// runtime shutdown, a task that has not finished is cancelled, and destroyed at its suspension
// point if it has not unwound within the grace period (options::shutdown_grace).
//
// Because the task may run on another thread and outlive the caller's frame, everything it
// uses must be owned by it: pass arguments by value (see docs/pitfalls.md).
//
// Names. `weft::spawn(t, "fetch")` names the task; traces (options::trace_path) and slow-poll
// logs call it by that name, and an unnamed task by its spawn site ("main.cpp:42"). Naming costs
// a lookup in a process-wide table of names (taken once per distinct name and thread in a row),
// so name kinds of tasks, not each one: "fetch", not "fetch " + url.
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include <weft/detail/scheduler/worker_context.hpp>
#include <weft/detail/task/root_state.hpp>
#include <weft/join_handle.hpp>
#include <weft/task.hpp>

namespace weft {

// Where a spawn was called: the caller's file and line, which name an unnamed task. A defaulted
// `spawn_site site = spawn_site::here()` parameter captures its caller's site the way
// std::source_location::current() does (through the builtins both g++ and clang provide, since
// clang 14 with libstdc++ 12 has no std::source_location). A function that wraps spawn can
// take such a parameter itself and pass it on, so tasks are named after the wrapper's caller.
struct spawn_site {
    static constexpr spawn_site here(const char* file = __builtin_FILE(),
                                     std::uint32_t line = __builtin_LINE()) noexcept {
        return {file, line};
    }
    const char* file;  // a string literal: it lives as long as the program
    std::uint32_t line;
};

namespace detail {

// `label` and `line` name the task (detail/task/root_state.hpp): an interned name and 0, or the spawn
// site's file and line.
template <class T>
join_handle<T> spawn_on(scheduler& s, task<T>& t, const char* label, std::uint32_t line) {
    check_startable(task_access::handle(t), "weft::spawn");  // before allocating: t keeps its frame if it throws
    auto* root = new root_state(root_state::kind::spawned, s, label, line);
    auto frame = task_access::release(t);
    root->frame_ = frame;
    root->promise_ = &frame.promise();
    frame.promise().completion_ = completion::root;
    frame.promise().target_.root = root;
    schedule_root(s, *root);  // also sets the task's cancel node
    return join_handle<T>(root);
}

[[noreturn, gnu::cold, gnu::noinline]] inline void throw_spawn_off_runtime() {
    throw std::logic_error(
        "weft::spawn: no current runtime (call it from a task running on weft, or use weft::runtime::spawn)");
}

// The scheduler of the worker running the caller, for weft::spawn.
inline scheduler& spawn_scheduler() {
    worker_context* w = tls_worker;
    if (w == nullptr) [[unlikely]]
        throw_spawn_off_runtime();
    return *w->sched;
}

}  // namespace detail

// Schedules `t` on the runtime running the caller and returns its handle at once. Traces and
// slow-poll logs call the task by its spawn site. Throws std::logic_error when called off a weft
// runtime (use weft::runtime::spawn there).
template <class T>
join_handle<T> spawn(task<T> t, spawn_site site = spawn_site::here()) {
    return detail::spawn_on(detail::spawn_scheduler(), t, site.file, site.line);
}

// The same, naming the task `name` (see "Names" above).
template <class T>
join_handle<T> spawn(task<T> t, std::string_view name) {
    detail::scheduler& s = detail::spawn_scheduler();
    return detail::spawn_on(s, t, detail::intern_task_name(name), 0);
}

}  // namespace weft
