#pragma once
// weft::yield(): let the other ready tasks run first (asyncio.sleep(0)).
//
//     for (auto& item : batch) { process(item); co_await weft::yield(); }
//
// The task is rescheduled behind the tasks that are ready now: it goes to the back of the
// runtime's shared FIFO queue. Workers take from their own deque before that queue, except on
// every 61st task, when the shared queue goes first so that it is never starved
// (scheduler.hpp). So tasks that yield to each other run round-robin, and on one thread the
// tasks ready at the time of a yield run before the yielder, but for that fairness check.
// A yield is a checkpoint: it throws weft::cancelled before and after it lets others run, if
// the task was cancelled.
#include <coroutine>
#include <stdexcept>

#include <weft/detail/cancel/cancel_tree.hpp>
#include <weft/detail/scheduler/worker_context.hpp>

namespace weft {
namespace detail {

// Compiled in runtime/scheduler/scheduler.cpp: queues `h` behind the ready tasks.
void reschedule_behind(worker_context& w, std::coroutine_handle<> h);

struct [[nodiscard]] yield_awaiter {
    bool await_ready() {
        current_worker("weft::yield");
        node = tls_cancel;
        check_cancelled();
        return false;
    }
    void await_suspend(std::coroutine_handle<> h) const { reschedule_behind(*tls_worker, h); }
    void await_resume() const {
        tls_cancel = node;
        check_cancelled();
    }

    cancel_node* node = nullptr;
};

}  // namespace detail

inline detail::yield_awaiter yield() noexcept { return {}; }

}  // namespace weft
