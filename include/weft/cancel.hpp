#pragma once
// Cooperative cancellation, as in asyncio and Trio.
//
//     weft::join_handle<> h = weft::spawn(crawl(site));
//     h.cancel();                    // crawl throws weft::cancelled at its next checkpoint
//
//     for (auto& row : rows) {       // a CPU loop stays cancellable and keeps the runtime fair
//         process(row);
//         co_await weft::checkpoint();
//     }
//
// Nothing is interrupted: a cancelled task runs on until it reaches a *checkpoint*, and there
// the co_await throws weft::cancelled, so its frame unwinds through ordinary destructors. Every
// weft suspension point is a checkpoint -- sleep, yield, awaiting a join handle, gather,
// when_any, timeout, task groups, locks, semaphores, events, latches, barriers, channel send and
// receive, spawn_blocking -- and a task suspended in one when it is cancelled wakes at once.
// weft::checkpoint() is one for loops that would otherwise never suspend.
//
// Cancellation flows down: cancelling a task cancels the children it awaits (gather, when_any,
// timeout, task groups), transitively. A spawned task is independent: cancel it through its
// handle. A wait that already completed (a value received, a lock taken) returns normally, and
// the task sees the cancellation at its next checkpoint.
#include <coroutine>
#include <cstdint>
#include <stdexcept>

#include <weft/detail/cancel/cancel_tree.hpp>
#include <weft/detail/scheduler/worker_context.hpp>
#include <weft/errors.hpp>

namespace weft {
namespace detail {

// Compiled in runtime/scheduler/scheduler.cpp: whether other tasks wait for this worker (its deque or
// the shared queue, where timers put the tasks they wake).
bool should_yield(worker_context& w) noexcept;
void reschedule_behind(worker_context& w, std::coroutine_handle<> h);

struct [[nodiscard]] checkpoint_awaiter {
    bool await_ready() {
        worker_context* w = &current_worker("weft::checkpoint");
        node = tls_cancel;
        check_cancelled();
        if (--w->budget != 0) [[likely]]
            return true;
        w->budget = coop_budget;
        return !should_yield(*w);
    }
    void await_suspend(std::coroutine_handle<> h) const { reschedule_behind(*tls_worker, h); }
    void await_resume() const {
        tls_cancel = node;
        check_cancelled();
    }

    cancel_node* node = nullptr;
};

}  // namespace detail

// Whether cancellation of the running task was requested. No suspension; false off the runtime.
inline bool is_cancelled() noexcept { return detail::cancel_requested(detail::tls_cancel); }

// A checkpoint for CPU loops: throws weft::cancelled if the task was cancelled. Every
// `coop_budget` (128) calls on a worker it also checks whether other tasks wait (timers that
// fired, tasks woken or spawned) and, if so, lets them run first (Tokio's coop budget). Otherwise
// it costs a decrement and a compare: no suspension when nothing waits.
inline detail::checkpoint_awaiter checkpoint() noexcept { return {}; }

}  // namespace weft
