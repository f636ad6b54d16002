#pragma once
// tiny_mutex: a four-byte mutex for state that is locked briefly and rarely contended.
//
// Every spawned task carries one (its cancellation domain, cancel_tree.hpp), and every
// coordination primitive (weft::mutex, channel, ...) guards its waiter list with one, so a
// 40-byte std::mutex per object would cost more memory than the object itself.
//
// Design: Drepper's three-state futex mutex ("Futexes Are Tricky", 2011, mutex #2) on
// std::atomic<std::uint32_t>::wait/notify, which libstdc++ maps to futex(2) for 4-byte types.
//   0  unlocked
//   1  locked, nobody waiting
//   2  locked, perhaps somebody waiting (unlock must notify)
// lock() takes 0 -> 1 with one compare-exchange; on failure it marks the word 2 and sleeps
// until an unlock. unlock() swaps in 0 and notifies only if the word was 2. A waiter that wakes
// takes the lock with state 2 (it cannot know whether others still wait), which costs at most
// one spurious notify later.
//
// Any thread may lock; only the holder unlocks. Not recursive. Meets Lockable, so it works
// with std::lock_guard and std::unique_lock.
#include <atomic>
#include <cstdint>

namespace weft::detail {

class tiny_mutex {
public:
    tiny_mutex() noexcept = default;
    tiny_mutex(const tiny_mutex&) = delete;
    tiny_mutex& operator=(const tiny_mutex&) = delete;

    void lock() noexcept {
        std::uint32_t c = 0;
        // acquire: pairs with the release exchange in unlock(), so the holder sees everything
        // the previous holder wrote.
        if (state_.compare_exchange_strong(c, 1, std::memory_order_acquire, std::memory_order_relaxed)) [[likely]]
            return;
        lock_contended(c);
    }

    bool try_lock() noexcept {
        std::uint32_t c = 0;
        // acquire: as in lock().
        return state_.compare_exchange_strong(c, 1, std::memory_order_acquire, std::memory_order_relaxed);
    }

    void unlock() noexcept {
        // release: pairs with the acquire in lock()/try_lock()/lock_contended().
        if (state_.exchange(0, std::memory_order_release) == 2) [[unlikely]]
            state_.notify_one();
    }

private:
    [[gnu::noinline]] void lock_contended(std::uint32_t c) noexcept {
        // acquire: as in lock(); the exchange both marks "somebody waits" and tries to take it.
        if (c != 2) c = state_.exchange(2, std::memory_order_acquire);
        while (c != 0) {
            // relaxed: wait() only blocks while the word is still 2; the exchange below is what
            // acquires the lock.
            state_.wait(2, std::memory_order_relaxed);
            // acquire: as above.
            c = state_.exchange(2, std::memory_order_acquire);
        }
    }

    std::atomic<std::uint32_t> state_{0};
};

}  // namespace weft::detail
