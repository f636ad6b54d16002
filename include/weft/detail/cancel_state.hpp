#pragma once
// Cancellation state: who may cancel what, how a task learns of it, how a suspended one wakes.
//
// Strands and nodes. A spawned task and everything it awaits directly form one *strand*: at
// any moment one of its frames runs or is suspended. gather, when_any, timeout and task_group
// start new strands (their children may run at the same time). Each strand has a cancel_node;
// a child strand's node points at its parent's, so a node is cancelled when its own flag or
// any ancestor's is set. The root strand's node lives in its cancellation *domain*, which every
// spawned task, run() and block_on root has (root_state derives from cancel_domain): all the
// strands a root starts share its domain.
//
// Which node is running. `tls_cancel` is the node of the task the thread runs. Every weft
// resume point sets it: a task's first resume (initial_suspend, from the promise's `cancel_`,
// which whoever starts the task fills in), and every weft awaiter's await_resume. So
// weft::is_cancelled() is one thread-local load and, while nothing in the domain was ever
// cancelled, one more load (`any_requested`) -- no walk up the tree.
//
// Waking suspended tasks. A suspension that cancellation must cut short (sleep, a lock wait, a
// channel wait, a join handle, ...) embeds a cancel_waiter and registers it in its domain's
// list for as long as it is suspended. Cancelling sets the node's flag, then *sweeps* the
// domain: every registered waiter whose node is now cancelled gets its `abort` called, which
// unlinks it from its primitive (if the primitive did not already wake it) and hands back the
// coroutine to resume; the sweep schedules it, and its await_resume throws weft::cancelled.
//
// Protocol (the domain's tiny_mutex `lock` guards the waiter list and `registered`):
//   1. Suspend: under the lock, if the node is already cancelled, do not suspend (aborted);
//      otherwise link the waiter into the list, then into the primitive (its own lock nests
//      inside this one). Holding the domain lock across both means a sweep never sees a waiter
//      that is in the list but not yet in its primitive.
//   2. Normal wake-up: the primitive unlinks the waiter under its own lock and schedules it,
//      never touching the domain. The woken task, in await_resume, takes the domain lock and
//      leaves the list (it may wait there for a sweep that is calling its abort; that abort
//      finds it already unlinked from the primitive and returns null).
//   3. Abort: a sweep, holding the domain lock, calls abort(); on success it takes the waiter
//      out of the list, clears `registered`, sets `aborted`, then schedules the coroutine, and
//      touches the waiter no more. The woken task reads `registered == false` without the lock:
//      the schedule (a release) and the dequeue (an acquire) order those writes before its read.
//   4. Lock order: domain lock, then the primitive's lock (or a child domain's lock, for a
//      task_group, which cancels its children's domains from its abort). Primitives never take
//      a domain lock while holding their own.
// A waiter's `abort` may also return null and keep its registration (a task group's watch):
// then it is called again on each later sweep and must be idempotent.
//
// Completed wins: a wait that a primitive completed (a value received, a lock acquired, a
// timer fired) returns normally even if cancellation was requested meanwhile; the task sees
// the cancellation at its next checkpoint. Nothing a primitive handed over is ever lost.
#include <atomic>
#include <coroutine>
#include <exception>
#include <mutex>

#include <weft/detail/tiny_mutex.hpp>
#include <weft/errors.hpp>

namespace weft::detail {

class scheduler;
struct cancel_domain;

struct cancel_node {
    cancel_domain* domain = nullptr;
    cancel_node* parent = nullptr;  // null for the domain's root node
    std::atomic<bool> requested{false};
};

struct cancel_waiter {
    // Called by a sweep, domain lock held: unlink from the primitive if it is still linked
    // there and return the coroutine to resume; null if the primitive already woke it.
    using abort_fn = std::coroutine_handle<> (*)(cancel_waiter&) noexcept;

    abort_fn abort = nullptr;
    cancel_node* node = nullptr;
    cancel_waiter* prev = nullptr;  // the domain's list, guarded by its lock
    cancel_waiter* next = nullptr;
    bool registered = false;
    bool aborted = false;
};

struct cancel_domain {
    explicit cancel_domain(scheduler& s) noexcept : sched(&s) { node.domain = this; }
    cancel_domain(const cancel_domain&) = delete;
    cancel_domain& operator=(const cancel_domain&) = delete;

    cancel_node node;
    // Set (after the flag) by every cancellation in the domain; never cleared. While false,
    // no node of the domain is cancelled and checks need not walk the tree.
    std::atomic<bool> any_requested{false};
    tiny_mutex lock;
    cancel_waiter* waiters = nullptr;
    scheduler* sched;
};

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

// Whether `e` holds a weft::cancelled: how an ended task tells being cancelled from failing.
inline bool is_cancellation(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const weft::cancelled&) {
        return true;
    } catch (...) {
        return false;
    }
}

// Compiled in runtime/cancel.cpp.
// Sets n's flag and sweeps its domain. Any thread.
void request_cancel(cancel_node& n) noexcept;
// For callers that set several flags themselves (relaxed): publishes them and sweeps.
void publish_cancel(cancel_domain& d) noexcept;
// Protocol step 2: leaves the domain's list (await_resume of a normally woken waiter).
void unregister_waiter(cancel_waiter& w) noexcept;
// A registration that is not a suspension (task_group): `w.abort` is called on every sweep that
// finds w's node cancelled, at once if it already is. unwatch() before `w` goes away.
void watch(cancel_waiter& w, cancel_node& n) noexcept;
void unwatch(cancel_waiter& w) noexcept;

// Protocol step 1, for an await_suspend: returns whether the task suspended. `link()` puts the
// waiter in its primitive and returns true, or returns false when there is no need to wait
// (the primitive is ready after all); it may throw, and then nothing stays registered.
template <class Link>
bool suspend_cancellable(cancel_waiter& w, cancel_waiter::abort_fn abort, Link&& link) {
    cancel_node* n = tls_cancel;
    w.abort = abort;
    w.node = n;
    w.aborted = false;
    if (n == nullptr) return link();
    cancel_domain& d = *n->domain;
    std::lock_guard guard(d.lock);
    if (cancel_requested(n)) {
        w.aborted = true;
        return false;
    }
    // Linked before link(): once the primitive has the waiter it may wake it on another
    // thread, whose await_resume reads `registered` (ordered by the primitive's lock and the
    // schedule that follows) and then waits on the domain lock we still hold.
    w.prev = nullptr;
    w.next = d.waiters;
    if (d.waiters != nullptr) d.waiters->prev = &w;
    d.waiters = &w;
    w.registered = true;
    const auto leave = [&] {
        d.waiters = w.next;
        if (w.next != nullptr) w.next->prev = nullptr;
        w.registered = false;
    };
    try {
        if (link()) return true;
    } catch (...) {
        leave();
        throw;
    }
    leave();
    return false;
}

// Protocol steps 2-3, for an await_resume: leaves the list if still in it, makes the task's
// node current again, and throws weft::cancelled if the wait was aborted.
inline void resume_cancellable(cancel_waiter& w) {
    if (w.registered) unregister_waiter(w);
    tls_cancel = w.node;
    if (w.aborted) [[unlikely]]
        throw_cancelled();
}

}  // namespace weft::detail
