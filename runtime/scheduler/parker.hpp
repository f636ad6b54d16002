#pragma once
// parker: puts one worker thread to sleep until another thread unparks it.
//
// A one-token semaphore on a futex (C++20 atomic wait/notify). unpark() sets the token and wakes
// the sleeper; park() consumes the token, sleeping while there is none. An unpark that comes
// before the park is not lost: the token waits, and the next park returns at once. A spurious
// return is harmless, because the worker loop re-checks for work after every park.
#include <atomic>
#include <cstdint>

namespace weft::detail {

class parker {
public:
    void park() noexcept {
        // acquire: pairs with the release store in unpark(), so whatever the unparking thread
        // published before unparking is visible to the woken worker.
        while (token_.exchange(0, std::memory_order_acquire) == 0) {
            // relaxed: only blocks while the value is 0; the exchange above does the ordering.
            token_.wait(0, std::memory_order_relaxed);
        }
    }

    void unpark() noexcept {
        // seq_cst: pairs with the acquire exchange in park(). Stronger than release because
        // libstdc++'s notify_one() first reads its count of waiters (a seq_cst load) and skips
        // the futex wake when it reads zero; a release store could be reordered after that read,
        // against a waiter that counted itself and then read the old token (store buffering).
        token_.store(1, std::memory_order_seq_cst);
        token_.notify_one();
    }

private:
    std::atomic<std::uint32_t> token_{0};
};

}  // namespace weft::detail
