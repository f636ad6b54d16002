#pragma once
// weft::latch and weft::barrier: waiting for a number of arrivals (std::latch and std::barrier
// for tasks; asyncio.Barrier, tokio::sync::Barrier).
//
//     weft::latch loaded{3};                     // one-shot: counts down to zero, once
//     ... each of 3 loaders: load(); loaded.count_down();
//     co_await loaded.wait();                    // returns once all 3 counted down
//
//     weft::barrier step{4};                     // reusable: 4 tasks meet at every phase
//     for (...) { work(); co_await step.arrive_and_wait(); }
//
// latch{n}: count_down() lowers the count, wait() suspends until it reaches zero, then every
// wait returns at once. The count never goes back up.
// barrier{n}: arrive_and_wait() suspends until n tasks have arrived; the n-th arrival completes
// the phase, wakes the others and starts the next phase, with the count back at n.
// co_await arrive_and_wait() yields true in exactly one task per phase: the one whose arrival
// completed it (Tokio's "leader"), for work to do once between phases.
// Everything a task wrote before count_down() or its arrival is visible to the tasks that
// return from the wait it completed. Waiters are woken together; on one worker they run oldest
// first.
//
// Design: each has a tiny_mutex over its count and its intrusive FIFO of waiters
// (detail/wait_queue.hpp); the count reaching zero takes the whole queue under the lock, and a
// waiter checks the count again under it before linking, so no wake-up is lost. The latch
// keeps its count in an atomic as well, so try_wait() and a wait on an open latch take no lock.
//
// Both waits are checkpoints (cancel.hpp): a cancelled task throws weft::cancelled, and a task
// cancelled while it waits leaves the queue at once and throws. Its barrier arrival is then
// taken back (as in asyncio): the phase needs as many arrivals as if it had never arrived. A
// task already woken when its cancellation arrives returns normally and sees the cancellation
// at its next checkpoint.
//
// Misuse: latch{-1}, count_down(-1) and barrier{0} are std::invalid_argument; a count_down
// below zero is std::logic_error (and changes nothing). The waits must be awaited on a weft
// runtime (else std::logic_error); count_down() and try_wait() work on any thread. Each must
// outlive every wait on it, that is until each co_await on it has returned: destroying one
// while tasks wait is undefined behaviour (asserted when assertions are on).
#include <atomic>
#include <cassert>
#include <coroutine>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>

#include <weft/detail/tiny_mutex.hpp>
#include <weft/detail/wait_queue.hpp>

namespace weft {

class latch {
public:
    // std::invalid_argument if `count` is negative; latch{0} is open from the start.
    explicit latch(std::ptrdiff_t count) : count_(checked(count)) {}
    latch(const latch&) = delete;
    latch& operator=(const latch&) = delete;
    ~latch() { assert(waiters_.empty() && "a weft::latch was destroyed while tasks wait on it"); }

    // Lowers the count by `n`; reaching zero wakes every waiter. std::invalid_argument if n is
    // negative, std::logic_error (changing nothing) if n is more than the count left.
    void count_down(std::ptrdiff_t n = 1) {
        if (n < 0) throw std::invalid_argument("weft::latch::count_down: negative count " + std::to_string(n));
        detail::wake_list woken;
        {
            std::lock_guard guard(lock_);
            // relaxed: the count changes only under the lock, which orders this read.
            const std::ptrdiff_t left = count_.load(std::memory_order_relaxed);
            if (n > left)
                throw std::logic_error("weft::latch::count_down: count_down(" + std::to_string(n) + ") with " +
                                       std::to_string(left) + " left would go below zero");
            // release: pairs with the acquire loads in try_wait() and link(); earlier count_downs
            // are ordered before this one by the lock, so a task that sees zero sees them all.
            count_.store(left - n, std::memory_order_release);
            if (left - n == 0) woken = waiters_.take_all();
        }
        detail::wake(woken);
    }

    // Whether the count reached zero (no suspension, not a checkpoint).
    bool try_wait() const noexcept {
        // acquire: pairs with the release store in count_down().
        return count_.load(std::memory_order_acquire) == 0;
    }


    // co_await l.wait(): returns once the count is zero (at once if it is).
    detail::until_ready_awaiter<latch> wait() noexcept { return {*this, "weft::latch::wait"}; }

private:
    friend class detail::until_ready_awaiter<latch>;
    bool ready_now() const noexcept { return try_wait(); }

    static std::ptrdiff_t checked(std::ptrdiff_t count) {
        if (count < 0) throw std::invalid_argument("weft::latch: negative count " + std::to_string(count));
        return count;
    }

    // Under the lock: links `w`, or returns false if the count reached zero meanwhile.
    bool link(detail::sync_waiter& w) noexcept {
        std::lock_guard guard(lock_);
        // acquire: as in try_wait().
        if (count_.load(std::memory_order_acquire) == 0) return false;
        waiters_.push_back(w);
        return true;
    }

    std::atomic<std::ptrdiff_t> count_;
    detail::tiny_mutex lock_;
    detail::wait_queue waiters_;
};

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
