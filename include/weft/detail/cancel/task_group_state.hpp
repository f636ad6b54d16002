#pragma once
// The state behind weft::task_group (task_group.hpp): which children it has, how many have not
// finished, the failures so far, and the cancellation links.
//
// Cancellation: the body runs on its own strand, `body_node_`, a child of the awaiting task's
// node, so g.cancel() stops the body without touching the caller. The children are spawned
// roots with domains of their own, which no sweep of the caller's domain reaches; so the group
// keeps a *watch* (cancel_tree.hpp) in the caller's domain, whose abort cancels every child
// when the caller is cancelled.
//
// Joining: `unfinished_` counts the children not finished plus one share held by the group
// itself until join() gives it up. Whoever takes it to zero -- the join (all children already
// done) or the last child -- goes on: the child by scheduling the join's waiter, stored before
// the join gave up its share. Children touch the group only before their decrement, so the
// group may be destroyed as soon as the count is zero.
//
// Lock order (extends cancel_tree.hpp's): caller's domain lock (a sweep calling the watch),
// then `lock_`, then a child's domain lock (cancelling it; a sweep of a child's slot holds no
// lock, and only waits for a link() or an abort() in the child, which take none of these).
#include <atomic>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <vector>

#include <weft/detail/cancel/cancel_tree.hpp>
#include <weft/detail/task/root_state.hpp>
#include <weft/detail/sync/tiny_mutex.hpp>
#include <weft/task.hpp>

namespace weft::detail {

class task_group_state {
public:
    task_group_state() noexcept = default;
    task_group_state(const task_group_state&) = delete;
    task_group_state& operator=(const task_group_state&) = delete;
    ~task_group_state();

    // Compiled in runtime/cancel/task_group_state.cpp.
    void open();                                   // binds to the running task and runtime
    void adopt(root_state& r);                     // a new child: counts, links, schedules it
    void cancel() noexcept;                        // the body and every child
    void body_failed(std::exception_ptr e) noexcept;
    void child_finished(root_state& r) noexcept;   // from root_finished, on the child's thread
    void finish();                                 // after join(): rethrows the outcome

    scheduler& owner() const noexcept { return *sched_; }

    // Awaits `body` on the group's body strand.
    template <class T>
    auto run_body(task<T>& body) {
        struct awaiter {
            std::coroutine_handle<task_promise<T>> handle;
            task_group_state* self;
            bool await_ready() const {
                check_startable(handle, "weft::with_task_group: the body");
                return false;
            }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
                handle.promise().target_.continuation = caller;
                handle.promise().cancel_ = &self->body_node_;
                return handle;
            }
            T await_resume() {
                tls_cancel = self->caller_node_;
                return handle.promise().take();
            }
        };
        return awaiter{task_access::handle(body), this};
    }

    // Waits until every child finished (not a checkpoint: cancellation reaches the children
    // through the watch, and the group must outlive them).
    auto join() noexcept {
        struct awaiter {
            task_group_state* self;
            bool await_ready() const noexcept { return false; }
            bool await_suspend(std::coroutine_handle<> h) noexcept {
                self->waiter_ = h;
                // acq_rel: release publishes waiter_ to the last child's decrement; acquire
                // (when this is the last share) pairs with the children's decrements.
                return self->unfinished_.fetch_sub(1, std::memory_order_acq_rel) != 1;
            }
            void await_resume() const noexcept { tls_cancel = self->caller_node_; }
        };
        return awaiter{this};
    }

private:
    struct caller_watch : cancel_waiter {
        task_group_state* self = nullptr;
    };
    static std::coroutine_handle<> caller_cancelled(cancel_waiter& w) noexcept;
    void cancel_children() noexcept;

    cancel_node body_node_;
    cancel_node* caller_node_ = nullptr;
    caller_watch watch_;
    scheduler* sched_ = nullptr;
    std::atomic<std::size_t> unfinished_{1};
    std::coroutine_handle<> waiter_;
    tiny_mutex lock_;  // guards the fields below
    std::vector<root_state*> children_;  // each holds a reference, dropped by the destructor
    std::vector<std::exception_ptr> failures_;
    std::exception_ptr body_error_;
    bool cancelled_ = false;
    bool finished_ = false;
};

}  // namespace weft::detail
