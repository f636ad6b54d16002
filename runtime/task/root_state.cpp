// Roots: spawning, finishing, detaching and abandoning (protocol in detail/task/root_state.hpp).
#include <weft/detail/task/root_state.hpp>

#include <mutex>

#include "task/block_on_waiter.hpp"
#include "observe/log.hpp"
#include "task/root_lifecycle.hpp"
#include "scheduler/scheduler.hpp"
#include <weft/detail/cancel/task_group_state.hpp>

namespace weft::detail {

void release_root(root_state& r) noexcept {
    // acq_rel: the last releaser acquires everything the other holders did before releasing.
    if (r.refs_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    if (r.frame_) r.frame_.destroy();
    delete &r;
}

void schedule_root(scheduler& s, root_state& r) {
    const bool local = s.on_own_worker();
    const std::size_t hint = local ? tls_worker->index : reinterpret_cast<std::uintptr_t>(&r) >> 6;
    if (local) tls_worker->spawned.add();
    else s.count_remote_spawn();
    r.promise_->cancel_ = &r.node;
    // Spawned while the runtime shuts down (by a task unwinding, say): cancelled at birth, so
    // its first resume throws weft::cancelled and shutdown is not held up by new work.
    if (s.roots().insert(r, hint)) request_cancel(r.node);
    // safety: before the schedule, after which another worker may run r to completion and free it.
    if (poll_observer* o = s.observer(); o != nullptr && o->traces_spawns()) [[unlikely]]
        o->spawned(r);
    s.schedule(r.frame_);
}

std::coroutine_handle<> root_finished(root_state& r) noexcept {
    switch (r.kind_) {
        case root_state::kind::main:
            r.sched->begin_drain();
            return std::noop_coroutine();
        case root_state::kind::blocking:
            // safety: after signal() the blocked thread may return and destroy `r`; nothing
            // below touches it.
            r.waiter_->signal();
            return std::noop_coroutine();
        case root_state::kind::spawned:
            break;
    }
    scheduler& sched = *r.sched;
    const bool draining = sched.roots().remove(r);
    // acq_rel: release publishes the result to the handle (pairs with its acquire in done()
    // and in the awaiter's compare-exchange); acquire pairs with the handle's release when it
    // stored its waiter or detached.
    const std::uintptr_t prev = r.join_word_.exchange(root_state::done, std::memory_order_acq_rel);
    std::coroutine_handle<> next = std::noop_coroutine();
    if (prev == root_state::detached) {
        if (r.promise_->exception_ && log_unobserved_exception(r.promise_->exception_))
            sched.count_unobserved_failure();
    } else if (prev != root_state::running) {
        next = std::coroutine_handle<>::from_address(reinterpret_cast<void*>(prev));
    }
    // safety: a group holds its own reference to `r` until the group is destroyed, which
    // cannot happen before this child's decrement in child_finished.
    task_group_state* group = r.group_;
    release_root(r);
    if (group != nullptr) group->child_finished(r);
    // Shutdown waits for the last root to finish (scheduler.hpp, shutdown step 2).
    if (draining && sched.roots().empty()) sched.request_stop();
    return next;
}

void drop_root_handle(root_state& r, bool taken) noexcept {
    // acq_rel: acquire pairs with root_finished's exchange (so a finished task's exception is
    // visible here); release publishes the detachment to it.
    const std::uintptr_t prev = r.join_word_.exchange(root_state::detached, std::memory_order_acq_rel);
    if (prev == root_state::done && !taken && !r.abandoned_ && r.promise_->exception_ &&
        log_unobserved_exception(r.promise_->exception_))
        r.sched->count_unobserved_failure();
    release_root(r);
}

void forget_waiters(root_state& r) noexcept {
    // The slot (protocol A): a sweep that claimed it on another thread may still be calling the
    // waiter's abort; wait it out, as the lock below waits out a sweep of the list.
    await_slot_settled(r);
    std::lock_guard guard(r.lock);
    for (cancel_waiter* w = r.waiters; w != nullptr; w = w->next) w->registered = false;
    r.waiters = nullptr;
}

void abandon_root(root_state& r) noexcept {
    r.abandoned_ = true;
    // The frame's registered waiters die with it: unregister them all, so that neither a later
    // cancel() through a surviving handle nor a destructor that unregisters touches the list.
    forget_waiters(r);
    // relaxed: shutdown runs on one thread after every worker was joined.
    r.join_word_.store(root_state::done, std::memory_order_relaxed);
    std::exchange(r.frame_, {}).destroy();
    release_root(r);
}

}  // namespace weft::detail
