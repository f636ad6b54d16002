#pragma once
// weft::timeout and weft::try_timeout: bound a piece of work in time (asyncio.timeout,
// asyncio.wait_for).
//
//     int v = co_await weft::timeout(200ms, fetch());             // or throws weft::timeout_error
//     std::optional<int> r = co_await weft::try_timeout(200ms, fetch());   // nullopt on timeout
//
// The work runs as a child of the awaiting task, raced against a timer. If the timer wins, the
// work is cancelled and timeout waits for it to unwind -- so the work may borrow from the
// awaiting frame -- then throws weft::timeout_error (try_timeout yields std::nullopt; for
// task<void>, false). A result that was produced is never dropped: if the work finished with a
// value before the cancellation took effect, that value is returned even though the deadline
// passed. If the work fails on its own, its exception propagates; if the awaiting task itself is
// cancelled, weft::cancelled does.
//
// Both are checkpoints. The deadline is taken when the returned task starts (when it is
// awaited), and a non-positive duration still lets the work run until its first checkpoint.
#include <chrono>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include <weft/detail/task/fan_in_awaiters.hpp>
#include <weft/errors.hpp>
#include <weft/sleep.hpp>
#include <weft/task.hpp>

namespace weft {
namespace detail {

// The timer side of the race: true if the deadline passed, false if the work finished first and
// cancelled it (no exception: most timeouts end that way, and a throw costs a microsecond).
inline task<bool> deadline_task(std::chrono::steady_clock::duration d) {
    co_return co_await quiet_sleep_awaiter(std::chrono::steady_clock::now() + d);
}


// Runs `work` against a timer of `d`; yields the work's outcome, or nullopt if the timer won
// and the work ended in the cancellation that caused. The timer is child 0, so it runs first,
// arms its entry and suspends; then the work runs.
template <class T>
task<std::optional<outcome<T>>> race_timer(std::chrono::steady_clock::duration d, task<T> work) {
    auto [timer, result] = co_await tuple_fan_in<join_mode::race, bool, T>(
        "weft::timeout", deadline_task(d), std::move(work));
    const bool fired = timer.has_value() && timer.value();
    if (!result.has_value() && fired && !cancel_requested(tls_cancel) && is_cancellation(result.error()))
        co_return std::nullopt;
    co_return std::move(result);
}


}  // namespace detail

// Yields `work`'s result, or throws weft::timeout_error if `d` passes first (after cancelling
// the work and waiting for it to unwind).
template <class Rep, class Period, class T>
task<T> timeout(std::chrono::duration<Rep, Period> d, task<T> work) {
    detail::check_startable(detail::task_access::handle(work), "weft::timeout");
    std::optional<outcome<T>> r = co_await detail::race_timer(detail::clamped_delay(d), std::move(work));
    if (!r) throw timeout_error();
    if constexpr (std::is_void_v<T>) {
        r->value();
    } else {
        co_return std::move(*r).value();
    }
}

// As timeout, but yields std::nullopt instead of throwing timeout_error (for task<void>: true
// when the work finished, false on timeout). Task<T&> yields std::optional<std::reference_wrapper<T>>.
template <class Rep, class Period, class T>
auto try_timeout(std::chrono::duration<Rep, Period> d, task<T> work)
    -> task<std::conditional_t<std::is_void_v<T>, bool, std::optional<detail::stored_value_t<T>>>> {
    detail::check_startable(detail::task_access::handle(work), "weft::try_timeout");
    std::optional<outcome<T>> r = co_await detail::race_timer(detail::clamped_delay(d), std::move(work));
    if constexpr (std::is_void_v<T>) {
        if (!r) co_return false;
        r->value();
        co_return true;
    } else {
        if (!r) co_return std::nullopt;
        co_return std::move(*r).value();
    }
}

}  // namespace weft
