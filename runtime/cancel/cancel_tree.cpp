// Cancellation sweeps and registrations (protocols A and B in weft/detail/cancel/cancel_tree.hpp).
#include <weft/detail/cancel/cancel_tree.hpp>

#include <exception>
#include <mutex>
#include <thread>

#include "scheduler/scheduler.hpp"

namespace weft::detail {
namespace {

// The waits of protocol A: each side waits for the other to finish a link() or an abort(),
// neither of which waits for anything the waiting side holds, so the wait is short; yielding
// keeps it from starving a preempted other side on an oversubscribed machine.
template <class Done>
void spin_until(Done done) noexcept {
    for (unsigned i = 0; !done(); ++i)
        if (i >= 64) std::this_thread::yield();
}

void unlink(cancel_domain& d, cancel_waiter& w) noexcept {
    (w.prev != nullptr ? w.prev->next : d.waiters) = w.next;
    if (w.next != nullptr) w.next->prev = w.prev;
    w.prev = w.next = nullptr;
    w.registered = false;
}

// Protocol A4, for a domain whose root node is cancelled.
void sweep_slot(cancel_domain& d) noexcept {
    // relaxed: a peek that skips the fetch_or below once the slot is swept (sticky); the
    // fetch_or is what decides and orders.
    if ((d.root_slot.load(std::memory_order_relaxed) & cancel_domain::slot_swept) != 0) return;
    // acq_rel: the acquire pairs with the suspender's release compare-exchange (A1), making the
    // waiter's fields and `linking` visible; the release pairs with the acquire of a later A1
    // that fails on the mark.
    const std::uintptr_t old = d.root_slot.fetch_or(cancel_domain::slot_swept, std::memory_order_acq_rel);
    if (old == cancel_domain::slot_empty || (old & cancel_domain::slot_swept) != 0) return;
    auto& w = *reinterpret_cast<cancel_waiter*>(old);
    link_state link = link_state::linking;
    // acquire: pairs with the suspender's release store of `linked` or `not_waiting` (A2, A3).
    spin_until([&] { return (link = w.link.load(std::memory_order_acquire)) != link_state::linking; });
    std::coroutine_handle<> h;
    if (link == link_state::linked) h = w.abort(w);
    if (h) w.aborted = true;
    scheduler* const s = d.sched;
    // release: pairs with the leaving task's acquire (A6): every access to w above happens
    // before it goes on. From here w is not touched; an aborted task runs only once scheduled.
    d.root_slot.store(cancel_domain::slot_swept, std::memory_order_release);
    if (h) s->schedule(h);
}

// Protocol B3 for every registered waiter of `d` whose node is cancelled. Lock held.
void sweep_locked(cancel_domain& d) noexcept {
    for (cancel_waiter* w = d.waiters; w != nullptr;) {
        cancel_waiter* next = w->next;
        if (cancel_requested(w->node)) {
            if (const std::coroutine_handle<> h = w->abort(*w)) {
                unlink(d, *w);
                w->aborted = true;
                // safety: from here the task may run, finish and free `w`; it is not touched again.
                d.sched->schedule(h);
            }
        }
        w = next;
    }
}

}  // namespace

bool is_cancellation(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const weft::cancelled&) {
        return true;
    } catch (...) {
        return false;
    }
}

bool suspend_in_list(cancel_waiter& w, bool (*link)(const void*), const void* context) {
    cancel_domain& d = *w.node->domain;
    std::lock_guard guard(d.lock);
    if (cancel_requested(w.node)) {
        w.aborted = true;
        return false;
    }
    // Listed before link(): once the primitive has the waiter it may wake it on another
    // thread, whose await_resume reads `registered` (ordered by the primitive's lock and the
    // schedule that follows) and then waits on the domain lock we still hold.
    w.prev = nullptr;
    w.next = d.waiters;
    if (d.waiters != nullptr) d.waiters->prev = &w;
    d.waiters = &w;
    w.registered = true;
    bool waits = false;
    try {
        waits = link(context);
    } catch (...) {
        unlink(d, w);
        throw;
    }
    if (!waits) unlink(d, w);
    return waits;
}

void publish_cancel(cancel_domain& d) noexcept {
    // release: pairs with the acquire load in cancel_requested(); the flags stored (relaxed)
    // before this become visible to every check that sees `true`.
    d.any_requested.store(true, std::memory_order_release);
    // relaxed: set by this thread (request_cancel), or by a concurrent request_cancel that
    // sweeps the slot itself.
    if (d.node.requested.load(std::memory_order_relaxed)) sweep_slot(d);
    std::lock_guard guard(d.lock);
    sweep_locked(d);
}

void request_cancel(cancel_node& n) noexcept {
    // relaxed: published by the release store in publish_cancel().
    n.requested.store(true, std::memory_order_relaxed);
    publish_cancel(*n.domain);
}

void unregister_waiter(cancel_waiter& w) noexcept {
    cancel_domain& d = *w.node->domain;
    std::lock_guard guard(d.lock);
    unlink(d, w);
}

void leave_slot_unlinked(cancel_domain& d, cancel_waiter& w) noexcept {
    w.in_slot = false;
    // release: pairs with the sweep's acquire load (A4), which then leaves w alone.
    w.link.store(link_state::not_waiting, std::memory_order_release);
    leave_slot(d, w);
}

void await_link(const cancel_waiter& w) noexcept {
    // acquire: pairs with the suspender's release store of `linked` (A2).
    spin_until([&] { return w.link.load(std::memory_order_acquire) != link_state::linking; });
}

void await_slot_release(const cancel_domain& d, const cancel_waiter& w) noexcept {
    const std::uintptr_t claimed = reinterpret_cast<std::uintptr_t>(&w) | cancel_domain::slot_swept;
    // acquire: pairs with the sweep's release store of slot_swept (A4).
    spin_until([&] { return d.root_slot.load(std::memory_order_acquire) != claimed; });
}

void await_slot_settled(const cancel_domain& d) noexcept {
    spin_until([&] {
        // acquire: pairs with the sweep's release store of slot_swept (A4): its accesses to the
        // claimed waiter happen before the caller destroys the waiter's frame.
        const std::uintptr_t slot = d.root_slot.load(std::memory_order_acquire);
        return (slot & cancel_domain::slot_swept) == 0 || slot == cancel_domain::slot_swept;
    });
}

void watch(cancel_waiter& w, cancel_node& n) noexcept {
    w.node = &n;
    w.aborted = false;
    cancel_domain& d = *n.domain;
    std::lock_guard guard(d.lock);
    w.prev = nullptr;
    w.next = d.waiters;
    if (d.waiters != nullptr) d.waiters->prev = &w;
    d.waiters = &w;
    w.registered = true;
    if (cancel_requested(&n)) w.abort(w);
}

void unwatch(cancel_waiter& w) noexcept {
    if (w.registered) unregister_waiter(w);
}

}  // namespace weft::detail
