#pragma once
// The state a root task shares with whoever waits for it.
//
// A root is a task that nobody awaits directly: one started by `spawn`, `block_on` or `run`.
// Its frame stays alive after it finishes, holding the result, until the result is taken or
// nobody can take it any more.
//
// Spawned roots use a small state machine in `join_word_` (the word the task and its join handle meet in) (Tokio's JoinHandle protocol, simplified):
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
// Every unfinished root is linked in the scheduler's registry (runtime/task/root_registry.hpp) so
// shutdown can find it, cancel it and, past the grace period, destroy it.
//
// A root is also its strands' cancellation domain (cancel_tree.hpp): its `node` is the
// root strand's cancel node, and join_handle::cancel() requests cancellation of it.
//
// Its *label* is what traces and slow-poll logs call the task (and every frame of its strands):
// the name given to spawn, interned so that it lives as long as the process, or the spawn site
// (weft::spawn_site: a file name literal and a line). `label_` is null for run's and block_on's
// roots. The label fills padding: a root_state stays 128 bytes, one frame class.
#include <atomic>
#include <coroutine>
#include <cstdint>
#include <string_view>

#include <weft/detail/cancel/cancel_tree.hpp>
#include <weft/detail/task/frame_allocator.hpp>
#include <weft/detail/task/promise_base.hpp>

namespace weft::detail {

class scheduler;
class task_group_state;
struct block_on_waiter;

struct root_state : cancel_domain {
    enum class kind : std::uint8_t { spawned, blocking, main };
    static constexpr std::uintptr_t running = 0;
    static constexpr std::uintptr_t done = 1;
    static constexpr std::uintptr_t detached = 2;

    root_state(kind k, scheduler& s, const char* label = nullptr, std::uint32_t line = 0) noexcept
        : cancel_domain(s), kind_(k), label_line_(line), label_(label) {}
    root_state(const root_state&) = delete;
    root_state& operator=(const root_state&) = delete;

    static void* operator new(std::size_t size) { return allocate_frame(size); }
    static void operator delete(void* p, std::size_t size) noexcept { deallocate_frame(p, size); }

    std::atomic<std::uintptr_t> join_word_{running};
    std::atomic<std::uint32_t> refs_{2};
    kind kind_;
    bool abandoned_ = false;  // destroyed at shutdown before it finished
    bool traced_ = false;     // a trace has seen its first poll (runtime/observe/trace_recorder.hpp)
    std::uint32_t shard_ = 0;  // registry shard it is linked in
    std::uint32_t label_line_;  // the spawn site's line; 0 when label_ is a name
    std::coroutine_handle<> frame_;  // the root's frame; null once destroyed at shutdown
    promise_base* promise_ = nullptr;
    root_state* prev_ = nullptr;  // registry links, guarded by the shard's lock
    root_state* next_ = nullptr;
    block_on_waiter* waiter_ = nullptr;  // kind::blocking only
    task_group_state* group_ = nullptr;  // the group it was spawned into, if any
    const char* label_;  // an interned name, the spawn site's file, or null (see above)
};

// One root_state per spawned task: at a million sleepers each byte counts a megabyte.
static_assert(sizeof(void*) != 8 || sizeof(root_state) <= 2 * frame_granule,
              "root_state grew past two frame granules (128 bytes on 64-bit targets)");

// Compiled in runtime/task/task_label.cpp: a copy of `name` that lives as long as the process, the
// same pointer for equal names. Any thread; takes a lock unless the calling thread interned the
// same name last (a loop spawning tasks of one name).
const char* intern_task_name(std::string_view name);

// Compiled in runtime/task/root_state.cpp.
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
