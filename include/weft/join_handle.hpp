#pragma once
// weft::join_handle<T>: the handle of a spawned task (asyncio.Task, tokio::task::JoinHandle).
//
//     weft::join_handle<int> h = weft::spawn(brew_coffee());   // <weft/spawn.hpp>
//     int cups = co_await h;                                    // its result, or its exception
//
// The handle is how you get a spawned task's result. Dropping it detaches the task: it keeps
// running, its result is discarded, and an exception nobody retrieved is logged (asyncio's
// "Task exception was never retrieved").
//
// `h.cancel()` requests cancellation: the task throws weft::cancelled at its next checkpoint (at
// once if it is suspended in one), and `co_await h` then throws weft::cancelled. Awaiting a
// handle is itself a checkpoint; cancelling the awaiter stops the wait, not the awaited task
// (a spawned task is independent: cancel it through its handle). A handle is awaited once, by
// one task at a time: a second await, or two tasks awaiting it at once, is std::logic_error.
//
// A handle may outlive its runtime: done() and dropping it stay valid; awaiting it then throws
// std::logic_error if the task was destroyed at shutdown before it finished.
#include <atomic>
#include <coroutine>
#include <cstdint>
#include <stdexcept>
#include <utility>

#include <weft/detail/task/root_state.hpp>
#include <weft/task.hpp>

namespace weft {

class task_group;
template <class T>
class join_handle;

namespace detail {
template <class T>
join_handle<T> spawn_on(scheduler& s, task<T>& t, const char* label, std::uint32_t line);
}  // namespace detail

template <class T = void>
class join_handle {
public:
    join_handle() noexcept = default;
    join_handle(join_handle&& other) noexcept
        : root_(std::exchange(other.root_, nullptr)), taken_(other.taken_) {}
    join_handle& operator=(join_handle&& other) noexcept {
        if (this != &other) {
            reset();
            root_ = std::exchange(other.root_, nullptr);
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
        return root_ != nullptr && root_->join_word_.load(std::memory_order_acquire) == detail::root_state::done;
    }

    // False for a moved-from handle.
    bool valid() const noexcept { return root_ != nullptr; }

    // Requests cancellation of the task (a no-op once it finished). Any thread. Throws
    // std::logic_error on an empty handle.
    void cancel() const {
        if (root_ == nullptr) throw std::logic_error("weft::join_handle::cancel: the handle is empty (moved-from)");
        detail::request_cancel(root_->node);
    }

    auto operator co_await() & noexcept { return awaiter(this); }
    auto operator co_await() && noexcept { return awaiter(this); }

private:
    template <class U>
    friend join_handle<U> detail::spawn_on(detail::scheduler&, task<U>&, const char*, std::uint32_t);
    friend class task_group;
    explicit join_handle(detail::root_state* s) noexcept : root_(s) {}

    typename task<T>::promise_type& promise() const noexcept {
        using handle = std::coroutine_handle<typename task<T>::promise_type>;
        return handle::from_address(root_->frame_.address()).promise();
    }

    void reset() noexcept {
        if (root_ != nullptr) detail::drop_root_handle(*std::exchange(root_, nullptr), taken_);
    }

    struct awaiter : detail::cancel_waiter {
        explicit awaiter(join_handle* h) noexcept : self(h) {}
        join_handle* self;
        std::coroutine_handle<> caller;

        bool await_ready() {
            if (self->root_ == nullptr)
                throw std::logic_error("co_await weft::join_handle: the handle is empty (moved-from)");
            if (self->taken_)
                throw std::logic_error("co_await weft::join_handle: awaited twice (its result was already taken)");
            if (self->root_->abandoned_)
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
                if (self->root_->join_word_.compare_exchange_strong(expected,
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
            if (a.self->root_->join_word_.compare_exchange_strong(expected, detail::root_state::running,
                                                               std::memory_order_acquire))
                return a.caller;
            return {};
        }
    };

    detail::root_state* root_ = nullptr;
    bool taken_ = false;
};

}  // namespace weft
