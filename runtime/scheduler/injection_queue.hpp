#pragma once
// injection_queue: the runtime's shared FIFO for work that does not come from a worker's own
// deque -- remote spawns, block_on, timer wake-ups -- and for tasks that yield.
//
// A mutex around a std::deque. Work arrives here far less often than on the per-worker deques
// (every gather child goes to a deque), so simplicity wins; Tokio's inject queue is a locked
// linked list for the same reason. `size_` mirrors the length so that workers can skip the
// lock when the queue is empty, which is the common case on the hot path.
#include <atomic>
#include <coroutine>
#include <cstddef>
#include <deque>
#include <mutex>
#include <span>

namespace weft::detail {

class injection_queue {
public:
    void push(std::coroutine_handle<> h) {
        std::lock_guard lock(mutex_);
        items_.push_back(h);
        // relaxed: a hint for empty(); the mutex orders the item itself.
        size_.store(items_.size(), std::memory_order_relaxed);
    }

    void push(std::span<const std::coroutine_handle<>> hs) {
        std::lock_guard lock(mutex_);
        items_.insert(items_.end(), hs.begin(), hs.end());
        // relaxed: as in push().
        size_.store(items_.size(), std::memory_order_relaxed);
    }

    std::coroutine_handle<> try_pop() {
        if (empty()) return {};
        std::lock_guard lock(mutex_);
        if (items_.empty()) return {};
        const std::coroutine_handle<> h = items_.front();
        items_.pop_front();
        // relaxed: as in push().
        size_.store(items_.size(), std::memory_order_relaxed);
        return h;
    }

    // Approximate; exact when read under a fence that pairs with the pusher's (parking protocol).
    bool empty() const noexcept {
        // relaxed: a hint; a stale "empty" is corrected by the parking protocol's re-check.
        return size_.load(std::memory_order_relaxed) == 0;
    }

    // Shutdown only: forgets every queued handle without resuming it.
    void clear() {
        std::lock_guard lock(mutex_);
        items_.clear();
        // relaxed: as in push().
        size_.store(0, std::memory_order_relaxed);
    }

private:
    std::mutex mutex_;
    std::deque<std::coroutine_handle<>> items_;
    std::atomic<std::size_t> size_{0};
};

}  // namespace weft::detail
