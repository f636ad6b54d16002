#pragma once
// block_on_waiter: how a thread outside the runtime waits for a block_on root.
//
// A mutex and condition variable on the blocked thread's stack. signal() notifies under the
// lock, so the waiter cannot return (and destroy the waiter) before signal() has released it.
#include <condition_variable>
#include <mutex>

namespace weft::detail {

struct block_on_waiter {
    void signal() noexcept {
        std::lock_guard lock(mutex);
        done = true;
        ready.notify_one();
    }
    void wait() {
        std::unique_lock lock(mutex);
        ready.wait(lock, [this] { return done; });
    }

    std::mutex mutex;
    std::condition_variable ready;
    bool done = false;
};

}  // namespace weft::detail
