// The blocking pool's threads, submission and shutdown (protocol in blocking_pool.hpp).
#include "blocking/blocking_pool.hpp"

#include <pthread.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include "observe/log.hpp"
#include "scheduler/scheduler.hpp"

namespace weft::detail {

struct blocking_pool::shared {
    shared(scheduler& s, std::size_t max, std::chrono::steady_clock::duration keep) noexcept
        : sched(&s), max_threads(max), keep_alive(keep) {}

    std::mutex mutex;
    std::condition_variable work;    // idle threads wait here for a claim or the stop
    std::condition_variable exited;  // shutdown waits here for threads to leave
    blocking_job* head = nullptr;    // FIFO queue of jobs not yet taken, linked through `next`
    blocking_job* tail = nullptr;
    scheduler* sched;  // null once shut down: nobody is resumed any more
    const std::size_t max_threads;
    const std::chrono::steady_clock::duration keep_alive;
    std::size_t live = 0;     // threads started and not yet exited
    std::size_t idle = 0;     // waiting for work, not claimed
    std::size_t wakeups = 0;  // claims made by submit() and not yet taken by a waiting thread
    std::size_t busy = 0;     // running (or completing) a job
    bool stopping = false;
};

namespace {

using shared_state = std::shared_ptr<blocking_pool::shared>;

blocking_job* pop_locked(blocking_pool::shared& st) noexcept {
    blocking_job* job = st.head;
    st.head = job->next;
    if (st.head == nullptr) st.tail = nullptr;
    job->next = nullptr;
    return job;
}

// Runs `job` on this pool thread, then resumes its waiter unless the waiter abandoned it.
// Called and returns with the lock held; returns whether this thread already counts itself
// idle (see below).
bool run_job(blocking_pool::shared& st, std::unique_lock<std::mutex>& lock, blocking_job& job) noexcept {
    ++st.busy;
    lock.unlock();
    // relaxed: a hint to skip a call nobody waits for; a stale `pending` only means the call
    // runs and its result is dropped.
    if (job.state.load(std::memory_order_relaxed) != blocking_job::abandoned) job.run();
    std::uint8_t expected = blocking_job::pending;
    // relaxed: the rival of abort_wait's compare-exchange to `abandoned`; only the state word
    // decides who resumes the waiter. The result reaches the waiter through the injection
    // queue's lock (inject below, then the worker's pop).
    const bool resume =
        job.state.compare_exchange_strong(expected, blocking_job::done, std::memory_order_relaxed);
    const std::coroutine_handle<> waiter = job.waiter;
    // safety: if `resume`, the waiter's reference keeps the job (and its result) alive until
    // it has been resumed, so this is not the last release; otherwise it may be, and destroys
    // the abandoned result here, outside the lock.
    job.release();
    lock.lock();
    --st.busy;
    if (!resume || st.sched == nullptr) return false;
    // Count this thread idle before the inject: the waiter's next call, which may come at once,
    // then claims it instead of starting another thread (or waiting for this lock). The
    // scheduler outlives the inject: shutdown() waits for every thread that is not busy to exit.
    scheduler& sched = *st.sched;
    ++st.idle;
    lock.unlock();
    sched.inject(waiter);
    lock.lock();
    return true;
}

void thread_main(shared_state owner) noexcept {
    pthread_setname_np(pthread_self(), "weft-blocking");
    blocking_pool::shared& st = *owner;
    std::unique_lock lock(st.mutex);
    for (;;) {
        if (st.head != nullptr) {
            if (!run_job(st, lock, *pop_locked(st))) continue;
        } else {
            if (st.stopping) break;
            ++st.idle;
        }
        // Counted idle. A job queued meanwhile (while the inject above ran) ends the wait too.
        static_cast<void>(st.work.wait_until(lock, std::chrono::steady_clock::now() + st.keep_alive, [&] {
            return st.wakeups > 0 || st.stopping || st.head != nullptr;
        }));
        const bool claimed = st.wakeups > 0;
        // submit() moved us (or another waiter: any one may take a claim) from idle to wakeups.
        if (claimed) --st.wakeups;
        else --st.idle;
        if (st.head != nullptr || claimed) continue;
        break;  // stopping, or the keep-alive expired with nothing to do
    }
    --st.live;
    st.exited.notify_all();
    // `owner` is released after the lock: the last thread out frees the state.
}

}  // namespace

blocking_pool::blocking_pool(scheduler& s, std::size_t max_threads, std::chrono::steady_clock::duration keep_alive)
    : shared_(std::make_shared<shared>(s, max_threads, keep_alive)) {}

blocking_pool::~blocking_pool() { shutdown(std::chrono::steady_clock::now()); }

void blocking_pool::submit(blocking_job& job) {
    shared& st = *shared_;
    std::lock_guard lock(st.mutex);
    if (st.sched == nullptr) throw std::logic_error("weft::spawn_blocking: the runtime has shut down");
    (st.tail != nullptr ? st.tail->next : st.head) = &job;
    st.tail = &job;
    if (st.idle > 0) {
        --st.idle;
        ++st.wakeups;
        st.work.notify_one();
        return;
    }
    if (st.live >= st.max_threads) return;  // the next thread to finish a call takes it
    try {
        std::thread(thread_main, shared_).detach();
        ++st.live;
    } catch (...) {
        if (st.live > 0) return;  // a running thread takes it when it finishes its call
        // No thread at all, so nothing older was queued: `job` is the only entry.
        st.head = st.tail = nullptr;
        throw;
    }
}

void blocking_pool::shutdown(std::chrono::steady_clock::time_point busy_deadline) noexcept {
    shared& st = *shared_;
    std::unique_lock lock(st.mutex);
    if (st.stopping) return;
    st.stopping = true;
    st.sched = nullptr;
    blocking_job* dropped = std::exchange(st.head, nullptr);
    st.tail = nullptr;
    st.work.notify_all();
    lock.unlock();
    // Queued calls never run; their waiters are gone or die in shutdown step 6.
    while (dropped != nullptr) std::exchange(dropped, dropped->next)->release();
    lock.lock();
    st.exited.wait_until(lock, busy_deadline, [&] { return st.live == 0; });
    // Idle threads exit at once; only those inside a call may be left behind.
    st.exited.wait(lock, [&] { return st.live == st.busy; });
    if (st.busy > 0)
        logger().warn("runtime shutdown: {} spawn_blocking call(s) still running after the grace period; "
                      "their threads finish on their own and their results are dropped",
                      st.busy);
}

std::size_t blocking_pool::threads() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->live;
}

void submit_blocking(scheduler& s, blocking_job& job) { s.blocking().submit(job); }

}  // namespace weft::detail
