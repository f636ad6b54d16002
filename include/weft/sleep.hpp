#pragma once
// weft::sleep_for and weft::sleep_until: awaitable timers (asyncio.sleep).
//
//     co_await weft::sleep_for(300ms);   // this task waits; the worker runs other tasks meanwhile
//
// A sleeping task holds no thread: its timer entry lives inside the awaiting frame and is linked
// into the runtime's timer wheel (runtime/time/timer_wheel.hpp), and the worker goes on with other
// work. Contrast std::this_thread::sleep_for, which blocks the worker itself (docs/guide.md).
// Timers have 1 ms resolution and never fire early; a deadline already passed behaves like
// weft::yield(). A sleep is a checkpoint: a task cancelled while asleep wakes at once (its timer
// entry is unlinked) and the co_await throws weft::cancelled.
#include <chrono>
#include <coroutine>
#include <stdexcept>

#include <weft/detail/cancel/cancel_tree.hpp>
#include <weft/detail/time/timer_entry.hpp>
#include <weft/detail/scheduler/worker_context.hpp>

namespace weft {
namespace detail {

// A sleeper's two registrations: in its cancellation domain and in the timer wheel.
struct timer_wait : cancel_waiter {
    timer_entry entry;
    scheduler* sched = nullptr;  // whose timer wheel holds `entry` (the worker's, not the domain's)
};

// Compiled in runtime/time/timer_driver.cpp: links `wait` to resume `waiter` at `deadline` (or
// cancelled); returns false, without suspending, if the task is already cancelled.
bool arm_sleep(worker_context& w, timer_wait& wait, std::chrono::steady_clock::time_point deadline,
                 std::coroutine_handle<> waiter);

class [[nodiscard]] sleep_awaiter {
public:
    explicit sleep_awaiter(std::chrono::steady_clock::time_point deadline) noexcept : deadline_(deadline) {}
    sleep_awaiter(const sleep_awaiter&) = delete;
    sleep_awaiter& operator=(const sleep_awaiter&) = delete;

    bool await_ready() const {
        current_worker("weft::sleep_for/sleep_until");
        check_cancelled();
        return false;
    }
    bool await_suspend(std::coroutine_handle<> h) { return detail::arm_sleep(*tls_worker, wait_, deadline_, h); }
    void await_resume() { resume_cancellable(wait_); }

private:
    std::chrono::steady_clock::time_point deadline_;
    timer_wait wait_;
};

// A sleep for the runtime's own timers (weft::timeout): cancellation ends it early without an
// exception; it yields true if the deadline passed, false if it was cancelled.
class [[nodiscard]] quiet_sleep_awaiter {
public:
    explicit quiet_sleep_awaiter(std::chrono::steady_clock::time_point deadline) noexcept : deadline_(deadline) {}
    quiet_sleep_awaiter(const quiet_sleep_awaiter&) = delete;
    quiet_sleep_awaiter& operator=(const quiet_sleep_awaiter&) = delete;

    bool await_ready() const {
        current_worker("weft::timeout");
        return false;
    }
    bool await_suspend(std::coroutine_handle<> h) { return detail::arm_sleep(*tls_worker, wait_, deadline_, h); }
    bool await_resume() noexcept {
        leave_cancellable(wait_);
        return !wait_.aborted;
    }

private:
    std::chrono::steady_clock::time_point deadline_;
    timer_wait wait_;
};

// A delay as steady_clock ticks, rounded up, non-negative. Delays past a century are clamped
// (the timer wheel itself caps deadlines at ~2 years and re-arms); this keeps `now + d` from
// overflowing for durations such as hours::max().
template <class Rep, class Period>
std::chrono::steady_clock::duration clamped_delay(std::chrono::duration<Rep, Period> d) noexcept {
    constexpr auto horizon = std::chrono::hours(24 * 365 * 100);
    if (d <= d.zero()) return std::chrono::steady_clock::duration::zero();
    if (d >= horizon) return horizon;
    return std::chrono::ceil<std::chrono::steady_clock::duration>(d);
}

}  // namespace detail

// Suspends the calling task until `deadline` (std::chrono::steady_clock).
inline detail::sleep_awaiter sleep_until(std::chrono::steady_clock::time_point deadline) noexcept {
    return detail::sleep_awaiter(deadline);
}

// Suspends the calling task for at least `d`.
template <class Rep, class Period>
detail::sleep_awaiter sleep_for(std::chrono::duration<Rep, Period> d) noexcept {
    return detail::sleep_awaiter(std::chrono::steady_clock::now() + detail::clamped_delay(d));
}

}  // namespace weft
