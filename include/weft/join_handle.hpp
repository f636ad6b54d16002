#pragma once
// weft::spawn and weft::join_handle<T>: asyncio.create_task.
//
//     weft::join_handle<int> h = weft::spawn(brew_coffee());   // scheduled now, returns at once
//     ...                                                      // the caller goes on meanwhile
//     int cups = co_await h;                                    // its result, or its exception
//
// `spawn` makes the task a root: it runs on its own, independent of the caller's frame, and may
// run on any worker. The handle is how you get its result. Dropping the handle detaches the
// task: it keeps running, its result is discarded, and an exception nobody retrieved is logged
// (asyncio's "Task exception was never retrieved"). At runtime shutdown, a task that has not
// finished is cancelled, and destroyed at its suspension point if it has not unwound within the
// grace period (options::shutdown_grace).
//
// `h.cancel()` requests cancellation: the task throws weft::cancelled at its next checkpoint (at
// once if it is suspended in one), and `co_await h` then throws weft::cancelled. Awaiting a
// handle is itself a checkpoint; cancelling the awaiter stops the wait, not the awaited task
// (a spawned task is independent: cancel it through its handle).
//
// Because the task may run on another thread and outlive the caller's frame, everything it
// uses must be owned by it: pass arguments by value (see docs/pitfalls.md).
//
// Names. `weft::spawn(t, "fetch")` names the task; traces (options::trace_path) and slow-poll
// logs call it by that name, and an unnamed task by its spawn site ("main.cpp:42"). Naming costs
// a lookup in a process-wide table of names (taken once per distinct name and thread in a row),
// so name kinds of tasks, not each one: "fetch", not "fetch " + url.
#include <atomic>
#include <coroutine>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <weft/detail/root_state.hpp>
#include <weft/detail/worker_context.hpp>
#include <weft/task.hpp>

namespace weft {

class task_group;
template <class T>
class join_handle;

namespace detail {
template <class T>
join_handle<T> spawn_on(scheduler& s, task<T>& t, const char* label, std::uint32_t line);
}  // namespace detail

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

template <class T = void>
class join_handle {
public:
    join_handle() noexcept = default;
    join_handle(join_handle&& other) noexcept
        : state_(std::exchange(other.state_, nullptr)), taken_(other.taken_) {}
    join_handle& operator=(join_handle&& other) noexcept {
        if (this != &other) {
            reset();
            state_ = std::exchange(other.state_, nullptr);
            taken_ = other.taken_;
        }
        return *this;
    }
    join_handle(const join_handle&) = delete;
    join_handle& operator=(const join_handle&) = delete;
    ~join_handle() { reset(); }

    // True once the task has finished (with a result or an exception).
    bool done() const noexcept {
        // acquire: pairs with the exchange to `done` in root_finished, so a true answer also
        // means the result is visible.
        return state_ != nullptr && state_->state_.load(std::memory_order_acquire) == detail::root_state::done;
    }

    // False for a moved-from handle.
    bool valid() const noexcept { return state_ != nullptr; }

    // Requests cancellation of the task (a no-op once it finished). Any thread. Throws
    // std::logic_error on an empty handle.
    void cancel() const {
        if (state_ == nullptr) throw std::logic_error("weft::join_handle::cancel: the handle is empty (moved-from)");
        detail::request_cancel(state_->node);
    }

    auto operator co_await() & noexcept { return awaiter(this); }
    auto operator co_await() && noexcept { return awaiter(this); }

private:
    template <class U>
    friend join_handle<U> detail::spawn_on(detail::scheduler&, task<U>&, const char*, std::uint32_t);
    friend class task_group;
    explicit join_handle(detail::root_state* s) noexcept : state_(s) {}

    typename task<T>::promise_type& promise() const noexcept {
        using handle = std::coroutine_handle<typename task<T>::promise_type>;
        return handle::from_address(state_->frame_.address()).promise();
    }

    void reset() noexcept {
        if (state_ != nullptr) detail::drop_root_handle(*std::exchange(state_, nullptr), taken_);
    }

    struct awaiter : detail::cancel_waiter {
        explicit awaiter(join_handle* h) noexcept : self(h) {}
        join_handle* self;
        std::coroutine_handle<> caller;

        bool await_ready() {
            if (self->state_ == nullptr)
                throw std::logic_error("co_await weft::join_handle: the handle is empty (moved-from)");
            if (self->taken_)
                throw std::logic_error("co_await weft::join_handle: awaited twice (its result was already taken)");
            if (self->state_->abandoned_)
                throw std::logic_error(
                    "co_await weft::join_handle: the task was destroyed at runtime shutdown before it finished");
            detail::check_cancelled();
            // await_resume makes this node current again, also when there is no suspension.
            node = detail::tls_cancel;
            return self->done();
        }
        bool await_suspend(std::coroutine_handle<> h) {
            caller = h;
            return detail::suspend_cancellable(*this, &abort_wait, [&] {
                std::uintptr_t expected = detail::root_state::running;
                // acq_rel: release publishes the caller's frame to root_finished, which resumes
                // it; on failure acquire pairs with root_finished's exchange (or the other
                // waiter's CAS).
                if (self->state_->state_.compare_exchange_strong(expected,
                                                                 reinterpret_cast<std::uintptr_t>(h.address()),
                                                                 std::memory_order_acq_rel, std::memory_order_acquire))
                    return true;
                if (expected != detail::root_state::done)
                    throw std::logic_error("co_await weft::join_handle: awaited by two tasks at once");
                return false;
            });
        }
        T await_resume() {
            detail::resume_cancellable(*this);
            self->taken_ = true;
            return self->promise().take();
        }

        // The caller was cancelled: take its address back out of the state word, unless the
        // task finished first (root_finished then resumes the caller itself).
        static std::coroutine_handle<> abort_wait(detail::cancel_waiter& w) noexcept {
            auto& a = static_cast<awaiter&>(w);
            auto expected = reinterpret_cast<std::uintptr_t>(a.caller.address());
            // acquire: pairs with root_finished's exchange when it loses; relaxed would do for
            // the winner, which only restores `running`.
            if (a.self->state_->state_.compare_exchange_strong(expected, detail::root_state::running,
                                                               std::memory_order_acquire))
                return a.caller;
            return {};
        }
    };

    detail::root_state* state_ = nullptr;
    bool taken_ = false;
};

namespace detail {

// `label` and `line` name the task (detail/root_state.hpp): an interned name and 0, or the spawn
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
