// The slow paths of permit_pool (design in weft/detail/sync/permit_pool.hpp).
#include <weft/detail/sync/permit_pool.hpp>

#include <mutex>

namespace weft::detail {

bool permit_pool::link(sync_waiter& w) noexcept {
    std::lock_guard guard(lock_);
    // relaxed: a first guess for the compare-exchanges below, which re-read it on failure.
    std::uint64_t word = word_.load(std::memory_order_relaxed);
    for (;;) {
        if (word >= one) {
            // A permit was released since the fast path failed: take it instead of waiting.
            // acquire: pairs with the release in release() / release_slow(), as in try_acquire().
            if (word_.compare_exchange_weak(word, word - one, std::memory_order_acquire, std::memory_order_relaxed))
                return false;
            continue;
        }
        if (word == queued) break;
        // relaxed: the flag publishes no data. It only sends releasers to the slow path, whose
        // lock orders the queue (linked below, before we unlock) before their reads of it. A
        // concurrent fast release makes this fail, and the loop then takes its permit.
        if (word_.compare_exchange_weak(word, queued, std::memory_order_relaxed, std::memory_order_relaxed)) break;
    }
    waiters_.push_back(w);
    return true;
}

bool permit_pool::release_slow(std::ptrdiff_t n) noexcept {
    wake_list woken;
    {
        std::lock_guard guard(lock_);
        // relaxed: a first guess for the compare-exchange; with `queued` set the word is stable
        // under the lock, and the lock's acquire already ordered the queue.
        std::uint64_t word = word_.load(std::memory_order_relaxed);
        while ((word & queued) == 0) {
            // An abort emptied the queue since the fast path looked: add the permits plainly.
            if (static_cast<std::ptrdiff_t>(word >> 1) > max_permits - n) return false;
            // release: as in release().
            if (word_.compare_exchange_weak(word, word + static_cast<std::uint64_t>(n) * one,
                                            std::memory_order_release, std::memory_order_relaxed))
                return true;
        }
        while (n > 0 && !waiters_.empty()) {
            woken.push_back(waiters_.pop_front());
            --n;
        }
        // release: pairs with the acquire in try_acquire() / link() of whoever takes a permit
        // left over. (The woken waiters' permits need no atomic: their tasks are ordered after
        // this by the lock and by the scheduler's queue.)
        if (waiters_.empty()) word_.store(static_cast<std::uint64_t>(n) * one, std::memory_order_release);
    }
    wake(woken);
    return true;
}

std::coroutine_handle<> permit_pool::abort(sync_waiter& w) noexcept {
    std::lock_guard guard(lock_);
    if (!w.linked) return {};  // already handed a permit: completed wins
    waiters_.remove(w);
    // relaxed: `queued` with no permit becomes "no permit"; nothing is published.
    if (waiters_.empty()) word_.store(0, std::memory_order_relaxed);
    return w.handle;
}

}  // namespace weft::detail
