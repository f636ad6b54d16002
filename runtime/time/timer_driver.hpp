#pragma once
// timer_driver: the thread that turns timer deadlines into ready tasks.
//
// Sleeping tasks are linked into one timer_wheel (timer_wheel.hpp) guarded by a mutex. A
// driver thread, started on the first sleep, waits on a condition variable until the earliest
// deadline the wheel reports, advances the wheel, and injects every fired task into the
// scheduler's injection queue in one batch (one lock, one wake-up), in deadline order.
//
// Why a thread rather than a worker driving the wheel when it parks (as Tokio does): the
// workers' parking protocol stays free of timeouts, and a worker busy with a long poll cannot
// delay a timer. The cost is one thread handoff per expiry batch, not per timer.
//
// Protocol with sleepers:
//   1. add() rounds the deadline up to a 1 ms tick (never early), links the entry under the
//      lock, and notifies the driver only when it is waiting for a later tick than this one.
//   2. The driver copies the fired waiters' handles out of the entries before unlocking: once
//      a waiter is resumed, its frame -- and the entry in it -- may be gone.
//   3. cancel() (a cancellation sweep aborting a sleep, cancel_tree.hpp) unlinks the entry if
//      it is still linked and hands back its waiter; an entry that already fired is left alone.
//   4. stop_scheduler_at() arms the shutdown grace deadline: when it passes, the driver calls
//      scheduler::request_stop() (scheduler.hpp, shutdown step 2).
//   5. shutdown() stops the thread and clears the wheel without touching any entry (the frames
//      holding them are destroyed right after, scheduler.hpp step 6).
#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "time/timer_wheel.hpp"

namespace weft::detail {

class scheduler;

class timer_driver {
public:
    explicit timer_driver(scheduler& s) noexcept;
    ~timer_driver();
    timer_driver(const timer_driver&) = delete;
    timer_driver& operator=(const timer_driver&) = delete;

    // Links `entry` to resume `waiter` at `deadline`. After this returns the entry belongs to
    // the driver until it fires; the waiter may already be running on another worker.
    void add(timer_entry& entry, std::chrono::steady_clock::time_point deadline, std::coroutine_handle<> waiter);
    // Unlinks `entry` if it has not fired; returns its waiter then, null otherwise.
    std::coroutine_handle<> cancel(timer_entry& entry) noexcept;
    // Timers linked and not yet fired or cancelled.
    std::size_t pending();
    void stop_scheduler_at(std::chrono::steady_clock::time_point deadline);
    void shutdown() noexcept;

private:
    void run();
    void start_locked();
    std::uint64_t tick_at_or_after(std::chrono::steady_clock::time_point t) const noexcept;
    std::uint64_t tick_at_or_before(std::chrono::steady_clock::time_point t) const noexcept;

    // No deadline: the driver waits to be notified.
    static constexpr std::uint64_t no_tick = UINT64_MAX;

    scheduler& scheduler_;
    const std::chrono::steady_clock::time_point epoch_;
    std::mutex mutex_;
    std::condition_variable wake_;
    timer_wheel wheel_;
    std::uint64_t waiting_for_ = 0;  // the tick the driver sleeps until; 0 while it is busy
    bool stop_ = false;
    std::optional<std::chrono::steady_clock::time_point> stop_scheduler_at_;
    std::thread thread_;
    std::vector<timer_entry*> fired_;
    std::vector<std::coroutine_handle<>> ready_;
};

}  // namespace weft::detail
