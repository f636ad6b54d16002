#include "scheduler/scheduler.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "observe/log.hpp"
#include "task/root_lifecycle.hpp"

namespace weft::detail {

namespace {

std::int64_t now_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The CPUs this process may run on, in increasing order.
std::vector<int> allowed_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return {};
    std::vector<int> cpus;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
    return cpus;
}

local_push push_mode_for(scheduling_policy p) noexcept {
    return p == scheduling_policy::global_queue || p == scheduling_policy::tbb ? local_push::scheduler
                                                                               : local_push::deque;
}

}  // namespace

scheduler::scheduler(const scheduler_config& config)
    : config_(config), idle_(config.threads), roots_(config.threads), timers_(*this),
      blocking_(*this, config.max_blocking_threads) {
    const std::size_t threads = config.threads;
    // The level is the logger's, so process-wide: the runtime started last sets it.
    logger().set_level(static_cast<spdlog::level::level_enum>(config.level));
    if (config.pin_workers) {
        cpus_ = allowed_cpus();
        if (cpus_.size() < threads)
            throw std::invalid_argument("weft::options::pin_workers: " + std::to_string(threads) +
                                        " workers but this process may run on only " + std::to_string(cpus_.size()) +
                                        " CPU(s)");
    }
    workers_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) {
        workers_.push_back(
            std::make_unique<worker>(*this, idle_.activity(), i, push_mode_for(config.policy), threads));
        workers_.back()->lifo_slot_enabled = config.policy == scheduling_policy::work_stealing ||
                                             config.policy == scheduling_policy::steal_one;
    }
    std::vector<worker*> views;
    for (auto& w : workers_) views.push_back(w.get());
    observer_ = poll_observer::create(config_, views);
    if (config.policy == scheduling_policy::tbb) {
        if (config.pin_workers) logger().warn("options::pin_workers has no effect under policy tbb (oneTBB places its threads)");
        tbb_ = std::make_unique<tbb_backend>(*this, views);
        logger().info("runtime started: {} oneTBB worker thread(s), policy tbb", threads);
        return;
    }
    try {
        for (std::size_t i = config.caller_is_worker0 ? 1 : 0; i < threads; ++i)
            workers_[i]->thread = std::thread([this, i] { run_worker(i); });
    } catch (...) {
        shutdown();
        throw;
    }
    logger().info("runtime started: {} worker thread(s), policy {}", threads, to_string(config.policy));
}

scheduler::~scheduler() { shutdown(); }

void scheduler::inject(std::coroutine_handle<> h) {
    if (tbb_) {
        tbb_->enqueue(h);
        return;
    }
    injection_.push(h);
    idle_.notify_remote();
}

void scheduler::inject(std::span<const std::coroutine_handle<>> hs) {
    if (hs.empty()) return;
    if (tbb_) {
        for (const auto h : hs) tbb_->enqueue(h);
        return;
    }
    injection_.push(hs);
    idle_.notify_remote();
}

void scheduler::push_elsewhere(worker_context& w, std::coroutine_handle<> h) {
    if (tbb_ && w.sched == this && tls_worker == &w) tbb_->run_local(w.index, h);
    else inject(h);
}

bool scheduler::should_yield(worker_context& w) const noexcept {
    // Under tbb the waiting work sits in oneTBB's pools, where weft cannot see it: give way
    // every time the budget runs out.
    return tbb_ != nullptr || w.lifo_slot || !w.deque.empty() || injection_pending();
}

void scheduler::schedule(std::coroutine_handle<> h) {
    if (on_own_worker()) push_local(*tls_worker, h);
    else inject(h);
}

void scheduler::pin_current_thread(std::size_t index) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpus_[index], &set);
    if (const int err = pthread_setaffinity_np(pthread_self(), sizeof set, &set); err != 0)
        logger().warn("could not pin worker {} to CPU {}: error {}", index, cpus_[index], err);
}

void scheduler::run_worker(std::size_t index) {
    if (tbb_) {
        // acquire: pairs with request_stop(); oneTBB's threads run the tasks meanwhile.
        stop_.wait(false, std::memory_order_acquire);
        return;
    }
    worker& w = *workers_[index];
    const std::string name = "weft-worker-" + std::to_string(index);
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    // `run`'s calling thread is worker 0 only while it runs: give it its CPUs back afterwards.
    cpu_set_t caller_cpus;
    const bool restore_cpus = config_.pin_workers && config_.caller_is_worker0 && index == 0 &&
                              pthread_getaffinity_np(pthread_self(), sizeof caller_cpus, &caller_cpus) == 0;
    if (config_.pin_workers) pin_current_thread(index);
    // relaxed: statistics (see worker_counters); a snapshot reads them relaxed.
    w.counters.started.store(now_ns(), std::memory_order_relaxed);
    tls_worker = &w;
    bool searching = false;
    // acquire: pairs with the release store in request_stop().
    while (!stop_.load(std::memory_order_acquire)) {
        std::coroutine_handle<> h = next_task(w);
        if (!h) {
            if (!searching) {
                idle_.begin_search();
                searching = true;
            }
            h = steal(w);
            if (!h) {
                park(w);
                continue;
            }
        }
        if (searching) {
            idle_.end_search();
            searching = false;
        }
        poll(w, h);
    }
    if (searching) idle_.end_search();
    tls_worker = nullptr;
    if (restore_cpus) pthread_setaffinity_np(pthread_self(), sizeof caller_cpus, &caller_cpus);
    // relaxed: statistics.
    w.counters.stopped.store(now_ns(), std::memory_order_relaxed);
}

void scheduler::park(worker& w) {
    const std::int64_t since = now_ns();
    // relaxed: statistics; a snapshot reads it to count the current sleep as idle time.
    w.counters.parked_since.store(since, std::memory_order_relaxed);
    const bool slept = idle_.park(w.index, [this] { return work_or_stop_visible(); });
    w.counters.slept_ns.add(static_cast<std::uint64_t>(now_ns() - since));
    // relaxed: statistics.
    w.counters.parked_since.store(0, std::memory_order_relaxed);
    if (slept) {
        w.counters.parks.add();
        w.counters.wakeups.add();
    }
}

std::coroutine_handle<> scheduler::next_task(worker& w) {
    if (w.lifo_slot) {
        if (w.lifo_polls < max_lifo_polls_in_a_row || (w.deque.empty() && !injection_pending())) {
            ++w.lifo_polls;
            return std::exchange(w.lifo_slot, {});
        }
        // The slot has had its turns and other work waits: the slot's task goes behind it, to
        // the shared queue (the deque would hand it straight back, newest first). Two tasks
        // waking each other therefore cannot keep this worker from a task spawned beside them
        // or from a timer's wake-up, even on one thread.
        inject(std::exchange(w.lifo_slot, {}));
    }
    w.lifo_polls = 0;
    if (++w.tick % global_queue_interval == 0) {
        if (auto h = injection_.try_pop()) {
            w.counters.injected_taken.add();
            return h;
        }
    }
    if (config_.policy == scheduling_policy::fifo_local) {
        if (auto h = w.deque.steal()) return *h;
    } else if (auto h = w.deque.pop()) {
        return *h;
    }
    if (auto h = injection_.try_pop()) {
        w.counters.injected_taken.add();
        return h;
    }
    return {};
}

std::coroutine_handle<> scheduler::steal(worker& w) {
    const std::size_t n = workers_.size();
    if (n > 1 && push_mode_for(config_.policy) == local_push::deque) {
        w.rng_state ^= w.rng_state << 13;
        w.rng_state ^= w.rng_state >> 7;
        w.rng_state ^= w.rng_state << 17;
        const std::size_t start = w.rng_state % n;
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t victim = (start + k) % n;
            if (victim == w.index) continue;
            if (auto h = steal_from(w, *workers_[victim])) return h;
        }
    }
    if (auto h = injection_.try_pop()) {
        w.counters.injected_taken.add();
        return h;
    }
    return {};
}

// Takes one task from `victim` (steal_one) or half its deque, up to max_steal_batch (the
// default): the first is returned to run, the rest go on the thief's own deque, oldest deepest,
// so the thief works through them newest-first like its own.
std::coroutine_handle<> scheduler::steal_from(worker& thief, worker& victim) {
    thief.counters.steal_attempts.add();
    const auto first = victim.deque.steal();
    if (!first) return {};
    std::size_t taken = 1;
    if (config_.policy != scheduling_policy::steal_one) {
        // Half of what the victim held before the first steal, rounded up.
        const std::size_t want = std::min(max_steal_batch, (victim.deque.size() + 2) / 2);
        for (; taken < want; ++taken) {
            const auto more = victim.deque.steal();
            if (!more) break;
            thief.deque.push(*more);
        }
    }
    thief.counters.steals.add();
    thief.counters.tasks_stolen.add(taken);
    thief.stolen_from_victim[victim.index].add(taken);
    if (taken > 1) notify_local_work(thief);
    return *first;
}

bool scheduler::work_or_stop_visible() const noexcept {
    // relaxed: read after park()'s seq_cst fence; a stop request also wakes every sleeper.
    if (stop_.load(std::memory_order_relaxed) || !injection_.empty()) return true;
    for (const auto& w : workers_)
        if (!w->deque.empty()) return true;
    return false;
}

void scheduler::begin_drain() noexcept {
    // relaxed: only makes the drain happen once; the registry orders what it protects.
    if (draining_.exchange(true, std::memory_order_relaxed)) return;
    const auto deadline = std::chrono::steady_clock::now() + config_.shutdown_grace;
    // relaxed: shutdown() reads it after the stop flag's acquire, and every path to
    // request_stop() passes after this store (here, or through the registry's and the timer
    // driver's locks); a value not yet seen reads as 0, a deadline already past.
    grace_deadline_.store(deadline.time_since_epoch().count(), std::memory_order_relaxed);
    roots_.drain([](root_state& r) noexcept { request_cancel(r.node); });
    if (roots_.empty()) {
        request_stop();
        return;
    }
    timers_.stop_scheduler_at(deadline);
}

void scheduler::request_stop() noexcept {
    // release: pairs with the acquire load at the top of the worker loop and in shutdown().
    stop_.store(true, std::memory_order_release);
    stop_.notify_all();
    idle_.wake_all();
}

void scheduler::shutdown() noexcept {
    if (shut_down_) return;
    shut_down_ = true;
    begin_drain();
    // acquire: pairs with request_stop(). A runtime's owner waits here while its workers
    // drain; run()'s caller arrives after worker 0 left its loop, so the flag is already set.
    stop_.wait(false, std::memory_order_acquire);
    for (auto& w : workers_)
        if (w->thread.joinable()) w->thread.join();
    if (tbb_) tbb_->stop();
    // relaxed: see begin_drain().
    const std::chrono::steady_clock::duration grace_left(grace_deadline_.load(std::memory_order_relaxed));
    blocking_.shutdown(std::chrono::steady_clock::time_point(grace_left));
    if (observer_) observer_->finish();
    timers_.shutdown();
    injection_.clear();
    for (auto& w : workers_) {
        w->lifo_slot = {};
        while (w->deque.pop()) {
        }
    }
    // First forget every remaining root's registered waiters, then destroy the frames: a
    // destructor in one frame may cancel another root, whose sweep must then find nothing to
    // abort (its waiters' frames may be gone, and the wheel and queues were cleared).
    roots_.drain([](root_state& r) noexcept { forget_waiters(r); });
    while (root_state* r = roots_.pop()) abandon_root(*r);
    logger().info("runtime stopped: {} worker thread(s)", workers_.size());
}

runtime_stats scheduler::stats() {
    runtime_stats out;
    out.policy = config_.policy;
    const std::int64_t now = now_ns();
    for (const auto& w : workers_) {
        const worker_counters& c = w->counters;
        worker_stats s;
        s.polled = c.polled.read();
        s.spawned = w->spawned.read();
        s.steal_attempts = c.steal_attempts.read();
        s.steals = c.steals.read();
        s.tasks_stolen = c.tasks_stolen.read();
        s.injected_taken = c.injected_taken.read();
        s.parks = c.parks.read();
        s.wakeups = c.wakeups.read();
        for (const auto& thief : workers_) s.stolen_from += thief->stolen_from_victim[w->index].read();
        // relaxed: statistics, each read on its own.
        const std::int64_t started = c.started.load(std::memory_order_relaxed);
        const std::int64_t stopped = c.stopped.load(std::memory_order_relaxed);
        const std::int64_t parked_since = c.parked_since.load(std::memory_order_relaxed);
        if (started != 0) {
            const std::int64_t end = stopped != 0 ? stopped : now;
            std::int64_t busy = end - started - static_cast<std::int64_t>(c.slept_ns.read());
            if (stopped == 0 && parked_since != 0) busy -= now - parked_since;
            s.busy_time = std::chrono::nanoseconds(std::max<std::int64_t>(busy, 0));
        }
        out.workers.push_back(s);
    }
    out.live_tasks = roots_.size();
    // relaxed: statistics.
    out.spawned_remotely = remote_spawns_.load(std::memory_order_relaxed);
    out.unobserved_failures = unobserved_failures_.load(std::memory_order_relaxed);
    out.pending_timers = timers_.pending();
    return out;
}

void scheduler::count_remote_spawn() noexcept {
    // relaxed: a statistic; off the hot path (the spawner is not a worker).
    remote_spawns_.fetch_add(1, std::memory_order_relaxed);
}

void scheduler::count_unobserved_failure() noexcept {
    // relaxed: a statistic.
    unobserved_failures_.fetch_add(1, std::memory_order_relaxed);
}

void push_elsewhere(worker_context& w, std::coroutine_handle<> h) { w.sched->push_elsewhere(w, h); }

void reschedule_behind(worker_context& w, std::coroutine_handle<> h) { w.sched->inject(h); }

void throw_off_runtime(const char* what) {
    throw std::logic_error(std::string(what) + ": awaited outside a weft runtime");
}

bool should_yield(worker_context& w) noexcept { return w.sched->should_yield(w); }

}  // namespace weft::detail
