#include "scheduler.hpp"

#include <pthread.h>

#include <string>

#include "log.hpp"
#include "root_lifecycle.hpp"

namespace weft::detail {

scheduler::scheduler(std::size_t threads, bool caller_is_worker0, std::chrono::milliseconds shutdown_grace,
                     std::size_t max_blocking_threads)
    : idle_(threads), roots_(threads), timers_(*this), blocking_(*this, max_blocking_threads),
      shutdown_grace_(shutdown_grace) {
    workers_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) workers_.push_back(std::make_unique<worker>(*this, idle_.activity(), i));
    try {
        for (std::size_t i = caller_is_worker0 ? 1 : 0; i < threads; ++i)
            workers_[i]->thread = std::thread([this, i] { run_worker(i); });
    } catch (...) {
        shutdown();
        throw;
    }
    logger().debug("runtime started with {} worker thread(s)", threads);
}

scheduler::~scheduler() { shutdown(); }

void scheduler::inject(std::coroutine_handle<> h) {
    injection_.push(h);
    idle_.notify_remote();
}

void scheduler::inject(std::span<const std::coroutine_handle<>> hs) {
    if (hs.empty()) return;
    injection_.push(hs);
    idle_.notify_remote();
}

void scheduler::schedule(std::coroutine_handle<> h) {
    if (on_own_worker()) push_local(*tls_worker, h);
    else inject(h);
}

void scheduler::run_worker(std::size_t index) {
    worker& w = *workers_[index];
    const std::string name = "weft-worker-" + std::to_string(index);
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
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
                idle_.park(index, [this] { return has_visible_work(); });
                continue;
            }
        }
        if (searching) {
            idle_.end_search();
            searching = false;
        }
        // Every weft resume point sets the running task's cancel node; clearing it here keeps a
        // foreign coroutine from seeing the previous task's.
        tls_cancel = nullptr;
        h.resume();
    }
    if (searching) idle_.end_search();
    tls_worker = nullptr;
}

std::coroutine_handle<> scheduler::next_task(worker& w) {
    if (++w.tick % global_queue_interval == 0) {
        if (auto h = injection_.try_pop()) return h;
    }
    if (auto h = w.deque.pop()) return *h;
    return injection_.try_pop();
}

std::coroutine_handle<> scheduler::steal(worker& w) {
    const std::size_t n = workers_.size();
    if (n > 1) {
        w.rng_state ^= w.rng_state << 13;
        w.rng_state ^= w.rng_state >> 7;
        w.rng_state ^= w.rng_state << 17;
        const std::size_t start = w.rng_state % n;
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t victim = (start + k) % n;
            if (victim == w.index) continue;
            if (auto h = workers_[victim]->deque.steal()) return *h;
        }
    }
    return injection_.try_pop();
}

bool scheduler::has_visible_work() const noexcept {
    // relaxed: read after park()'s seq_cst fence; a stop request also wakes every sleeper.
    if (stop_.load(std::memory_order_relaxed) || !injection_.empty()) return true;
    for (const auto& w : workers_)
        if (!w->deque.empty()) return true;
    return false;
}

void scheduler::begin_drain() noexcept {
    // relaxed: only makes the drain happen once; the registry orders what it protects.
    if (draining_.exchange(true, std::memory_order_relaxed)) return;
    const auto deadline = std::chrono::steady_clock::now() + shutdown_grace_;
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
    // relaxed: see begin_drain().
    const std::chrono::steady_clock::duration grace_left(grace_deadline_.load(std::memory_order_relaxed));
    blocking_.shutdown(std::chrono::steady_clock::time_point(grace_left));
    timers_.shutdown();
    injection_.clear();
    for (auto& w : workers_)
        while (w->deque.pop()) {
        }
    // First forget every remaining root's registered waiters, then destroy the frames: a
    // destructor in one frame may cancel another root, whose sweep must then find nothing to
    // abort (its waiters' frames may be gone, and the wheel and queues were cleared).
    roots_.drain([](root_state& r) noexcept { forget_waiters(r); });
    while (root_state* r = roots_.pop()) abandon_root(*r);
    logger().debug("runtime stopped");
}

void reschedule_behind(worker_context& w, std::coroutine_handle<> h) { w.sched->inject(h); }

bool has_waiting_work(worker_context& w) noexcept { return !w.deque.empty() || w.sched->has_queued_work(); }

}  // namespace weft::detail
