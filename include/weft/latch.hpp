#pragma once
// weft::latch: waiting for a number of events (std::latch for tasks).
//
//     weft::latch loaded{3};                     // one-shot: counts down to zero, once
//     ... each of 3 loaders: load(); loaded.count_down();
//     co_await loaded.wait();                    // returns once all 3 counted down
//
// count_down() lowers the count, wait() suspends until it reaches zero, then every wait returns
// at once. The count never goes back up. Everything a task wrote before count_down() is visible
// to the tasks that return from the wait it completed. Waiters are woken together; on one
// worker they run oldest first.
//
// Design: a tiny_mutex over the waiters' intrusive FIFO (detail/sync/wait_queue.hpp); the count
// reaching zero takes the whole queue under the lock, and a waiter checks the count again under
// it before linking, so no wake-up is lost. The count is also an atomic, so try_wait() and a
// wait on an open latch take no lock.
//
// wait() is a checkpoint (cancel.hpp): a cancelled task throws weft::cancelled, and a task
// cancelled while it waits leaves the queue at once and throws. A task already woken when its
// cancellation arrives returns normally and sees the cancellation at its next checkpoint.
//
// Misuse: latch{-1} and count_down(-1) are std::invalid_argument; a count_down below zero is
// std::logic_error (and changes nothing). wait() must be awaited on a weft runtime (else
// std::logic_error); count_down() and try_wait() work on any thread. The latch must outlive
// every wait on it, that is until each co_await on it has returned: destroying it while tasks
// wait is undefined behaviour (asserted when assertions are on).
#include <atomic>
#include <cassert>
#include <coroutine>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>

#include <weft/detail/sync/tiny_mutex.hpp>
#include <weft/detail/sync/wait_queue.hpp>

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

}  // namespace weft
