#pragma once
// weft::yield(): let the other ready tasks run first (asyncio.sleep(0)).
//
//     for (auto& item : batch) { process(item); co_await weft::yield(); }
//
// The task is rescheduled behind the tasks that are ready now: it goes to the back of the
// runtime's shared queue, which every worker drains after its own deque, so on one thread every
// task ready at the time of the yield runs before the yielding task resumes.
#include <coroutine>
#include <stdexcept>

#include <weft/detail/worker_context.hpp>

namespace weft {
namespace detail {

// Compiled in runtime/scheduler.cpp: queues `h` behind the ready tasks.
void reschedule_behind(worker_context& w, std::coroutine_handle<> h);

struct [[nodiscard]] yield_awaiter {
    bool await_ready() const {
        if (tls_worker == nullptr) throw std::logic_error("weft::yield: awaited outside a weft runtime");
        return false;
    }
    void await_suspend(std::coroutine_handle<> h) const { reschedule_behind(*tls_worker, h); }
    void await_resume() const noexcept {}
};

}  // namespace detail

inline detail::yield_awaiter yield() noexcept { return {}; }

}  // namespace weft
