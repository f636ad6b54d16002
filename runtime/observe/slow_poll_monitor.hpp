#pragma once
// slow_poll_monitor: finds tasks that hold their worker too long without suspending (asyncio's
// debug mode, "Executing <Task> took 0.2 seconds"), without reading the clock on every poll.
//
// A task that computes for a long time between two awaits holds its worker: the tasks queued
// behind it wait, and cancellation and shutdown wait for its next checkpoint. This is the
// runtime's most common performance bug, and invisible without help. Reading the clock around
// every poll would cost two clock reads on the hottest path, so a monitor thread watches
// instead, as Go's sysmon watches for goroutines that run too long.
//
// Each worker owns a slot on its own cache line and publishes in it, around each poll:
//   label, line   the task's label (task_label.hpp), read before the resume
//   poll          the poll's number (the worker's `polled` counter), 0 between polls
// The monitor wakes every `threshold / 2` and samples every slot. A slot that shows the same
// poll number at two samples `threshold` or more apart belongs to a poll that has run at least
// that long: the monitor logs it at once -- so a task that never suspends is reported too --
// and flags the slot with the poll's number. When that poll returns, its worker sees the flag
// and logs how long the poll held it. Durations count from the first sample that saw the poll,
// so they undercount by less than one period (half the threshold), and a poll that ran less
// than one period longer than the threshold may go unreported; no poll shorter than the
// threshold is ever reported.
//
// A poll is named after the task it resumed. Whatever that task hands control to directly --
// the task waiting on it, resumed when it finishes, or a gather's next child -- runs in the same
// poll, so a slow poll named after a short task may be the work of the task that awaited it.
//
// Who may call what: begin_poll and end_poll only on worker `index`'s thread, around one
// poll; stop() from one thread, after every worker has left its loop (later calls, like the
// destructor's, do nothing).
//
// Protocol (slot fields are atomics; the monitor's own bookkeeping is private to its thread):
//   1. Publication is a seqlock with `poll` as its sequence: 0 is "writing" (between polls),
//      a poll number is "stable". The worker stores poll = 0 at the end of a poll; at the next
//      start a release fence, the label, then poll = n with release. The monitor loads poll
//      (acquire), the label, an acquire fence, and poll again: equal numbers mean the label is
//      that poll's. Poll numbers only grow, so no later poll can pass for an earlier one.
//   2. The slow poll's follow-up line is logged exactly once, by whoever takes the flag back
//      to 0 with a compare-exchange from the poll's number: the worker when the poll returns,
//      or the monitor when it sees the poll over and the flag still set (the worker looked
//      just before the flag was set), or stop(). The worker's common path is one relaxed load.
//   3. Sleeping: after `idle_samples_before_sleep` samples that found no worker in a poll, the
//      monitor sets `asleep_`, checks the slots once more and sleeps on its condition variable.
//      A worker starting a poll loads `asleep_` (relaxed) and, if set, wakes it. The worker's
//      load is not fenced against its own slot store -- a fence would cost every poll -- so
//      the two can miss each other; the monitor then sleeps at most `idle_backstop` before it
//      samples again. An idle runtime costs one wake-up per backstop, not one per period.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include <weft/detail/scheduler/fence.hpp>

#include "task/task_label.hpp"

namespace weft::detail {

// Samples that found every worker between polls before the monitor sleeps: one threshold of
// quiet. Fewer would put it to sleep between the bursts of a busy runtime.
inline constexpr int idle_samples_before_sleep = 2;
// How long a sleeping monitor waits for a wake-up before it samples anyway, bounding how late a
// slow poll is seen when a wake-up was missed (protocol step 3). Go's sysmon, asleep while all
// Ps are idle, likewise wakes on a timeout (forcegcperiod / 2); ours is short because it is also
// the bound on a missed report.
inline constexpr std::chrono::milliseconds idle_backstop{1000};
// Thresholds above this are watched as this: a year of nanoseconds is far from overflowing the
// clock arithmetic, and no poll that long is anything but stuck.
inline constexpr std::chrono::hours longest_threshold{24 * 365};

// One worker's publication (protocol above): written by its worker, read by the monitor.
struct alignas(64) poll_slot {
    std::atomic<const char*> label{nullptr};
    std::atomic<std::uint32_t> line{0};
    std::atomic<std::uint64_t> poll{0};
    std::atomic<std::uint64_t> flagged{0};      // the number of a poll reported as slow
    std::atomic<std::int64_t> flagged_since{0};  // when the monitor first saw it (ns)
};

class slow_poll_monitor {
public:
    // Starts the monitor thread. Throws std::system_error if it cannot be started.
    slow_poll_monitor(std::chrono::milliseconds threshold, std::size_t workers);
    ~slow_poll_monitor();
    slow_poll_monitor(const slow_poll_monitor&) = delete;
    slow_poll_monitor& operator=(const slow_poll_monitor&) = delete;

    // A worker's thread, first thing in each poll: wakes the monitor if it sleeps (step 3).
    void wake_if_asleep() noexcept {
        // relaxed: a hint; a wake-up missed here is bounded by idle_backstop (step 3).
        if (asleep_.load(std::memory_order_relaxed)) [[unlikely]]
            wake();
    }

    // Worker `index`'s thread, before resuming poll number `poll` (nonzero) of a task `label`.
    // Returns the worker's slot, for end_poll.
    poll_slot& begin_poll(std::size_t index, std::uint64_t poll, task_label label) noexcept {
        poll_slot& s = slots_[index];
        // release: orders the previous poll's `poll = 0` before the label stores (step 1).
        fence<std::memory_order_release>();
        // relaxed: published by the release store of `poll` below (step 1).
        s.label.store(label.text, std::memory_order_relaxed);
        s.line.store(label.line, std::memory_order_relaxed);
        // release: pairs with the monitor's acquire load of `poll`, so it reads this label.
        s.poll.store(poll, std::memory_order_release);
        return s;
    }

    // The same worker's thread, after the poll returned. (What it needs it reads back from its
    // own slot, so that little stays live across the resume.)
    void end_poll(poll_slot& s) noexcept {
        // relaxed: the worker's own store, read back.
        const std::uint64_t poll = s.poll.load(std::memory_order_relaxed);
        // relaxed: the monitor only compares it; the label it guards is fenced in begin_poll.
        s.poll.store(0, std::memory_order_relaxed);
        // relaxed: a hint; the claim's compare-exchange orders what it reads (step 2).
        if (s.flagged.load(std::memory_order_relaxed) != 0) [[unlikely]]
            claim(s, poll);
    }

    // Stops the monitor thread and logs what is still flagged. After the workers left their
    // loops; idempotent.
    void stop() noexcept;

private:
    // The monitor thread's view of one worker.
    struct watch {
        std::uint64_t poll = 0;  // seen at the last sample; 0: none
        std::int64_t since = 0;  // the first sample that saw it
        std::int64_t last_seen = 0;
        task_label label;
        bool flagged = false;
    };

    void run();
    bool sample(std::int64_t now);
    void settle(std::size_t index, watch& m);
    void sleep_while_idle(std::unique_lock<std::mutex>& lock);
    void wake() noexcept;
    void claim(poll_slot& s, std::uint64_t poll) noexcept;

    const std::chrono::nanoseconds threshold_;
    const std::chrono::nanoseconds period_;
    const std::size_t workers_;
    std::unique_ptr<poll_slot[]> slots_;
    std::unique_ptr<watch[]> watches_;  // the monitor thread's only (and stop()'s, after the join)
    std::mutex lock_;                  // guards stop_ and the sleeps
    std::condition_variable wake_;
    bool stop_ = false;
    alignas(64) std::atomic<bool> asleep_{false};
    std::thread thread_;
};

}  // namespace weft::detail
