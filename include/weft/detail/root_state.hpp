#pragma once
// The state a root task shares with whoever waits for it.
//
// A root is a task that nobody awaits directly: one started by `spawn`, `block_on` or `run`.
// Its frame stays alive after it finishes, holding the result, until the result is taken or
// nobody can take it any more.
//
// Spawned roots use a small state machine in `state_` (Tokio's JoinHandle protocol, simplified):
//   running  --task finishes-->              done      (a waiter, if any, is resumed)
//   running  --handle awaits-->              <waiter>  (the waiting coroutine's address)
//   <waiter> --task finishes-->              done      and the waiter is resumed
//   running  --handle dropped-->             detached  (the task runs on, its result discarded)
// and a reference count (`refs_`: one for the running task, one for the handle) decides who
// destroys the frame: whoever drops the last reference.
//
// `block_on` roots have a blocking waiter (a mutex and condition variable on the blocked
// thread's stack) instead; the main root of `run` stops the scheduler when it finishes.
//
// Every unfinished root is linked in the scheduler's registry (runtime/root_registry.hpp) so
// shutdown can find it, cancel it and, past the grace period, destroy it.
//
// A root is also its strands' cancellation domain (cancel_state.hpp): its `node` is the
// root strand's cancel node, and join_handle::cancel() requests cancellation of it.
#include <atomic>
#include <coroutine>
#include <cstdint>

#include <weft/detail/cancel_state.hpp>
#include <weft/detail/frame_allocator.hpp>
#include <weft/detail/promise_base.hpp>

namespace weft::detail {

class scheduler;
class task_group_state;
struct blocking_waiter;

struct root_state : cancel_domain {
    enum class kind : std::uint8_t { spawned, blocking, main };
    static constexpr std::uintptr_t running = 0;
    static constexpr std::uintptr_t done = 1;
    static constexpr std::uintptr_t detached = 2;

    root_state(kind k, scheduler& s) noexcept : cancel_domain(s), kind_(k) {}
    root_state(const root_state&) = delete;
    root_state& operator=(const root_state&) = delete;

    static void* operator new(std::size_t size) { return allocate_frame(size); }
    static void operator delete(void* p, std::size_t size) noexcept { deallocate_frame(p, size); }

    std::atomic<std::uintptr_t> state_{running};
    std::atomic<std::uint32_t> refs_{2};
    kind kind_;
    bool abandoned_ = false;  // destroyed at shutdown before it finished
    std::uint32_t shard_ = 0;  // registry shard it is linked in
    std::coroutine_handle<> frame_;  // the root's frame; null once destroyed at shutdown
    promise_base* promise_ = nullptr;
    root_state* prev_ = nullptr;  // registry links, guarded by the shard's lock
    root_state* next_ = nullptr;
    blocking_waiter* waiter_ = nullptr;  // kind::blocking only
    task_group_state* group_ = nullptr;  // the group it was spawned into, if any
};

// Compiled in runtime/root_state.cpp.
// The root's final_suspend: unregisters it, publishes completion, returns what to run next.
std::coroutine_handle<> root_finished(root_state& s) noexcept;
// A join handle lets go: detaches a running root, or frees a finished one. `taken` tells
// whether the handle already took the result (otherwise a stored exception is logged).
void drop_root_handle(root_state& s, bool taken) noexcept;
// Registers a new spawned root and schedules it on `s`.
void schedule_root(scheduler& s, root_state& r);
// Drops one reference (the last one destroys the frame and the state).
void release_root(root_state& r) noexcept;

}  // namespace weft::detail
