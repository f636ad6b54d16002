// Cancellation sweeps and registrations (protocol in weft/detail/cancel_state.hpp).
#include <weft/detail/cancel_state.hpp>

#include "scheduler.hpp"

namespace weft::detail {
namespace {

void unlink(cancel_domain& d, cancel_waiter& w) noexcept {
    (w.prev != nullptr ? w.prev->next : d.waiters) = w.next;
    if (w.next != nullptr) w.next->prev = w.prev;
    w.prev = w.next = nullptr;
    w.registered = false;
}

// Protocol step 3 for every registered waiter of `d` whose node is cancelled. Lock held.
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

void publish_cancel(cancel_domain& d) noexcept {
    // release: pairs with the acquire load in cancel_requested(); the flags stored (relaxed)
    // before this become visible to every check that sees `true`.
    d.any_requested.store(true, std::memory_order_release);
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
