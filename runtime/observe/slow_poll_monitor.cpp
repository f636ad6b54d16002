// The monitor thread's side of slow-poll detection (protocol in slow_poll_monitor.hpp).
#include "observe/slow_poll_monitor.hpp"

#include <pthread.h>

#include <algorithm>
#include <string>

#include "observe/log.hpp"

namespace weft::detail {
namespace {

std::int64_t now_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double to_ms(std::int64_t ns) noexcept { return static_cast<double>(ns) / 1e6; }

}  // namespace

slow_poll_monitor::slow_poll_monitor(std::chrono::milliseconds threshold, std::size_t workers)
    : threshold_(std::min<std::chrono::milliseconds>(threshold, longest_threshold)), period_(threshold_ / 2),
      workers_(workers),
      slots_(std::make_unique<poll_slot[]>(workers)), watches_(std::make_unique<watch[]>(workers)) {
    thread_ = std::thread([this] { run(); });
}

slow_poll_monitor::~slow_poll_monitor() { stop(); }

void slow_poll_monitor::stop() noexcept {
    {
        std::lock_guard guard(lock_);
        if (stop_ && !thread_.joinable()) return;
        stop_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    // The workers have left their loops: every flag still set is for a poll that is over.
    for (std::size_t i = 0; i < workers_; ++i)
        if (watches_[i].flagged) settle(i, watches_[i]);
}

void slow_poll_monitor::run() {
    pthread_setname_np(pthread_self(), "weft-monitor");
    std::unique_lock lock(lock_);
    int quiet = 0;
    while (!wake_.wait_for(lock, period_, [this] { return stop_; })) {
        lock.unlock();
        const bool busy = sample(now_ns());
        lock.lock();
        quiet = busy ? 0 : quiet + 1;
        if (quiet >= idle_samples_before_sleep) {
            quiet = 0;
            sleep_while_idle(lock);
        }
    }
}

// One look at every slot; returns whether any worker was in a poll.
bool slow_poll_monitor::sample(std::int64_t now) {
    bool busy = false;
    for (std::size_t i = 0; i < workers_; ++i) {
        poll_slot& s = slots_[i];
        watch& m = watches_[i];
        // acquire: pairs with begin_poll's release store, making that poll's label visible.
        const std::uint64_t poll = s.poll.load(std::memory_order_acquire);
        // relaxed: validated by the second load of `poll` below (protocol step 1).
        // safety: a label's strings live as long as the process (task_label.hpp), so reading
        // one that a later poll published, or keeping one past its task, is harmless.
        const task_label label{s.label.load(std::memory_order_relaxed), s.line.load(std::memory_order_relaxed)};
        // acquire: pairs with begin_poll's release fence: if the label loads saw a later poll's
        // stores, the load below sees that `poll` moved on.
        fence<std::memory_order_acquire>();
        // relaxed: ordered by the fence above.
        const bool stable = s.poll.load(std::memory_order_relaxed) == poll;
        if (poll != 0) busy = true;
        if (poll == m.poll && poll != 0) {
            m.last_seen = now;
            if (!m.flagged && now - m.since >= threshold_.count()) {
                m.flagged = true;
                logger().warn(
                    "slow poll: task '{}' has held worker {} for {:.1f} ms without suspending (still running)",
                    to_string(m.label), i, to_ms(now - m.since));
                // relaxed: published by the release store of the flag.
                s.flagged_since.store(m.since, std::memory_order_relaxed);
                // release: pairs with the acquire compare-exchange in claim().
                s.flagged.store(poll, std::memory_order_release);
            }
            continue;
        }
        // The poll seen last time is over.
        if (m.flagged) settle(i, m);
        m = watch{};
        if (poll != 0 && stable) m = watch{poll, now, now, label, false};
    }
    return busy;
}

// m's flagged poll is over: log its duration unless its worker already did (protocol step 2).
void slow_poll_monitor::settle(std::size_t index, watch& m) {
    m.flagged = false;
    std::uint64_t expected = m.poll;
    // relaxed: only decides who logs; the values logged are the monitor's own.
    if (slots_[index].flagged.compare_exchange_strong(expected, 0, std::memory_order_relaxed))
        logger().warn("slow poll: task '{}' held worker {} for at least {:.1f} ms without suspending",
                      to_string(m.label), index, to_ms(m.last_seen - m.since));
}

void slow_poll_monitor::sleep_while_idle(std::unique_lock<std::mutex>& lock) {
    // seq_cst: with the fence, orders the flag before the slot loads below, so a worker that
    // starts a poll after this store sees the flag (it may still miss it: protocol step 3).
    asleep_.store(true, std::memory_order_seq_cst);
    fence<std::memory_order_seq_cst>();
    for (std::size_t i = 0; i < workers_; ++i)
        // relaxed: a re-check; what it misses is bounded by idle_backstop.
        if (slots_[i].poll.load(std::memory_order_relaxed) != 0) {
            // relaxed: only the monitor and wake() write it; nothing is published by it.
            asleep_.store(false, std::memory_order_relaxed);
            return;
        }
    // relaxed: wake() clears the flag before it takes the lock to notify.
    wake_.wait_for(lock, idle_backstop, [this] { return stop_ || !asleep_.load(std::memory_order_relaxed); });
    // relaxed: as above.
    asleep_.store(false, std::memory_order_relaxed);
}

void slow_poll_monitor::wake() noexcept {
    // relaxed: whoever clears the flag notifies; the lock orders the notify after the
    // monitor's predicate check.
    if (!asleep_.exchange(false, std::memory_order_relaxed)) return;
    std::lock_guard guard(lock_);
    wake_.notify_one();
}

void slow_poll_monitor::claim(poll_slot& s, std::uint64_t poll) noexcept {
    std::uint64_t expected = poll;
    // acquire: pairs with the monitor's release store of the flag, so flagged_since is its.
    // A flag for an earlier poll (not ours) is left for the monitor to settle.
    if (!s.flagged.compare_exchange_strong(expected, 0, std::memory_order_acquire, std::memory_order_relaxed)) return;
    // relaxed: ordered by the acquire above; the label is this worker's own store.
    const std::int64_t since = s.flagged_since.load(std::memory_order_relaxed);
    const task_label label{s.label.load(std::memory_order_relaxed), s.line.load(std::memory_order_relaxed)};
    logger().warn("slow poll: task '{}' held worker {} for {:.1f} ms without suspending", to_string(label),
                  &s - slots_.get(), to_ms(now_ns() - since));
}

}  // namespace weft::detail
