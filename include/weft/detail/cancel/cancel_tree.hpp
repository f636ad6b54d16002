#pragma once
// Cancellation state: who may cancel what, how a task learns of it, how a suspended one wakes.
//
// Strands and nodes. A spawned task and everything it awaits directly form one *strand* (one
// of its frames runs or is suspended at any moment); gather, when_any, timeout and task_group
// start child strands, which may run at once. Each strand has a cancel_node pointing at its
// parent strand's, so a node is cancelled when its own flag or an ancestor's is set (flags are
// never cleared). The root strand's node lives in its cancellation *domain*: every root
// (spawned task, run(), block_on) is one (root_state derives from cancel_domain), shared by all
// the strands it starts. `tls_cancel`, set at every weft resume point, is the running task's
// node, so weft::is_cancelled() is a thread-local load and, while nothing in the domain was
// ever cancelled, one more (`any_requested`): no walk up the tree.
//
// Waking suspended tasks. A suspension that cancellation must cut short (sleep, lock, channel,
// join handle, blocking call) embeds a cancel_waiter, *registers* it in its domain while it is
// suspended, and its primitive's `link` puts it in the primitive. Cancelling sets flags, then
// *sweeps* the domain: each registered waiter whose node is cancelled has its `abort` called,
// which unlinks it from the primitive (unless the primitive already woke it) and hands back the
// coroutine; the sweep schedules it and its await_resume throws weft::cancelled. The root
// strand suspends once at a time, so it registers in one word, the domain's *slot* (protocol
// A: two compare-exchanges a wait); child strands, which may be suspended several at once, and
// task groups' watches register in the domain's *list* under its tiny_mutex (protocol B).
//
// Protocol A. `root_slot` holds 0 (empty), a waiter's address, that address | 1 (claimed by a
// sweep) or 1 (the root node is cancelled); the waiter's `link`: linking, linked, not_waiting.
//   A1. Suspend: store link = linking, then compare-exchange the slot 0 -> &w; if it holds 1,
//       do not suspend (aborted).
//   A2. Call link(). If it returns true, store link = linked and touch nothing more: the
//       primitive may already have woken the task elsewhere, which waits for this store (A6).
//   A3. If link() returns false or throws, store link = not_waiting, then leave as in A6.
//   A4. Sweep (root node cancelled): fetch_or(1) claims the waiter, if any. Wait while its link
//       is `linking` -- the window between registering and linking. If linked, call abort(); on
//       success set `aborted`. Store 1, touch the waiter no more, schedule it if aborted.
//   A5. Normal wake-up: the primitive unlinks and schedules the waiter; no domain access.
//   A6. Leave (await_resume, or A3): wait while link is `linking`, then compare-exchange the
//       slot &w -> 0; if it holds &w | 1, wait until the sweep stores 1. `aborted` is then final.
//   Either wait lasts until the other side finishes a link() or an abort(), never longer.
//
// Protocol B (`lock` guards the list and `registered`).
//   B1. Suspend: under the lock, if the node is cancelled, do not suspend (aborted); otherwise
//       link the waiter into the list, then into the primitive (its lock nests inside this
//       one), so a sweep never sees a waiter that is listed but not yet in its primitive.
//   B2. Normal wake-up: the primitive unlinks and schedules the waiter; its await_resume takes
//       the lock and leaves the list (waiting out a sweep whose abort then returns null).
//   B3. Abort: a sweep, lock held, calls abort(); on success it unlists the waiter, clears
//       `registered`, sets `aborted`, schedules it and touches it no more (schedule and dequeue
//       order those writes before the woken task's reads). An abort may return null and stay
//       listed (a task group's watch): it is called again on each later sweep (idempotent).
//
// Invariants. A waiter is in the slot (`in_slot`), in the list (`registered`) or neither. The
// slot holds a waiter's address only between its A1 and A6, and 1 forever after its root's
// first sweep. While a sweep holds a claim, only the sweep and the waiter's own task (parked in
// A6) touch the waiter. Shutdown destroys a root's frame only after draining cancelled the root
// (scheduler.hpp), so its slot then holds 1 -- or the claim of a sweep begun earlier on another
// thread (the drain's own sweep returns at once on a claim), which forget_waiters
// (root_state.cpp) waits out, as its lock waits out a sweep of the list, before the frame dies.
//
// Who calls what. suspend_cancellable: an await_suspend, on the suspending task's thread;
// resume_cancellable / leave_cancellable: that awaiter's await_resume; request_cancel and
// publish_cancel: any thread, the caller keeping the domain alive; abort: sweeps only (B: the
// domain lock held; A: no lock). Lock order: domain lock, then the primitive's (or a child
// domain's, for a task group's watch). A primitive never takes a domain lock or cancels
// anything while holding its own, and link() never cancels its own domain.
//
// Completed wins: a wait that a primitive completed (a value received, a lock acquired, a
// timer fired) returns normally even if cancellation was requested meanwhile; the task sees
// the cancellation at its next checkpoint. Nothing a primitive handed over is ever lost.
#include <atomic>
#include <cassert>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <type_traits>

#include <weft/detail/sync/tiny_mutex.hpp>
#include <weft/errors.hpp>

namespace weft::detail {

class scheduler;
struct cancel_domain;

struct cancel_node {
    cancel_domain* domain = nullptr;
    cancel_node* parent = nullptr;  // null for the domain's root node
    std::atomic<bool> requested{false};
};

enum class link_state : std::uint8_t { linking, linked, not_waiting };  // protocol A

struct cancel_waiter {
    // Called by a sweep: unlinks from the primitive if still linked and returns the coroutine
    // to resume; null if the primitive already woke it.
    using abort_fn = std::coroutine_handle<> (*)(cancel_waiter&) noexcept;

    abort_fn abort = nullptr;
    cancel_node* node = nullptr;
    cancel_waiter* prev = nullptr;  // the domain's list, guarded by its lock
    cancel_waiter* next = nullptr;
    bool registered = false;  // in the domain's list (protocol B)
    bool in_slot = false;     // in the domain's slot (protocol A); the waiting task's own field
    bool aborted = false;
    std::atomic<link_state> link{link_state::linking};  // protocol A's progress
};

struct cancel_domain {
    static constexpr std::uintptr_t slot_empty = 0;
    static constexpr std::uintptr_t slot_swept = 1;  // claimed by a sweep; alone: cancelled

    explicit cancel_domain(scheduler& s) noexcept : sched(&s) { node.domain = this; }
    cancel_domain(const cancel_domain&) = delete;
    cancel_domain& operator=(const cancel_domain&) = delete;

    // no_unique_address: any_requested and lock fill the node's tail padding (not POD for
    // layout, so the Itanium ABI reuses it), which keeps a domain at 48 bytes with the slot.
    [[no_unique_address]] cancel_node node;
    // Set (after the flag) by every cancellation in the domain; never cleared. While false,
    // no node of the domain is cancelled and checks need not walk the tree.
    std::atomic<bool> any_requested{false};
    tiny_mutex lock;
    std::atomic<std::uintptr_t> root_slot{slot_empty};
    cancel_waiter* waiters = nullptr;
    scheduler* sched;
};
static_assert(sizeof(void*) != 8 || sizeof(cancel_domain) == 48, "cancel_domain: node padding not reused");

// The node of the task running on this thread (null off the runtime).
inline constinit thread_local cancel_node* tls_cancel = nullptr;

inline bool cancel_requested(const cancel_node* n) noexcept {
    if (n == nullptr) return false;
    // acquire: pairs with the release store in publish_cancel(), making the flags set before
    // it visible to the walk.
    if (!n->domain->any_requested.load(std::memory_order_acquire)) [[likely]]
        return false;
    for (; n != nullptr; n = n->parent)
        // relaxed: ordered by the acquire above (flags are set before any_requested).
        if (n->requested.load(std::memory_order_relaxed)) return true;
    return false;
}

[[noreturn, gnu::cold, gnu::noinline]] inline void throw_cancelled() { throw weft::cancelled(); }

// Throws weft::cancelled if the running task was cancelled: the entry check of a checkpoint.
inline void check_cancelled() {
    if (cancel_requested(tls_cancel)) [[unlikely]]
        throw_cancelled();
}

// Compiled in runtime/cancel/cancel_tree.cpp.
// Whether `e` holds a weft::cancelled: how an ended task tells being cancelled from failing.
bool is_cancellation(const std::exception_ptr& e);
// Sets n's flag and sweeps its domain. Any thread.
void request_cancel(cancel_node& n) noexcept;
// For callers that set several flags themselves (relaxed): publishes them and sweeps.
void publish_cancel(cancel_domain& d) noexcept;
// Protocol B1, type-erased (child strands' waits): `link(context)` calls the primitive's link.
bool suspend_in_list(cancel_waiter& w, bool (*link)(const void*), const void* context);
// Protocol B2: leaves the domain's list (await_resume of a normally woken waiter).
void unregister_waiter(cancel_waiter& w) noexcept;
// Protocol A3, and A6's two waits.
void leave_slot_unlinked(cancel_domain& d, cancel_waiter& w) noexcept;
void await_link(const cancel_waiter& w) noexcept;
void await_slot_release(const cancel_domain& d, const cancel_waiter& w) noexcept;
// Shutdown, before a cancelled root's frame dies: waits until no sweep holds a claim on the slot.
void await_slot_settled(const cancel_domain& d) noexcept;
// A registration that is not a suspension (task_group): `w.abort` is called on every sweep that
// finds w's node cancelled, at once if it already is. unwatch() before `w` goes away.
void watch(cancel_waiter& w, cancel_node& n) noexcept;
void unwatch(cancel_waiter& w) noexcept;

// Protocol A6: takes w out of the slot, waiting out a sweep that claimed it.
inline void leave_slot(cancel_domain& d, cancel_waiter& w) noexcept {
    auto expected = reinterpret_cast<std::uintptr_t>(&w);
    // acquire: on failure, pairs with the sweep's release store (A4), so its writes to w, and
    // `aborted`, are visible; nothing is published to whoever finds the slot empty.
    if (!d.root_slot.compare_exchange_strong(expected, cancel_domain::slot_empty, std::memory_order_acquire) &&
        expected != cancel_domain::slot_swept) [[unlikely]]
        await_slot_release(d, w);
}

// Protocol A1-A3: w's node is its domain's own.
template <class Link>
bool suspend_in_slot(cancel_domain& d, cancel_waiter& w, Link& link) {
    // relaxed: published by the compare-exchange's release below.
    w.link.store(link_state::linking, std::memory_order_relaxed);
    std::uintptr_t expected = cancel_domain::slot_empty;
    // acq_rel: the release pairs with the sweep's acquire fetch_or (A4), publishing w's fields
    // and `linking`; the acquire matters on failure, pairing with the sweep's release store of
    // slot_swept.
    if (!d.root_slot.compare_exchange_strong(expected, reinterpret_cast<std::uintptr_t>(&w),
                                             std::memory_order_acq_rel, std::memory_order_acquire)) {
        assert(expected == cancel_domain::slot_swept && "two waits of one root strand at once");
        w.aborted = true;
        return false;
    }
    w.in_slot = true;
    bool waits = false;
    try {
        waits = link();
    } catch (...) {
        leave_slot_unlinked(d, w);
        throw;
    }
    if (waits)
        // release: pairs with the acquire loads of the sweep (A4) and of the woken task (A6):
        // w is in its primitive, and this is this thread's last touch of w.
        w.link.store(link_state::linked, std::memory_order_release);
    else
        leave_slot_unlinked(d, w);
    return waits;
}

// For an await_suspend: returns whether the task suspended. `link()` puts the waiter in its
// primitive and returns true, or returns false when there is no need to wait (the primitive is
// ready after all); it may throw, and then nothing stays registered.
template <class Link>
bool suspend_cancellable(cancel_waiter& w, cancel_waiter::abort_fn abort, Link&& link) {
    cancel_node* n = tls_cancel;
    w.abort = abort;
    w.node = n;
    w.aborted = false;
    if (n == nullptr) return link();
    cancel_domain& d = *n->domain;
    if (n == &d.node) [[likely]]
        return suspend_in_slot(d, w, link);
    using link_type = std::remove_reference_t<Link>;
    return suspend_in_list(w, [](const void* l) { return (*static_cast<const link_type*>(l))(); }, &link);
}

// For an await_resume that reports cancellation itself: leaves the slot or the list (A6, B2)
// and makes the task's node current again; `w.aborted` then tells whether the wait was aborted.
inline void leave_cancellable(cancel_waiter& w) noexcept {
    if (w.in_slot) {
        w.in_slot = false;
        cancel_domain& d = *w.node->domain;
        // acquire: pairs with the suspender's release store of `linked` (A2).
        if (w.link.load(std::memory_order_acquire) == link_state::linking) [[unlikely]]
            await_link(w);
        leave_slot(d, w);
    } else if (w.registered) {
        unregister_waiter(w);
    }
    tls_cancel = w.node;
}

// For an await_resume: leave_cancellable, then weft::cancelled if the wait was aborted.
inline void resume_cancellable(cancel_waiter& w) {
    leave_cancellable(w);
    if (w.aborted) [[unlikely]]
        throw_cancelled();
}

}  // namespace weft::detail
