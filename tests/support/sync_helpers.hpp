#pragma once
// Helpers shared by the tests of the coordination primitives (mutex, semaphore, event, latch).
//
// yield_until and throws_cancelled: wait for a counter that other tasks raise, and tell whether
// awaiting a handle threw weft::cancelled.
//
// Racing a cancellation against a wake-up: on several workers the two racing steps must run at
// the same time on different workers, but a task spawned by a task that then yields usually runs
// on the same worker. So the spawner spins a while (wait_for_another_worker), giving an idle
// worker time to steal the new task; the new task spins on a flag (cancel_on_signal), holding
// its worker; and both add a varying jitter (spin), so that either step goes first in some
// iterations. Both give way now and then, so nothing deadlocks when the machine has fewer cores
// than workers; on one worker they only yield, and the test sees the interleavings FIFO order
// gives.
#include <atomic>

#include <weft/errors.hpp>
#include <weft/spawn.hpp>
#include <weft/yield.hpp>

namespace weft_test {

inline weft::task<> yield_until(const std::atomic<int>* counter, int target) {
    while (counter->load() < target) co_await weft::yield();
}

template <class T>
weft::task<bool> throws_cancelled(weft::join_handle<T> h) {
    try {
        co_await h;
    } catch (const weft::cancelled&) {
        co_return true;
    }
    co_return false;
}

// Busy-waits `n` rounds: nanoseconds of jitter between two racing steps.
inline void spin(int n) {
    std::atomic<int> sink{0};
    // relaxed: only a delay; nothing is ordered by it.
    for (int i = 0; i < n; ++i) sink.fetch_add(1, std::memory_order_relaxed);
}

// Returns once `ready` is non-zero: spinning first if `spin_first` (a checkpoint now and then),
// otherwise yielding at once.
inline weft::task<> wait_for_another_worker(const std::atomic<int>* ready, bool spin_first) {
    for (int k = 1; ready->load() == 0; ++k) {
        if (!spin_first || k % 65536 == 0) co_await weft::yield();
    }
}

// Sets `ready`, waits for `go` (spinning if `keep_worker`), then cancels `*h` after `jitter`.
template <class T>
weft::task<> cancel_on_signal(std::atomic<int>* ready, const std::atomic<bool>* go, const weft::join_handle<T>* h,
                              bool keep_worker, int jitter) {
    ready->store(1);
    for (int k = 1; !go->load(); ++k) {
        if (!keep_worker || k % 65536 == 0) co_await weft::yield();
    }
    spin(jitter);
    h->cancel();
}

}  // namespace weft_test
