#pragma once
// weft::task<T>: a lazy coroutine that produces a T (or throws).
//
//     weft::task<int> answer() { co_return 42; }
//     weft::task<> caller() { int v = co_await answer(); }
//
// Lazy: calling `answer()` allocates the frame and stops before the first statement; nothing
// runs until the task is awaited, spawned, gathered or passed to `run`. A task is move-only and
// owns its frame: destroying an unstarted or finished task destroys the frame.
//
// `co_await t` stores the awaiting coroutine as the task's continuation and transfers control
// to the task (symmetric transfer: the awaiting frame is suspended, the task's frame resumed, in
// a tail call); when the task finishes, its final_suspend transfers back the same way. So a
// chain of awaits of any depth runs in constant stack.
//
// T may be void, a reference (the task returns the referent, the caller gets a T&) or a
// move-only type. A task is awaited once; awaiting an empty (moved-from) or finished task
// throws std::logic_error.
#include <coroutine>
#include <exception>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <weft/detail/task/fan_in_join.hpp>
#include <weft/detail/task/promise_base.hpp>
#include <weft/detail/task/root_state.hpp>

namespace weft {

template <class T = void>
class task;

namespace detail {

template <class T>
struct final_awaiter {
    bool await_ready() const noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> h) noexcept {
        promise_base& p = h.promise();
        switch (p.completion_) {
            case completion::fan_in_child:
                return p.target_.fan_in->child_done(p);
            case completion::root:
                return root_finished(*p.target_.root);
            case completion::resume_continuation:
                break;
        }
        return p.target_.continuation;
    }
    void await_resume() const noexcept {}
};

template <class T>
struct task_promise : promise_base {
    result_slot<T> result_;

    task<T> get_return_object() noexcept;
    final_awaiter<T> final_suspend() noexcept { return {}; }
    template <class U = T>
        requires std::is_convertible_v<U&&, T>
    void return_value(U&& v) {
        result_.emplace(std::forward<U>(v));
    }
    // Rethrows the task's exception, or hands out its result (moving it out).
    T take() {
        if (exception_) std::rethrow_exception(exception_);
        return result_.take();
    }
};

template <>
struct task_promise<void> : promise_base {
    task<void> get_return_object() noexcept;
    final_awaiter<void> final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void take() {
        if (exception_) std::rethrow_exception(exception_);
    }
};

// The error for a task that cannot be started; out of line and cold so that the check below,
// on every await, gather child and spawn, stays two inlined compares.
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_unstartable(std::coroutine_handle<> h, const char* what) {
    if (!h) throw std::logic_error(std::string(what) + ": the task is empty (moved-from)");
    throw std::logic_error(std::string(what) + ": the task already ran (a task runs once)");
}

// Checks that `h` can be started, naming the operation in the error.
inline void check_startable(std::coroutine_handle<> h, const char* what) {
    if (!h || h.done()) [[unlikely]]
        throw_unstartable(h, what);
}

struct task_access;

}  // namespace detail

template <class T>
class [[nodiscard]] task {
public:
    using value_type = T;
    using promise_type = detail::task_promise<T>;

    task() noexcept = default;
    task(task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    task& operator=(task&& other) noexcept {
        if (this != &other) {
            reset();
            handle_ = std::exchange(other.handle_, {});
        }
        return *this;
    }
    task(const task&) = delete;
    task& operator=(const task&) = delete;
    ~task() { reset(); }

    // False for a moved-from task.
    bool valid() const noexcept { return static_cast<bool>(handle_); }

    auto operator co_await() const& { return awaiter{handle_}; }
    auto operator co_await() const&& { return awaiter{handle_}; }

private:
    friend struct detail::task_access;
    friend promise_type;
    explicit task(std::coroutine_handle<promise_type> h) noexcept : handle_(h) {}

    void reset() noexcept {
        if (handle_) std::exchange(handle_, {}).destroy();
    }

    struct awaiter {
        std::coroutine_handle<promise_type> handle;
        bool await_ready() const {
            detail::check_startable(handle, "co_await weft::task");
            return false;
        }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
            handle.promise().target_.continuation = caller;
            handle.promise().cancel_ = detail::tls_cancel;  // same strand as the caller
            return handle;
        }
        T await_resume() {
            detail::tls_cancel = handle.promise().cancel_;
            return handle.promise().take();
        }
    };

    std::coroutine_handle<promise_type> handle_;
};

namespace detail {

template <class T>
task<T> task_promise<T>::get_return_object() noexcept {
    return task<T>(std::coroutine_handle<task_promise>::from_promise(*this));
}
inline task<void> task_promise<void>::get_return_object() noexcept {
    return task<void>(std::coroutine_handle<task_promise>::from_promise(*this));
}

// The runtime's access to a task's frame.
struct task_access {
    template <class T>
    static std::coroutine_handle<task_promise<T>> handle(const task<T>& t) noexcept {
        return t.handle_;
    }
    // Takes the frame out of `t`; the caller becomes responsible for destroying it (and has
    // already checked it with check_startable).
    template <class T>
    static std::coroutine_handle<task_promise<T>> release(task<T>& t) noexcept {
        return std::exchange(t.handle_, {});
    }
};

}  // namespace detail
}  // namespace weft
