#pragma once
// permit_pool: FIFO-fair counting of permits, the core of weft::semaphore and of weft::mutex (a
// mutex is a pool of one permit, held through a guard).
//
// Design. One atomic word holds the free permits and a flag saying that tasks are queued:
//     word = permits << 1 | queued
// Invariant: `queued` implies permits == 0. A release never leaves a permit free while a task
// waits: it hands the permit straight to the oldest waiter (unlinks it and schedules it, the
// permit already its own). So a task that finds a free permit has nobody ahead of it and taking
// it overtakes no one; FIFO fairness costs nothing on the uncontended paths, which are one
// compare-exchange each and take no lock:
//   try_acquire   permits -> permits - 1   while permits > 0
//   release       permits -> permits + n   while `queued` is clear
// Everything else runs under `lock_` (a tiny_mutex), which guards the FIFO of waiters:
//   link          (acquire, slow) takes a permit if one appeared meanwhile; otherwise sets
//                 `queued` and links the waiter;
//   release_slow  (`queued` was set) hands one permit to each of the oldest waiters, then, if
//                 the queue emptied, stores the permits left over and clears `queued`;
//   abort         (the waiter's task was cancelled) unlinks it if it is still linked, and
//                 clears `queued` if the queue emptied; a waiter already handed a permit keeps
//                 it (completed wins: its co_await returns normally).
// Only a lock holder sets or clears `queued`, and while it is set both fast paths fail, so
// under the lock a word with `queued` set cannot change: the slow paths store it plainly.
//
// Handing over means strict FIFO even under contention, at a price: when tasks queue, every
// acquisition costs the new holder a suspension and a resumption (a lock convoy; Tokio's fair
// Mutex and Semaphore pay the same).
#include <atomic>
#include <cassert>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <limits>

#include <weft/detail/sync/tiny_mutex.hpp>
#include <weft/detail/sync/wait_queue.hpp>

namespace weft::detail {

class permit_pool {
public:
    // The most permits a pool holds: the word keeps one bit for `queued`.
    static constexpr std::ptrdiff_t max_permits = std::numeric_limits<std::ptrdiff_t>::max() >> 1;

    // 0 <= permits <= max_permits (the public types check).
    explicit permit_pool(std::ptrdiff_t permits) noexcept : word_(static_cast<std::uint64_t>(permits) << 1) {}
    permit_pool(const permit_pool&) = delete;
    permit_pool& operator=(const permit_pool&) = delete;
    ~permit_pool() {
        assert(waiters_.empty() && "a weft::mutex or weft::semaphore was destroyed while tasks wait on it");
    }

    bool try_acquire() noexcept {
        // relaxed: only the compare-exchange's first guess; it re-reads the word on failure.
        std::uint64_t w = word_.load(std::memory_order_relaxed);
        while (w >= one) {  // a free permit (so `queued` is clear)
            // acquire: pairs with the release in release() / release_slow(), so the new holder
            // sees everything the task that gave the permit back wrote before.
            if (word_.compare_exchange_weak(w, w - one, std::memory_order_acquire, std::memory_order_relaxed))
                return true;
        }
        return false;
    }

    // Gives back `n` >= 1 permits: to the oldest waiters first, the rest become free. Returns
    // false, changing nothing, if more than max_permits would be free.
    bool release(std::ptrdiff_t n) noexcept {
        // relaxed: a first guess, as in try_acquire.
        std::uint64_t w = word_.load(std::memory_order_relaxed);
        while ((w & queued) == 0) {
            if (static_cast<std::ptrdiff_t>(w >> 1) > max_permits - n) return false;
            // release: pairs with the acquire in try_acquire() / link() of the next holder.
            if (word_.compare_exchange_weak(w, w + static_cast<std::uint64_t>(n) * one, std::memory_order_release,
                                            std::memory_order_relaxed))
                return true;
        }
        return release_slow(n);
    }

    // Free permits now; a snapshot, stale as soon as it is read.
    std::ptrdiff_t available() const noexcept {
        // relaxed: a snapshot that orders nothing.
        return static_cast<std::ptrdiff_t>(word_.load(std::memory_order_relaxed) >> 1);
    }

    // Compiled in runtime/sync/permit_pool.cpp; see the design above.
    // Under the lock: takes a permit (returns false) or links `w` (returns true).
    bool link(sync_waiter& w) noexcept;
    // A cancelled waiter: its coroutine if it was still waiting (now unlinked), else null.
    std::coroutine_handle<> abort(sync_waiter& w) noexcept;

private:
    bool release_slow(std::ptrdiff_t n) noexcept;

    static constexpr std::uint64_t queued = 1;
    static constexpr std::uint64_t one = 2;  // one permit

    std::atomic<std::uint64_t> word_;
    tiny_mutex lock_;
    wait_queue waiters_;
};

// The awaiter of semaphore::acquire(), and the core of mutex::lock()'s.
class [[nodiscard]] acquire_awaiter {
public:
    acquire_awaiter(permit_pool& pool, const char* what) noexcept : what_(what) { waiter_.pool = &pool; }
    acquire_awaiter(const acquire_awaiter&) = delete;
    acquire_awaiter& operator=(const acquire_awaiter&) = delete;

    bool await_ready() {
        begin_wait(waiter_, what_);
        return waiter_.pool->try_acquire();
    }
    bool await_suspend(std::coroutine_handle<> h) {
        return suspend_on(waiter_, h, &abort_acquire, [this] { return waiter_.pool->link(waiter_); });
    }
    void await_resume() { resume_cancellable(waiter_); }

private:
    struct waiter : sync_waiter {
        permit_pool* pool = nullptr;
    };

    static std::coroutine_handle<> abort_acquire(cancel_waiter& w) noexcept {
        // safety: only acquire_awaiter registers abort_acquire, for its `waiter_`.
        auto& self = static_cast<waiter&>(w);
        return self.pool->abort(self);
    }

    waiter waiter_;
    const char* what_;
};

}  // namespace weft::detail
