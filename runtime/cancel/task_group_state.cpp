// weft::task_group's compiled half (design in weft/detail/cancel/task_group_state.hpp).
#include <weft/task_group.hpp>

#include <mutex>
#include <string>

#include "scheduler/scheduler.hpp"

namespace weft {
namespace {

std::string describe(const std::vector<std::exception_ptr>& failures) {
    std::string first = "an exception not derived from std::exception";
    try {
        std::rethrow_exception(failures.front());
    } catch (const std::exception& e) {
        first = e.what();
    } catch (...) {
    }
    return "weft::task_group_error: " + std::to_string(failures.size()) + " tasks of the group failed; the first: " +
           first;
}

}  // namespace

task_group_error::task_group_error(std::vector<std::exception_ptr> failures)
    : std::runtime_error(describe(failures)), failures_(std::move(failures)) {}

namespace detail {

task_group_state::~task_group_state() {
    unwatch(watch_);
    for (root_state* r : children_) release_root(*r);
}

void task_group_state::open() {
    worker_context& w = current_worker("weft::with_task_group");
    if (tls_cancel == nullptr) throw_off_runtime("weft::with_task_group");  // a foreign coroutine
    sched_ = w.sched;
    caller_node_ = tls_cancel;
    body_node_.domain = caller_node_->domain;
    body_node_.parent = caller_node_;
    watch_.abort = &caller_cancelled;
    watch_.self = this;
    watch(watch_, *caller_node_);
}

std::coroutine_handle<> task_group_state::caller_cancelled(cancel_waiter& w) noexcept {
    // The body is cancelled with the caller (its node descends from the caller's); the
    // children are not, so cancel them here. Returns null: the watch stays registered.
    static_cast<caller_watch&>(w).self->cancel_children();
    return {};
}

void task_group_state::adopt(root_state& r) {
    bool cancel_at_birth = false;
    {
        std::lock_guard guard(lock_);
        // The task's frame was taken out of its task<T>: on failure it is destroyed here.
        const auto discard = [&r] {
            r.frame_.destroy();
            delete &r;
        };
        if (finished_) {
            discard();
            throw std::logic_error("weft::task_group::spawn: the group has finished (spawn from its body or children)");
        }
        try {
            children_.push_back(&r);
        } catch (...) {
            discard();
            throw;
        }
        cancel_at_birth = cancelled_;
    }
    // relaxed: r is not published yet; its refs are ordered by the schedule below.
    r.refs_.store(3, std::memory_order_relaxed);  // the task, the handle, the group
    r.group_ = this;
    // relaxed: the group's own share keeps the count above zero until join(); the child's
    // decrement is ordered after this by the schedule.
    unfinished_.fetch_add(1, std::memory_order_relaxed);
    if (cancel_at_birth) request_cancel(r.node);
    schedule_root(*sched_, r);
}

void task_group_state::cancel_children() noexcept {
    std::lock_guard guard(lock_);
    cancelled_ = true;
    for (root_state* r : children_) request_cancel(r->node);
}

void task_group_state::cancel() noexcept {
    cancel_children();
    request_cancel(body_node_);
}

void task_group_state::body_failed(std::exception_ptr e) noexcept {
    {
        std::lock_guard guard(lock_);
        if (!detail::is_cancellation(e)) failures_.push_back(e);
        body_error_ = std::move(e);
    }
    cancel_children();
}

void task_group_state::child_finished(root_state& r) noexcept {
    const std::exception_ptr& e = r.promise_->exception_;
    bool first_failure = false;
    if (e && !is_cancellation(e)) {
        std::lock_guard guard(lock_);
        failures_.push_back(e);
        first_failure = failures_.size() == 1;
    }
    if (first_failure) cancel();
    scheduler& s = *sched_;
    // acq_rel: release orders this child's writes above before the join's (or the last
    // child's) acquire; acquire, when this is the last share, pairs with join()'s release.
    if (unfinished_.fetch_sub(1, std::memory_order_acq_rel) == 1) s.schedule(waiter_);
}

void task_group_state::finish() {
    unwatch(watch_);
    {
        std::lock_guard guard(lock_);
        finished_ = true;
    }
    if (failures_.size() == 1) std::rethrow_exception(failures_.front());
    if (failures_.size() > 1) throw task_group_error(std::move(failures_));
    if (body_error_) std::rethrow_exception(body_error_);
    if (cancelled_ || cancel_requested(caller_node_)) throw cancelled();
}

}  // namespace detail
}  // namespace weft
