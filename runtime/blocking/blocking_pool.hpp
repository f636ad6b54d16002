#pragma once
// blocking_pool: the threads that run weft::spawn_blocking calls (include/weft/spawn_blocking.hpp).
//
// An elastic pool after Tokio's blocking pool: one mutex guards a FIFO queue of jobs and the
// thread counts; threads start on demand, at most `max_threads` at once, and exit after
// `keep_alive` without work. Who calls what:
//   - submit(): a worker, inside an awaiter's await_suspend (the waiter's cancellation-domain
//     lock held; lock order: domain lock, then the pool's lock). Queues the job, then wakes an
//     idle thread if there is one, else starts a thread if the cap allows; otherwise the job
//     waits for the next thread that finishes a call.
//   - pool threads: pop the oldest job, run it unless its waiter already abandoned it, then try
//     the job's `pending -> done`; the winner, if the pool is still attached to the scheduler
//     (checked under the lock), counts itself idle and injects the waiter (scheduler::inject,
//     outside the lock, never under a domain lock). Counting itself idle first lets the
//     waiter's next call, often submitted at once, claim this thread rather than start another.
//   - shutdown(busy_deadline): the scheduler's shutdown, after every worker was joined
//     (scheduler.hpp, end of step 3). Detaches the pool from the scheduler (no inject is started
//     afterwards), drops the queued jobs unrun, wakes the idle threads, waits for every thread
//     to exit until `busy_deadline`, then only for those not inside a call -- idle ones, and
//     ones finishing an inject, so the scheduler outlives every inject -- and returns.
//
// Threads are detached and each holds a shared_ptr to the shared state, so a call that never
// returns cannot hang shutdown and a thread that finishes after the scheduler is gone touches
// only that state and its job.
//
// Invariants (under the lock): idle + wakeups = threads waiting for work (or injecting a
// waiter, counted idle early); busy <= live <= max_threads. `idle` counts those not yet
// claimed, `wakeups` claims not yet taken: submit claims an idle thread by moving one from idle
// to wakeups (Tokio's num_notify), so two quick submits never count on the same sleeper; any
// waiting thread may take any claim.
#include <chrono>
#include <cstddef>
#include <memory>

#include <weft/spawn_blocking.hpp>

namespace weft::detail {

class scheduler;

// How long an idle blocking thread waits for work before it exits: 10 s, Tokio's default
// (`Builder::thread_keep_alive`).
inline constexpr std::chrono::seconds blocking_keep_alive{10};

// The largest options::max_blocking_threads accepted: 32768. A default Linux allows a process
// vm.max_map_count = 65530 memory mappings, and each thread stack takes two (the stack and its
// guard page), so beyond this a count cannot be obeyed and is almost certainly a mistake (a
// negative number converted to size_t).
inline constexpr std::size_t blocking_threads_limit = 32768;

class blocking_pool {
public:
    blocking_pool(scheduler& s, std::size_t max_threads,
                  std::chrono::steady_clock::duration keep_alive = blocking_keep_alive);
    ~blocking_pool();  // shutdown(now) if shutdown() was not called
    blocking_pool(const blocking_pool&) = delete;
    blocking_pool& operator=(const blocking_pool&) = delete;

    // Takes the pool's reference to `job`. Throws std::system_error if no thread can be
    // started and none is alive, std::logic_error after shutdown; the job is not queued then.
    void submit(blocking_job& job);
    // Idempotent; see above.
    void shutdown(std::chrono::steady_clock::time_point busy_deadline) noexcept;

    // Threads alive now (tests).
    std::size_t threads() const;

    struct shared;  // the state the threads share with the pool (blocking_pool.cpp)

private:
    std::shared_ptr<shared> shared_;
};

}  // namespace weft::detail
