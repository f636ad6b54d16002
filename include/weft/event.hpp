#pragma once
// weft::event: a flag tasks can wait for (asyncio.Event).
//
//     weft::event ready;
//     ...                                    // consumers:
//     co_await ready.wait();                 // waits until the flag is set, holding no thread
//     ...                                    // the producer, on any task or thread:
//     ready.set();                           // wakes every waiting task
//
// set() raises the flag and wakes every task waiting for it; while it is up, wait() returns at
// once. clear() lowers it again: later waits suspend until the next set(). Everything a task
// wrote before set() is visible to a task whose wait() returned because of it. Waiters are
// woken together; on one worker they run oldest first.
//
// Design: the flag is an atomic, so is_set() and a wait on a set event take no lock (one
// acquire load). Waiters queue in an intrusive FIFO (detail/sync/wait_queue.hpp) guarded by a
// tiny_mutex; set() stores the flag and takes the whole queue under that lock, and a waiter
// checks the flag again under it before linking, so no set() can slip between the check and
// the linking (no lost wake-up). clear() is a plain store: a waiter that reads the flag down
// waits for a set() that comes after the clear().
//
// wait() is a checkpoint (cancel.hpp): a cancelled task throws weft::cancelled, even if the
// flag is up, and a task cancelled while it waits leaves the queue at once and throws. A task
// already woken by set() when its cancellation arrives returns normally and sees the
// cancellation at its next checkpoint.
//
// wait() must be awaited on a weft runtime (else std::logic_error); set(), clear() and is_set()
// work on any thread. The event must outlive every wait on it, that is until each co_await on
// it has returned: destroying it while tasks wait is undefined behaviour (asserted when
// assertions are on). Neither copyable nor movable.
#include <atomic>
#include <cassert>
#include <coroutine>
#include <mutex>

#include <weft/detail/sync/tiny_mutex.hpp>
#include <weft/detail/sync/wait_queue.hpp>

namespace weft {

class event {
public:
    event() noexcept = default;
    event(const event&) = delete;
    event& operator=(const event&) = delete;
    ~event() { assert(waiters_.empty() && "a weft::event was destroyed while tasks wait on it"); }

    // Raises the flag and wakes every waiting task. Setting a set event changes nothing.
    void set() noexcept {
        detail::wake_list woken;
        {
            std::lock_guard guard(lock_);
            // release: pairs with the acquire loads in is_set() and link(), so a task that sees
            // the flag up sees what was written before set().
            set_.store(true, std::memory_order_release);
            woken = waiters_.take_all();
        }
        detail::wake(woken);
    }

    // Lowers the flag; waits that start afterwards suspend until the next set().
    void clear() noexcept {
        // relaxed: lowering the flag publishes nothing; the lock in link() orders a waiter's
        // check against set(), and a wait that still reads it up merely returns at once.
        set_.store(false, std::memory_order_relaxed);
    }

    bool is_set() const noexcept {
        // acquire: pairs with the release store in set().
        return set_.load(std::memory_order_acquire);
    }


    // co_await e.wait(): returns once the flag is up (at once if it is).
    detail::until_ready_awaiter<event> wait() noexcept { return {*this, "weft::event::wait"}; }

private:
    friend class detail::until_ready_awaiter<event>;
    bool ready_now() const noexcept { return is_set(); }

    // Under the lock: links `w`, or returns false if the flag went up meanwhile.
    bool link(detail::sync_waiter& w) noexcept {
        std::lock_guard guard(lock_);
        // acquire: as in is_set().
        if (set_.load(std::memory_order_acquire)) return false;
        waiters_.push_back(w);
        return true;
    }

    std::atomic<bool> set_{false};
    detail::tiny_mutex lock_;
    detail::wait_queue waiters_;
};

}  // namespace weft
