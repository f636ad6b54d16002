#pragma once
// wait_queue: the intrusive FIFO of tasks suspended on a coordination primitive (mutex,
// semaphore, event, latch, barrier), and the protocol every such wait follows.
//
// The node is the allocation. A waiting task's `sync_waiter` lives in its awaiter, inside the
// suspended coroutine frame; the primitive links it into a doubly linked list guarded by the
// primitive's own tiny_mutex. Waiting allocates nothing, and a cancelled waiter leaves the
// middle of the list in O(1).
//
// One wait, start to end:
//   1. await_ready: begin_wait() -- outside a runtime is a logic_error; cancellation is checked
//      (every wait is a checkpoint, also when the primitive is ready at once); then the
//      primitive's lock-free fast path, if it has one.
//   2. await_suspend: suspend_on() records the coroutine and its runtime in the node and calls
//      detail::suspend_cancellable (cancel_tree.hpp) with the primitive's `link` (which takes
//      the primitive's lock -- for a child strand's wait, nested inside the domain's -- and
//      links the node, or returns false if the primitive became ready) and its `abort`.
//   3. Wake-up: under its lock the primitive unlinks the node (`linked` = false) into a
//      wake_list; after unlocking, wake() schedules each coroutine on its own runtime. Nothing
//      is resumed inline, and no lock is held while scheduling.
//   4. Cancellation: a sweep calls the abort function (cancel_tree.hpp), which takes the
//      primitive's lock and, if the node is still linked, unlinks it and returns the coroutine;
//      if the primitive already woke it, abort returns null ("completed wins": a lock handed
//      over or a permit granted is kept, and the task sees the cancellation at its next
//      checkpoint).
//   5. await_resume: detail::resume_cancellable, which throws weft::cancelled after an abort.
//
// Lifetime: a primitive must outlive every co_await on it -- until every wait has *returned*,
// not only until it was woken (a sweep may still be looking at a woken waiter under the
// primitive's lock). Destroying a primitive while tasks wait on it is undefined behaviour; the
// destructors assert that no waiter is linked, in builds with assertions on.
#include <coroutine>
#include <mutex>
#include <stdexcept>
#include <string>

#include <weft/detail/cancel/cancel_tree.hpp>
#include <weft/detail/scheduler/worker_context.hpp>

namespace weft::detail {

struct sync_waiter : cancel_waiter {
    // The primitive's queue; all three fields are guarded by the primitive's lock.
    sync_waiter* queue_prev = nullptr;
    sync_waiter* queue_next = nullptr;
    bool linked = false;
    std::coroutine_handle<> handle;  // the suspended task
    scheduler* sched = nullptr;      // its runtime, where it is resumed
};

// Waiters unlinked under a primitive's lock, to be scheduled by wake() after unlocking. Chained
// through their queue links, oldest first; nobody else touches an unlinked node.
struct wake_list {
    sync_waiter* head = nullptr;
    sync_waiter* tail = nullptr;

    bool empty() const noexcept { return head == nullptr; }
    void push_back(sync_waiter& w) noexcept {
        w.queue_prev = tail;
        w.queue_next = nullptr;
        (tail != nullptr ? tail->queue_next : head) = &w;
        tail = &w;
    }
};

class wait_queue {
public:
    wait_queue() noexcept = default;
    wait_queue(const wait_queue&) = delete;
    wait_queue& operator=(const wait_queue&) = delete;

    bool empty() const noexcept { return head_ == nullptr; }

    void push_back(sync_waiter& w) noexcept {
        w.queue_prev = tail_;
        w.queue_next = nullptr;
        (tail_ != nullptr ? tail_->queue_next : head_) = &w;
        tail_ = &w;
        w.linked = true;
    }

    // The oldest waiter, unlinked; the queue must not be empty.
    sync_waiter& pop_front() noexcept {
        sync_waiter& w = *head_;
        remove(w);
        return w;
    }

    // Unlinks `w`, which must be linked here.
    void remove(sync_waiter& w) noexcept {
        (w.queue_prev != nullptr ? w.queue_prev->queue_next : head_) = w.queue_next;
        (w.queue_next != nullptr ? w.queue_next->queue_prev : tail_) = w.queue_prev;
        w.queue_prev = w.queue_next = nullptr;
        w.linked = false;
    }

    // For an abort function (lock held): unlinks `w` and returns its coroutine if it is still
    // linked here; null if the primitive already woke it.
    std::coroutine_handle<> remove_if_linked(sync_waiter& w) noexcept {
        if (!w.linked) return {};
        remove(w);
        return w.handle;
    }

    // Unlinks every waiter, oldest first, into a wake_list.
    wake_list take_all() noexcept {
        wake_list out{head_, tail_};
        for (sync_waiter* w = head_; w != nullptr; w = w->queue_next) w->linked = false;
        head_ = tail_ = nullptr;
        return out;
    }

private:
    sync_waiter* head_ = nullptr;
    sync_waiter* tail_ = nullptr;
};

// Compiled in runtime/sync/wait_queue.cpp: schedules every waiter of `list` on its runtime. Call it
// with no lock held. On a worker the woken tasks go on its deque so that they run oldest first;
// elsewhere they go through the runtime's shared queue, oldest first too. Scheduling fails only
// when memory is exhausted, which terminates (as in the cancellation sweep).
void wake(wake_list list) noexcept;

// Step 1 of a wait (see above): throws std::logic_error off the runtime, records the task's
// cancel node for await_resume, and throws weft::cancelled if the task was cancelled.
inline void begin_wait(sync_waiter& w, const char* what) {
    current_worker(what);
    w.node = tls_cancel;
    w.aborted = false;
    check_cancelled();
}

// Step 2: returns whether the task suspended.
template <class Link>
bool suspend_on(sync_waiter& w, std::coroutine_handle<> h, cancel_waiter::abort_fn abort, Link&& link) {
    w.handle = h;
    w.sched = tls_worker->sched;
    return suspend_cancellable(w, abort, static_cast<Link&&>(link));
}

// The awaiter of a wait that ends once its primitive is ready (event::wait, latch::wait). The
// primitive befriends it and provides `ready_now()` (a lock-free check), `link(sync_waiter&)`
// (under its lock: links the waiter, or returns false if it became ready meanwhile), and its
// `lock_` and `waiters_`.
template <class Primitive>
class [[nodiscard]] until_ready_awaiter {
public:
    until_ready_awaiter(Primitive& p, const char* what) noexcept : what_(what) { waiter_.owner = &p; }
    until_ready_awaiter(const until_ready_awaiter&) = delete;
    until_ready_awaiter& operator=(const until_ready_awaiter&) = delete;

    bool await_ready() {
        begin_wait(waiter_, what_);
        return waiter_.owner->ready_now();
    }
    bool await_suspend(std::coroutine_handle<> h) {
        return suspend_on(waiter_, h, &abort_wait, [this] { return waiter_.owner->link(waiter_); });
    }
    void await_resume() { resume_cancellable(waiter_); }

private:
    struct waiter : sync_waiter {
        Primitive* owner = nullptr;
    };

    static std::coroutine_handle<> abort_wait(cancel_waiter& w) noexcept {
        // safety: only until_ready_awaiter registers abort_wait, for its `waiter_`.
        auto& self = static_cast<waiter&>(w);
        std::lock_guard guard(self.owner->lock_);
        return self.owner->waiters_.remove_if_linked(self);
    }

    waiter waiter_;
    const char* what_;
};

}  // namespace weft::detail
