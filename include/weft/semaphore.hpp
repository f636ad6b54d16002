#pragma once
// weft::semaphore: a counting semaphore for tasks (asyncio.Semaphore, tokio::sync::Semaphore).
//
//     weft::semaphore slots{4};                  // at most 4 downloads at a time
//     ...
//     co_await slots.acquire();                  // waits, without holding a thread
//     auto body = co_await download(url);
//     slots.release();
//
// It holds a count of permits: acquire() takes one, waiting while there is none; release()
// gives permits back. Fair: waiters get permits in the order they asked, and a release hands
// its permits straight to the oldest waiters, so a new acquire never overtakes a waiting one.
// Uncontended, acquire and release cost one compare-exchange each; the design is in
// weft/detail/sync/permit_pool.hpp. Unlike a mutex, a permit has no owner: any task or thread may
// release, and release may raise the count above its initial value (up to max()).
//
// acquire() is a checkpoint (cancel.hpp): a cancelled task throws weft::cancelled instead of
// taking a permit, and a task cancelled while it waits leaves the queue at once and throws,
// holding no permit. A permit already handed to it when its cancellation arrives is kept: the
// co_await returns normally (the task owns the permit) and the task sees the cancellation at
// its next checkpoint.
//
// acquire() must be awaited on a weft runtime (else std::logic_error); try_acquire() and
// release() work on any thread. The semaphore must outlive every wait on it, that is until each
// co_await on it has returned: destroying it while tasks wait is undefined behaviour (asserted
// when assertions are on). Neither copyable nor movable.
#include <cstddef>
#include <stdexcept>
#include <string>

#include <weft/detail/sync/permit_pool.hpp>

namespace weft {

class semaphore {
public:
    // `initial` permits, 0 <= initial <= max(); otherwise std::invalid_argument.
    explicit semaphore(std::ptrdiff_t initial) : pool_(checked_initial(initial)) {}
    semaphore(const semaphore&) = delete;
    semaphore& operator=(const semaphore&) = delete;

    // The largest count a semaphore holds.
    static constexpr std::ptrdiff_t max() noexcept { return detail::permit_pool::max_permits; }

    // co_await s.acquire(): takes a permit, waiting (FIFO) while there is none.
    detail::acquire_awaiter acquire() noexcept { return {pool_, "weft::semaphore::acquire"}; }

    // Takes a permit if one is free (then nobody waits), at once: no suspension, not a checkpoint.
    bool try_acquire() noexcept { return pool_.try_acquire(); }

    // Gives back `n` permits: to the oldest waiters first (waking them), the rest become free.
    // std::invalid_argument if n is negative; std::logic_error, changing nothing, if the count
    // would exceed max().
    void release(std::ptrdiff_t n = 1) {
        if (n < 0)
            throw std::invalid_argument("weft::semaphore::release: negative count " + std::to_string(n));
        if (n == 0) return;
        if (!pool_.release(n))
            throw std::logic_error("weft::semaphore::release: the count would exceed weft::semaphore::max()");
    }

    // Free permits now: a snapshot, stale as soon as it is read (for tests and monitoring).
    std::ptrdiff_t available() const noexcept { return pool_.available(); }

private:
    static std::ptrdiff_t checked_initial(std::ptrdiff_t n) {
        if (n < 0) throw std::invalid_argument("weft::semaphore: negative initial count " + std::to_string(n));
        if (n > max())
            throw std::invalid_argument("weft::semaphore: initial count " + std::to_string(n) +
                                        " exceeds weft::semaphore::max()");
        return n;
    }

    detail::permit_pool pool_;
};

}  // namespace weft
