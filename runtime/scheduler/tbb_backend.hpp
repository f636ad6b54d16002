#pragma once
// tbb_backend: scheduling_policy::tbb -- weft's tasks on oneTBB's scheduler.
//
// Under this policy weft keeps everything but the scheduling: timers, the blocking pool, the
// root registry, cancellation and shutdown are weft's, while deciding which thread resumes
// which task is oneTBB's. That is the experiment it exists for: the same coroutine code, the
// same task graph, two schedulers.
//
// Mapping:
//   - The workers are the threads of a `tbb::task_arena` with `threads` worker slots (plus
//     oneTBB's slot 0 for an outside thread, left empty), so `run`'s calling thread only waits (unlike the native policies,
//     where it is worker 0). Each poll points `tls_worker` at weft's worker_context for the
//     arena slot its thread occupies (slots are exclusive while a thread is in the arena), so
//     spawn, gather and the primitives see a weft worker. A `tbb::global_control` raises
//     oneTBB's process-wide thread limit to `threads` for the backend's lifetime (oneTBB's
//     default is the core count).
//   - Work made ready on a worker (a gather's children, a woken task: push_local) is a
//     `task_group::run`, which goes on that thread's own oneTBB task pool: LIFO for the owner,
//     stolen by idle threads. Work from elsewhere (timers, remote spawns, the blocking pool) and
//     yields (which must go behind waiting work) is `task_arena::enqueue`: oneTBB's FIFO.
//   - A oneTBB task is a small functor that resumes one coroutine handle.
//
// Shutdown (scheduler.hpp's protocol, step 3 and 5 for this backend): after the stop flag is
// set, a functor that runs skips its handle (which shutdown then destroys with its root, as it
// does the handles left in the native queues); stop() waits until every functor submitted has
// run, by waiting for every task group. Each worker slot has its own group for the work it makes
// ready, and work from elsewhere is a task of one more group (`task_group::defer`, then
// `task_arena::enqueue`), so every functor belongs to a group that shutdown waits for.
//
// Statistics: oneTBB does not expose its steals or sleeps, so under this policy only `polled`
// and `spawned` are counted.
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace weft::detail {

struct worker;
class scheduler;

class tbb_backend {
public:
    tbb_backend(scheduler& s, std::span<worker* const> workers);
    ~tbb_backend();
    tbb_backend(const tbb_backend&) = delete;
    tbb_backend& operator=(const tbb_backend&) = delete;

    // From worker `worker_index`'s thread: onto that thread's oneTBB task pool.
    void run_local(std::size_t worker_index, std::coroutine_handle<> h);
    // From anywhere: onto the arena's FIFO queue.
    void enqueue(std::coroutine_handle<> h);
    // After the scheduler's stop flag is set: waits until no submitted functor is left.
    void stop() noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace weft::detail
