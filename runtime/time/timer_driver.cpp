#include "time/timer_driver.hpp"

#include <pthread.h>

#include <algorithm>

#include <weft/sleep.hpp>
#include <weft/yield.hpp>

#include "scheduler/scheduler.hpp"

namespace weft::detail {

using std::chrono::steady_clock;
// The wheel's resolution (timer_wheel.hpp): one tick is one millisecond.
using tick_duration = std::chrono::milliseconds;

timer_driver::timer_driver(scheduler& s) noexcept : scheduler_(s), epoch_(steady_clock::now()) {}

timer_driver::~timer_driver() { shutdown(); }

std::uint64_t timer_driver::tick_at_or_after(steady_clock::time_point t) const noexcept {
    if (t <= epoch_) return 0;
    return static_cast<std::uint64_t>(std::chrono::ceil<tick_duration>(t - epoch_).count());
}

std::uint64_t timer_driver::tick_at_or_before(steady_clock::time_point t) const noexcept {
    if (t <= epoch_) return 0;
    return static_cast<std::uint64_t>(std::chrono::floor<tick_duration>(t - epoch_).count());
}

void timer_driver::add(timer_entry& entry, steady_clock::time_point deadline, std::coroutine_handle<> waiter) {
    bool notify = false;
    {
        std::lock_guard lock(mutex_);
        start_locked();
        entry.deadline = tick_at_or_after(deadline);
        entry.waiter = waiter;
        wheel_.insert(entry);
        notify = waiting_for_ != 0 && entry.deadline < waiting_for_;
    }
    if (notify) wake_.notify_one();
}

void timer_driver::start_locked() {
    if (!thread_.joinable() && !stop_) thread_ = std::thread([this] { run(); });
}

std::coroutine_handle<> timer_driver::cancel(timer_entry& entry) noexcept {
    std::lock_guard lock(mutex_);
    if (!entry.linked()) return {};
    wheel_.remove(entry);
    return entry.waiter;
}

std::size_t timer_driver::pending() {
    std::lock_guard lock(mutex_);
    return wheel_.size();
}

void timer_driver::stop_scheduler_at(steady_clock::time_point deadline) {
    {
        std::lock_guard lock(mutex_);
        start_locked();
        stop_scheduler_at_ = deadline;
    }
    wake_.notify_one();
}

void timer_driver::run() {
    pthread_setname_np(pthread_self(), "weft-timers");
    std::unique_lock lock(mutex_);
    while (!stop_) {
        if (stop_scheduler_at_ && steady_clock::now() >= *stop_scheduler_at_) {
            stop_scheduler_at_.reset();
            scheduler_.request_stop();
        }
        fired_.clear();
        wheel_.advance(tick_at_or_before(steady_clock::now()), fired_);
        if (!fired_.empty()) {
            ready_.clear();
            for (timer_entry* e : fired_) ready_.push_back(e->waiter);
            lock.unlock();
            scheduler_.inject(ready_);
            lock.lock();
            continue;
        }
        if (const auto next = wheel_.next_deadline()) {
            waiting_for_ = *next == 0 ? 1 : *next;
            auto until = epoch_ + tick_duration(*next);
            if (stop_scheduler_at_) until = std::min(until, *stop_scheduler_at_);
            wake_.wait_until(lock, until);
        } else if (stop_scheduler_at_) {
            waiting_for_ = no_tick;
            wake_.wait_until(lock, *stop_scheduler_at_);
        } else {
            waiting_for_ = no_tick;
            wake_.wait(lock);
        }
        waiting_for_ = 0;
    }
}

void timer_driver::shutdown() noexcept {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    wheel_.clear();
}

namespace {

std::coroutine_handle<> abort_sleep(cancel_waiter& w) noexcept {
    // safety: only the sleep awaiters register abort_sleep, with their timer_wait, whose
    // `sched` names the runtime whose wheel holds the entry (a task that followed a join handle
    // onto another runtime sleeps there, not in its domain's).
    auto& wait = static_cast<timer_wait&>(w);
    return wait.sched->timers().cancel(wait.entry);
}

}  // namespace

bool arm_sleep(worker_context& w, timer_wait& wait, steady_clock::time_point deadline,
                 std::coroutine_handle<> waiter) {
    if (deadline <= steady_clock::now()) {
        // A deadline already passed is a yield: a checkpoint that does not register.
        wait.node = tls_cancel;
        if (cancel_requested(wait.node)) {
            wait.aborted = true;
            return false;
        }
        reschedule_behind(w, waiter);
        return true;
    }
    wait.sched = w.sched;
    return suspend_cancellable(wait, abort_sleep, [&] {
        w.sched->timers().add(wait.entry, deadline, waiter);
        return true;
    });
}

}  // namespace weft::detail
