#pragma once
// The join point of a gather: how n children run and how the parent learns they all finished.
//
// Design (child stealing, Cilk-style work-first execution, with a join that is free when nobody
// steals):
//
//   start()  The parent, suspended in `co_await gather(...)`, pushes children 1..n-1 on its
//            worker's deque (oldest first, so thieves take the earliest ones) and transfers
//            straight into child 0. Nothing is queued for child 0 and nothing is allocated.
//
//   The inline chain. Child 0, and every sibling the chain later resumes itself, carries
//   `inline_ = true`. When such a child finishes, the chain pops the worker's deque. Children
//   nest strictly (a child's own gather completes before the child does), so if the popped
//   item is the sibling we expect next, nobody took it: the chain marks it inline and transfers
//   into it. Counting these completions needs no atomic: they are sequenced one after another
//   along the chain. When the chain has run every child, it transfers to the parent. This is
//   the fast path: the deque's own push and pop, and no atomic read-modify-write at all.
//
//   Stolen children. A sibling taken from the deque by anyone else -- a thief, or the owner's
//   scheduler loop while the chain was suspended -- keeps `inline_ = false`; it finishes with
//   `pending_.fetch_sub(1)`. When the chain's pop does not yield the expected sibling, every
//   sibling it has not resumed (exactly `next_` of them) will finish that way, so the chain
//   adds `next_` with one `fetch_add` and stops. `pending_` therefore reaches zero exactly once,
//   after the chain's add and every stolen child's subtract; whoever brings it there resumes
//   the parent. (The count may go negative before the chain's add; it is a signed integer.)
//
//   A popped item that is not our sibling (the chain moved to another worker after a child
//   suspended, or a child left work behind) is pushed straight back: it is the bottom item and
//   the owner is the only one pushing, so the deque is unchanged.
//
// Cancellation: each child runs on its own strand with a cancel node (cancel_tree.hpp) whose
// parent is the awaiting task's node, so cancelling the parent reaches every child. What else
// cancels the children depends on the join's mode:
//   all      (gather)          the first child to fail cancels its siblings;
//   settled  (gather_settled)  nothing: every child runs to its own end;
//   any      (when_any)        the first child to finish, either way, cancels its siblings;
//   race     (timeout)         as any, but the parent reads every child's outcome.
// That first child is recorded with a compare-exchange (`first_`); the parent reads it after
// every child finished. Cancelling siblings sets their flags and sweeps the domain once.
//
// Invariants: `next_` and the `inline_` flags are touched only by the inline chain, or before
// the child is published; `pending_` only by the chain's one fetch_add and stolen children.
#include <atomic>
#include <coroutine>
#include <cstdint>

#include <weft/detail/cancel/cancel_tree.hpp>
#include <weft/detail/task/promise_base.hpp>
#include <weft/detail/scheduler/worker_context.hpp>

namespace weft::detail {

struct fan_in_child {
    promise_base* promise = nullptr;
    std::coroutine_handle<> handle;
    cancel_node node;
};

enum class join_mode : std::uint8_t { all, settled, any, race };

class fan_in_join {
public:
    explicit fan_in_join(join_mode mode) noexcept : mode_(mode) {}
    fan_in_join(const fan_in_join&) = delete;
    fan_in_join& operator=(const fan_in_join&) = delete;

    // Called from the parent's await_suspend, on a worker. Returns the child to transfer into.
    std::coroutine_handle<> start(std::coroutine_handle<> parent, fan_in_child* children, std::uint32_t count,
                                  worker_context& w) {
        parent_ = parent;
        parent_node_ = tls_cancel;
        children_ = children;
        count_ = count;
        next_ = count - 1;
        for (std::uint32_t i = 0; i < count; ++i) {
            fan_in_child& c = children[i];
            c.promise->completion_ = completion::fan_in_child;
            c.promise->target_.fan_in = this;
            if (parent_node_ != nullptr) {
                c.node.domain = parent_node_->domain;
                c.node.parent = parent_node_;
                c.promise->cancel_ = &c.node;
            }
        }
        children[0].promise->inline_ = true;
        for (std::uint32_t i = 1; i < count; ++i) push_ready(w, children[i].handle);
        if (count > 1) notify_local_work(w);
        return children[0].handle;
    }

    // Called from a child's final_suspend. Returns what the finishing thread runs next.
    std::coroutine_handle<> child_done(promise_base& child) noexcept {
        if ((child.exception_ && mode_ == join_mode::all) || mode_ >= join_mode::any) [[unlikely]]
            first_done(child);
        if (!child.inline_) {
            // acq_rel: release this child's result, acquire every other child's; pairs with the
            // other fetch_subs and with the chain's fetch_add below.
            if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) return parent_;
            return std::noop_coroutine();
        }
        if (next_ == 0) return parent_;
        worker_context& w = *tls_worker;
        if (auto popped = w.deque.pop()) {
            if (*popped == children_[next_].handle) {
                children_[next_].promise->inline_ = true;
                --next_;
                return *popped;
            }
            w.deque.push(*popped);
        }
        const auto stolen = static_cast<std::int32_t>(next_);
        next_ = 0;
        // acq_rel: pairs with the stolen children's fetch_sub above.
        if (pending_.fetch_add(stolen, std::memory_order_acq_rel) + stolen == 0) return parent_;
        return std::noop_coroutine();
    }

    // Read by the parent after it resumed: the first child to fail (mode all) or to finish
    // (mode any); null if none did.
    promise_base* first() const noexcept {
        // relaxed: ordered by the join (see first_done).
        return first_.load(std::memory_order_relaxed);
    }

    // The parent's own cancel node, current again once it resumes.
    cancel_node* parent_node() const noexcept { return parent_node_; }

private:
    [[gnu::cold]] void first_done(promise_base& child) noexcept {
        promise_base* none = nullptr;
        // relaxed: the parent reads first_ only after the join, whose acq_rel on pending_ (or
        // the chain's sequencing) already orders this store before that read.
        if (!first_.compare_exchange_strong(none, &child, std::memory_order_relaxed)) return;
        if (parent_node_ == nullptr) return;  // not on a cancellable strand
        for (std::uint32_t i = 0; i < count_; ++i)
            // relaxed: published by publish_cancel's release store.
            children_[i].node.requested.store(true, std::memory_order_relaxed);
        publish_cancel(*parent_node_->domain);
    }

    std::coroutine_handle<> parent_;
    cancel_node* parent_node_ = nullptr;
    fan_in_child* children_ = nullptr;
    std::uint32_t count_ = 0;
    std::uint32_t next_ = 0;
    join_mode mode_;
    std::atomic<std::int32_t> pending_{0};
    std::atomic<promise_base*> first_{nullptr};
};

}  // namespace weft::detail
