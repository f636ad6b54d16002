#pragma once
// weft::mutex: mutual exclusion between tasks (asyncio.Lock, tokio::sync::Mutex).
//
//     weft::mutex m;                                 // shared by tasks on any workers
//     ...
//     {
//         weft::mutex_guard g = co_await m.lock();   // waits, without holding a thread
//         ++shared_counter;                          // exclusive, whichever worker runs this
//     }                                              // unlocked by g's destructor
//
// Fair: tasks get the lock in the order they asked for it. Unlocking hands the lock straight to
// the oldest waiter, so a task that unlocks and locks again queues behind the others instead
// of barging ahead. Uncontended, locking and unlocking cost one compare-exchange each; the
// design is in weft/detail/sync/permit_pool.hpp (a mutex is a pool of one permit).
//
// lock() is a checkpoint (cancel.hpp): a cancelled task throws weft::cancelled instead of
// locking, and a task cancelled while it waits leaves the queue at once and throws. A lock
// already handed to the task when its cancellation arrives is kept: the co_await returns the
// guard, and the task sees the cancellation at its next checkpoint.
//
// The lock belongs to the guard, not to a thread: a task may suspend while holding it and
// resume on another worker, and the guard may be moved. Not recursive: a task that locks a
// mutex it already holds waits forever. lock() must be awaited on a weft runtime (else
// std::logic_error); try_lock() and unlocking work on any thread. The mutex must outlive every
// wait on it, that is until each co_await on it has returned: destroying it while tasks wait
// is undefined behaviour (asserted when assertions are on). Neither copyable nor movable.
#include <coroutine>
#include <optional>
#include <stdexcept>
#include <utility>

#include <weft/detail/sync/permit_pool.hpp>

namespace weft {

class mutex;

// Ownership of a locked weft::mutex: unlocks it when destroyed. Move-only.
class [[nodiscard]] mutex_guard {
public:
    mutex_guard(mutex_guard&& other) noexcept : mutex_(std::exchange(other.mutex_, nullptr)) {}
    mutex_guard& operator=(mutex_guard&& other) noexcept {
        if (this != &other) {
            reset();
            mutex_ = std::exchange(other.mutex_, nullptr);
        }
        return *this;
    }
    mutex_guard(const mutex_guard&) = delete;
    mutex_guard& operator=(const mutex_guard&) = delete;
    ~mutex_guard() { reset(); }

    // Whether this guard still holds the lock (false once moved from or unlocked).
    bool owns_lock() const noexcept { return mutex_ != nullptr; }
    explicit operator bool() const noexcept { return owns_lock(); }

    // Unlocks before the guard's end of life. Throws std::logic_error if it no longer holds the
    // lock (moved from, or already unlocked).
    void unlock() {
        if (mutex_ == nullptr)
            throw std::logic_error(
                "weft::mutex_guard::unlock: the guard does not hold the lock (moved from or already unlocked)");
        reset();
    }

private:
    friend class mutex;
    explicit mutex_guard(mutex& m) noexcept : mutex_(&m) {}
    inline void reset() noexcept;

    mutex* mutex_;
};

class mutex {
public:
    mutex() noexcept : pool_(1) {}
    mutex(const mutex&) = delete;
    mutex& operator=(const mutex&) = delete;

    class [[nodiscard]] lock_awaiter {
    public:
        explicit lock_awaiter(mutex& m) noexcept : mutex_(&m), acquire_(m.pool_, "weft::mutex::lock") {}

        bool await_ready() { return acquire_.await_ready(); }
        bool await_suspend(std::coroutine_handle<> h) { return acquire_.await_suspend(h); }
        mutex_guard await_resume() {
            acquire_.await_resume();
            return mutex_guard(*mutex_);
        }

    private:
        mutex* mutex_;
        detail::acquire_awaiter acquire_;
    };

    // co_await m.lock(): waits for the lock (FIFO) and yields the guard that holds it.
    lock_awaiter lock() noexcept { return lock_awaiter(*this); }

    // The lock if it is free and nobody waits for it, at once; no suspension, not a checkpoint.
    std::optional<mutex_guard> try_lock() noexcept {
        if (!pool_.try_acquire()) return std::nullopt;
        return mutex_guard(*this);
    }

private:
    friend class mutex_guard;
    detail::permit_pool pool_;
};

inline void mutex_guard::reset() noexcept {
    // One permit back into a pool of one cannot overflow it, so release() cannot fail.
    if (mutex_ != nullptr) std::exchange(mutex_, nullptr)->pool_.release(1);
}

}  // namespace weft
