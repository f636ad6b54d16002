#pragma once
// weft::barrier: tasks meeting at every phase (std::barrier for tasks; asyncio.Barrier,
// tokio::sync::Barrier).
//
//     weft::barrier step{4};                     // reusable: 4 tasks meet at every phase
//     for (...) { work(); co_await step.arrive_and_wait(); }
//
// arrive_and_wait() suspends until n tasks have arrived; the n-th arrival completes the phase,
// wakes the others and starts the next phase, with the count back at n. co_await
// arrive_and_wait() yields true in exactly one task per phase: the one whose arrival completed
// it (Tokio's "leader"), for work to do once between phases. Everything a task wrote before its
// arrival is visible to the tasks that return from the wait it completed. Waiters are woken
// together; on one worker they run oldest first.
//
// Design: a tiny_mutex over the count and the waiters' intrusive FIFO (detail/sync/wait_queue.hpp);
// the last arrival takes the whole queue under the lock.
//
// arrive_and_wait() is a checkpoint (cancel.hpp): a cancelled task throws weft::cancelled, and
// a task cancelled while it waits leaves the queue at once and throws; its arrival is then taken
// back (as in asyncio): the phase needs as many arrivals as if it had never arrived. A task
// already woken when its cancellation arrives returns normally and sees the cancellation at its
// next checkpoint.
//
// Misuse: barrier{0} is std::invalid_argument. The wait must be awaited on a weft runtime (else
// std::logic_error). The barrier must outlive every wait on it (asserted when assertions are on).
#include <cassert>
#include <coroutine>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>

#include <weft/detail/sync/tiny_mutex.hpp>
#include <weft/detail/sync/wait_queue.hpp>

namespace weft {

class barrier {
public:
    // `parties` tasks meet at each phase; std::invalid_argument unless parties >= 1.
    explicit barrier(std::ptrdiff_t parties) : parties_(checked(parties)), remaining_(parties_) {}
    barrier(const barrier&) = delete;
    barrier& operator=(const barrier&) = delete;
    ~barrier() { assert(waiters_.empty() && "a weft::barrier was destroyed while tasks wait on it"); }

    std::ptrdiff_t parties() const noexcept { return parties_; }

    class [[nodiscard]] arrive_awaiter {
    public:
        explicit arrive_awaiter(barrier& b) noexcept { waiter_.owner = &b; }
        arrive_awaiter(const arrive_awaiter&) = delete;
        arrive_awaiter& operator=(const arrive_awaiter&) = delete;

        bool await_ready() {
            detail::begin_wait(waiter_, "weft::barrier::arrive_and_wait");
            return false;  // arriving needs the lock: done in await_suspend
        }
        bool await_suspend(std::coroutine_handle<> h) {
            const bool suspended =
                detail::suspend_on(waiter_, h, &abort_arrive, [this] { return waiter_.owner->arrive(waiter_); });
            // Not suspended: this arrival completed the phase (or the task was cancelled, and
            // there is nobody to wake). Its waiters are woken now, with no lock held.
            if (!suspended) detail::wake(waiter_.released);
            return suspended;
        }
        // True for the task whose arrival completed the phase.
        bool await_resume() {
            detail::resume_cancellable(waiter_);
            return waiter_.leader;
        }

    private:
        friend class barrier;
        struct waiter : detail::sync_waiter {
            barrier* owner = nullptr;
            bool leader = false;
            detail::wake_list released;  // the leader's: the phase's other waiters
        };

        static std::coroutine_handle<> abort_arrive(detail::cancel_waiter& w) noexcept {
            // safety: only arrive_awaiter registers abort_arrive, for its `waiter_`.
            auto& self = static_cast<waiter&>(w);
            barrier& b = *self.owner;
            std::lock_guard guard(b.lock_);
            const std::coroutine_handle<> h = b.waiters_.remove_if_linked(self);
            if (h) ++b.remaining_;  // still in its phase: take the arrival back
            return h;
        }

        waiter waiter_;
    };

    // co_await b.arrive_and_wait(): arrives, and returns once the phase's n-th task arrived.
    arrive_awaiter arrive_and_wait() noexcept { return arrive_awaiter(*this); }

private:
    static std::ptrdiff_t checked(std::ptrdiff_t parties) {
        if (parties < 1)
            throw std::invalid_argument("weft::barrier: " + std::to_string(parties) +
                                        " parties (a barrier needs at least one)");
        return parties;
    }

    // Under the lock: counts the arrival; the last one of the phase takes the waiters into
    // `w.released`, starts the next phase and returns false (no wait); the others link.
    bool arrive(arrive_awaiter::waiter& w) noexcept {
        std::lock_guard guard(lock_);
        if (--remaining_ != 0) {
            waiters_.push_back(w);
            return true;
        }
        remaining_ = parties_;
        w.leader = true;
        w.released = waiters_.take_all();
        return false;
    }

    detail::tiny_mutex lock_;
    detail::wait_queue waiters_;
    const std::ptrdiff_t parties_;
    std::ptrdiff_t remaining_;  // arrivals the phase still needs; guarded by lock_
};

}  // namespace weft
