#pragma once
// The part of a worker that the header-only hot path touches.
//
// A worker (runtime/scheduler/scheduler.hpp) is a thread running the scheduler loop. Code in headers -- task,
// gather, spawn -- needs three things from it, and only these: the worker's own deque, to push
// children and pop them back; the scheduler-wide activity word, to decide whether a parked
// worker should be woken; and the scheduler, for the rare slow paths. The thread-local
// `tls_worker` points at the worker running on this thread, or is null off the runtime.
//
// Activity word: the scheduler keeps how many workers are parked (low 16 bits) and how many are
// searching for work (high 16 bits) in one atomic, so the hot path reads both with one load.
// The full parking protocol is in runtime/scheduler/idle_workers.hpp.
#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <utility>

#include <weft/detail/scheduler/work_stealing_deque.hpp>

namespace weft::detail {

class scheduler;

inline constexpr std::uint32_t parked_unit = 1;
inline constexpr std::uint32_t searching_unit = std::uint32_t{1} << 16;
inline constexpr std::uint32_t parked_mask = searching_unit - 1;

// weft::checkpoint() calls between two looks for waiting work: 128, Tokio's coop budget
// (`Budget::initial()`), so a CPU loop gives way within about a hundred iterations.
inline constexpr std::uint32_t coop_budget = 128;

// A statistics counter (weft/stats.hpp) that only its worker writes, so counting needs no
// read-modify-write and no shared cache line.
struct owned_counter {
    std::atomic<std::uint64_t> value{0};

    void add(std::uint64_t n = 1) noexcept {
        // relaxed: only the owning worker writes; readers take an approximate snapshot.
        value.store(value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    std::uint64_t read() const noexcept {
        // relaxed: a statistic; nothing is ordered by it.
        return value.load(std::memory_order_relaxed);
    }
};

// Where a worker puts the work it makes ready (a gather's children, a woken task): its own
// deque, or -- under the global_queue and tbb policies -- through the scheduler.
enum class local_push : std::uint8_t { deque, scheduler };

struct worker_context {
    worker_context(scheduler& s, const std::atomic<std::uint32_t>& act, std::size_t i, local_push mode)
        : sched(&s), activity(&act), index(i), push_mode(mode) {}

    work_stealing_deque<std::coroutine_handle<>> deque;
    scheduler* sched;
    const std::atomic<std::uint32_t>* activity;
    std::size_t index;
    local_push push_mode;
    bool lifo_slot_enabled = false;      // set by the scheduler before the worker starts
    std::uint32_t budget = coop_budget;  // checkpoint() countdown, owner thread only
    // The task this worker's running task woke last (see push_woken); owner thread only, read by
    // shutdown after the worker was joined.
    std::coroutine_handle<> lifo_slot{};
    std::uint32_t lifo_polls = 0;  // polls in a row taken from the slot (scheduler::next_task)
    owned_counter spawned;               // weft::spawn calls made on this worker
};

inline constinit thread_local worker_context* tls_worker = nullptr;

// The error of every awaiter and spawn used off a weft runtime: "<what>: awaited outside a weft
// runtime"; out of line and cold, so the check below stays a load and a compare.
[[noreturn, gnu::cold, gnu::noinline]] void throw_off_runtime(const char* what);

// The worker running the caller; std::logic_error naming `what` off the runtime. The one
// off-runtime check of every awaiter (sync primitives, channels, sleep, yield, checkpoint, join
// handles, gather and its kin, spawn_blocking).
inline worker_context& current_worker(const char* what) {
    worker_context* w = tls_worker;
    if (w == nullptr) [[unlikely]]
        throw_off_runtime(what);
    return *w;
}

// Wakes one parked worker if any (compiled; runtime/scheduler/idle_workers.cpp).
void wake_parked_worker(scheduler& s) noexcept;

// Work was pushed on the local deque: wake a parked worker if nobody is already searching.
inline void notify_local_work(worker_context& w) noexcept {
    // relaxed: a heuristic, deliberately without a fence. If it misses a worker that is parking
    // at this very moment, the owner still runs the work itself (a worker parks only with an
    // empty deque), so only parallelism is delayed, never progress. Remote pushes, which have no
    // owner to fall back on, use the fenced protocol in runtime/scheduler/idle_workers.cpp instead.
    const std::uint32_t a = w.activity->load(std::memory_order_relaxed);
    if ((a & parked_mask) != 0 && (a >> 16) == 0) [[unlikely]]
        wake_parked_worker(*w.sched);
}

// Hands `h` to the scheduler instead of the deque (compiled; runtime/scheduler/scheduler.cpp).
void push_elsewhere(worker_context& w, std::coroutine_handle<> h);

// Queues ready work made on this worker, without waking anyone: the caller calls
// notify_local_work once after a batch.
inline void push_ready(worker_context& w, std::coroutine_handle<> h) {
    if (w.push_mode == local_push::deque) [[likely]]
        w.deque.push(h);
    else
        push_elsewhere(w, h);
}

inline void push_local(worker_context& w, std::coroutine_handle<> h) {
    if (w.push_mode == local_push::deque) [[likely]] {
        w.deque.push(h);
        notify_local_work(w);
    } else {
        push_elsewhere(w, h);
    }
}

// A task that the running task woke (a channel hand-off, a mutex or semaphore hand-off, an
// event set; wait_queue.cpp and channel_state.hpp): Tokio's LIFO slot. The woken task
// goes in a slot of this worker, which the worker takes before its deque. Taking it is a plain
// load and store, where popping the deque's last task costs a fence and a compare-exchange
// (Chase-Lev's pop), and a message hand-off always leaves exactly one task queued: the slot
// takes both off a ping-pong's round trip. The slot is not stealable: its task waits for the
// current poll to end (a long poll is what the slow-poll log reports). A task already in the
// slot moves to the deque, where thieves can see it. scheduler::next_task bounds how many
// polls in a row come from the slot while other work waits, so two tasks handing messages back
// and forth cannot starve it. Under fifo_local (oldest first by design), global_queue and tbb
// the slot is off and this is push_local.
inline void push_woken(worker_context& w, std::coroutine_handle<> h) {
    if (!w.lifo_slot_enabled) {
        push_local(w, h);
        return;
    }
    if (const std::coroutine_handle<> displaced = std::exchange(w.lifo_slot, h)) {
        w.deque.push(displaced);
        notify_local_work(w);
    }
}

}  // namespace weft::detail
