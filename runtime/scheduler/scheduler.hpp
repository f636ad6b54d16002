#pragma once
// scheduler: N workers, their deques, the injection queue, parking, timers and the roots.
//
// Each worker runs the loop in scheduler.cpp:
//   0. its LIFO slot (worker_context.hpp, push_woken): the task the last poll woke, at most
//      `max_lifo_polls_in_a_row` times in a row while other work waits;
//   1. every `global_queue_interval` ticks, the injection queue first (so remote work and timer
//      wake-ups are never starved by a busy deque);
//   2. its own deque (LIFO: the most recently pushed work, whose data is hot in cache);
//   3. the injection queue;
//   4. stealing: one pass over the other workers' deques from a random start (FIFO end: the
//      oldest, and in fork-join the largest, piece of work), then the injection queue again;
//   5. parking (idle_workers.hpp).
//
// Shutdown (after `run`'s main task finished, or when a `runtime` is destroyed):
//   1. drain: every registered root is cancelled (roots spawned from now on are cancelled at
//      birth), so tasks suspended anywhere wake with weft::cancelled and unwind normally;
//   2. the workers keep running until the last root finishes, or until the grace period
//      (options::shutdown_grace) has passed -- the timer driver enforces the deadline;
//   3. the stop flag is set and every parked worker woken; each worker leaves its loop after
//      the task it is running suspends or finishes, and the worker threads are joined; then the
//      blocking pool stops (blocking_pool.hpp): it resumes nobody any more, drops the
//      spawn_blocking calls still queued, its idle threads exit, and calls still running get
//      what is left of the grace period -- after that their threads are left to finish on
//      their own (detached), so a call that never returns cannot hang shutdown;
//   4. the timer driver stops and forgets its entries (the frames holding them die in step 6);
//   5. the injection queue, the deques and the LIFO slots forget their handles, without
//      resuming them;
//   6. every root still registered (it outlived the grace period) is destroyed at its
//      suspension point: destroying its frame destroys the tasks it awaits and the gathers it
//      waits in, destructors and all.
#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <weft/detail/scheduler/worker_context.hpp>
#include <weft/options.hpp>
#include <weft/stats.hpp>

#include "blocking/blocking_pool.hpp"
#include "scheduler/idle_workers.hpp"
#include "scheduler/injection_queue.hpp"
#include "observe/poll_observer.hpp"
#include "scheduler/tbb_backend.hpp"
#include "task/root_registry.hpp"
#include "time/timer_driver.hpp"

namespace weft::detail {

// From Tokio: the default global_queue_interval is 61 ticks, a prime so that it does not
// resonate with workload periods.
inline constexpr std::uint32_t global_queue_interval = 61;

// From Tokio (MAX_LIFO_POLLS_PER_TICK): at most 3 polls in a row from a worker's LIFO slot
// (worker_context.hpp, push_woken) while other work waits; then the slot's task goes to the
// back of the shared queue, so two tasks waking each other cannot keep the worker from it.
inline constexpr std::uint32_t max_lifo_polls_in_a_row = 3;

// The most tasks one steal takes under scheduling_policy::work_stealing (half the victim's
// deque, up to this). Tokio steals half of a 256-slot queue, so at most 128; weft's deques
// are unbounded, and a cap keeps one thief from holding a deep victim's lock-free top for long.
inline constexpr std::size_t max_steal_batch = 32;

// The statistics counters of worker_stats that the scheduler loop keeps (weft/stats.hpp);
// `spawned` lives in worker_context because the header-only spawn path counts it.
struct worker_counters {
    owned_counter polled;
    owned_counter steal_attempts;
    owned_counter steals;
    owned_counter tasks_stolen;
    owned_counter injected_taken;
    owned_counter parks;
    owned_counter wakeups;
    // Busy time is the worker's lifetime minus the time it slept in park(), all in steady_clock
    // nanoseconds; `parked_since` is nonzero while it sleeps, `stopped` once it left its loop.
    std::atomic<std::int64_t> started{0};
    std::atomic<std::int64_t> stopped{0};
    std::atomic<std::int64_t> parked_since{0};
    owned_counter slept_ns;
};

struct alignas(64) worker : worker_context {
    worker(scheduler& s, const std::atomic<std::uint32_t>& activity, std::size_t index, local_push mode,
           std::size_t workers)
        : worker_context(s, activity, index, mode), rng_state(0x9e3779b97f4a7c15ULL * (index + 1)),
          stolen_from_victim(std::make_unique<owned_counter[]>(workers)) {}

    std::uint32_t tick = 0;
    std::uint64_t rng_state;  // xorshift64 for victim selection
    std::thread thread;
    worker_counters counters;
    // [v]: tasks this worker stole from worker v (kept by the thief, so stealing writes nothing
    // on the victim's lines; a snapshot sums the column to get v's stolen_from).
    std::unique_ptr<owned_counter[]> stolen_from_victim;
};

// A runtime's settings, resolved and checked (runtime.cpp turns weft::options into this).
struct scheduler_config {
    std::size_t threads = 1;
    // Worker 0 has no thread of its own: the caller enters it with run_worker(0) (that is how
    // `run` makes threads = 1 run every task on the calling thread).
    bool caller_is_worker0 = false;
    std::chrono::milliseconds shutdown_grace{1000};
    std::size_t max_blocking_threads = 512;
    scheduling_policy policy = scheduling_policy::work_stealing;
    bool pin_workers = false;
    std::string trace_path{};  // empty: no trace
    log_level level = log_level::warn;
    std::chrono::milliseconds slow_poll_threshold{100};  // zero: off
};

class scheduler {
public:
    // Starts the workers (config.threads of them, less the caller's with caller_is_worker0).
    // Throws std::invalid_argument when pin_workers asks for more CPUs than the process has.
    explicit scheduler(const scheduler_config& config);
    ~scheduler();
    scheduler(const scheduler&) = delete;
    scheduler& operator=(const scheduler&) = delete;

    std::size_t threads() const noexcept { return workers_.size(); }
    scheduling_policy policy() const noexcept { return config_.policy; }
    const scheduler_config& config() const noexcept { return config_; }

    // A snapshot of every worker's counters and the runtime-wide ones. Any thread.
    runtime_stats stats();
    // A spawn from a thread that is not one of this scheduler's workers.
    void count_remote_spawn() noexcept;
    // A detached task failed and nobody took its exception.
    void count_unobserved_failure() noexcept;
    // The poll observer (tracing, slow polls), or null when nothing is observed.
    poll_observer* observer() const noexcept { return observer_.get(); }

    // Queues `h` where any worker may take it, and wakes one if needed. Any thread.
    void inject(std::coroutine_handle<> h);
    void inject(std::span<const std::coroutine_handle<>> hs);
    // Queues a ready task: on the caller's deque if it is one of this scheduler's workers,
    // otherwise in the injection queue.
    void schedule(std::coroutine_handle<> h);

    // Runs worker `index` on the calling thread until the stop flag is set (under the tbb
    // policy the calling thread only waits for the flag: oneTBB's threads run the tasks).
    void run_worker(std::size_t index);
    // Resumes `h` on worker `w` (the calling thread is w's): one poll.
    void poll(worker& w, std::coroutine_handle<> h) {
        // Every weft resume point sets the running task's cancel node; clearing it here keeps a
        // foreign coroutine from seeing the previous task's.
        tls_cancel = nullptr;
        w.counters.polled.add();
        if (observer_) [[unlikely]]
            observer_->resume(w, h);
        else
            h.resume();
    }
    // Whether the stop flag is set (shutdown step 3).
    bool stopping() const noexcept {
        // acquire: pairs with the release store in request_stop().
        return stop_.load(std::memory_order_acquire);
    }
    // Work made ready on worker `w` that does not go on its deque (global_queue, tbb).
    void push_elsewhere(worker_context& w, std::coroutine_handle<> h);
    // Whether checkpoint() should yield: work is waiting that this worker could let run.
    bool should_yield(worker_context& w) const noexcept;
    // Shutdown steps 1-2: cancels every root, then stops when the last one finishes or the
    // grace period ends. Any thread; idempotent.
    void begin_drain() noexcept;
    // Sets the stop flag and wakes every worker. Any thread, any number of times.
    void request_stop() noexcept;
    // The whole shutdown protocol above (waiting for step 2 unless this thread is the one that
    // runs worker 0 and has already left it); idempotent.
    void shutdown() noexcept;

    // Whether the injection queue holds work (a hint: relaxed).
    bool injection_pending() const noexcept { return !injection_.empty(); }

    bool on_own_worker() const noexcept { return tls_worker != nullptr && tls_worker->sched == this; }

    idle_workers& idle() noexcept { return idle_; }
    root_registry& roots() noexcept { return roots_; }
    timer_driver& timers() noexcept { return timers_; }
    blocking_pool& blocking() noexcept { return blocking_; }

private:
    std::coroutine_handle<> next_task(worker& w);
    std::coroutine_handle<> steal(worker& w);
    std::coroutine_handle<> steal_from(worker& thief, worker& victim);
    void pin_current_thread(std::size_t index);
    void park(worker& w);
    bool work_or_stop_visible() const noexcept;

    scheduler_config config_;
    // The CPUs workers are pinned to (pin_workers), in the order of sched_getaffinity.
    std::vector<int> cpus_;
    idle_workers idle_;
    std::vector<std::unique_ptr<worker>> workers_;
    injection_queue injection_;
    root_registry roots_;
    timer_driver timers_;
    blocking_pool blocking_;
    std::unique_ptr<poll_observer> observer_;
    // scheduling_policy::tbb only; destroyed before the workers its observer points at.
    std::unique_ptr<tbb_backend> tbb_;
    alignas(64) std::atomic<std::uint64_t> remote_spawns_{0};
    std::atomic<std::uint64_t> unobserved_failures_{0};
    // When the grace period ends (steady_clock ticks), set by begin_drain(); the blocking pool
    // waits for running calls until then.
    std::atomic<std::chrono::steady_clock::rep> grace_deadline_{0};
    alignas(64) std::atomic<bool> stop_{false};
    std::atomic<bool> draining_{false};
    bool shut_down_ = false;
};

}  // namespace weft::detail
