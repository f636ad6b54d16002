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
// Failures: the first child to finish with an exception (completion order) is recorded with a
// compare-exchange and rethrown by the parent after every child finished.
//
// Invariants: `next_` and the `inline_` flags are touched only by the inline chain, or before
// the child is published; `pending_` only by the chain's one fetch_add and stolen children.
#include <atomic>
#include <coroutine>
#include <cstdint>

#include <weft/detail/promise_base.hpp>
#include <weft/detail/worker_context.hpp>

namespace weft::detail {

struct gather_child {
    promise_base* promise;
    std::coroutine_handle<> handle;
};

class gather_join {
public:
    gather_join() noexcept = default;
    gather_join(const gather_join&) = delete;
    gather_join& operator=(const gather_join&) = delete;

    // Called from the parent's await_suspend, on a worker. Returns the child to transfer into.
    std::coroutine_handle<> start(std::coroutine_handle<> parent, const gather_child* children,
                                  std::uint32_t count, worker_context& w) {
        parent_ = parent;
        children_ = children;
        next_ = count - 1;
        for (std::uint32_t i = 0; i < count; ++i) {
            children[i].promise->completion_ = completion::gather_child;
            children[i].promise->target_.gather = this;
        }
        children[0].promise->inline_ = true;
        for (std::uint32_t i = 1; i < count; ++i) w.deque.push(children[i].handle);
        if (count > 1) notify_local_work(w);
        return children[0].handle;
    }

    // Called from a child's final_suspend. Returns what the finishing thread runs next.
    std::coroutine_handle<> child_done(promise_base& child) noexcept {
        if (child.exception_) [[unlikely]] {
            promise_base* none = nullptr;
            // relaxed: the parent reads first_failed_ only after the join, whose acq_rel on
            // pending_ (or the chain's sequencing) already orders this store before that read.
            first_failed_.compare_exchange_strong(none, &child, std::memory_order_relaxed);
        }
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

    // Read by the parent after it resumed.
    promise_base* first_failed() const noexcept {
        // relaxed: ordered by the join (see child_done).
        return first_failed_.load(std::memory_order_relaxed);
    }

private:
    std::coroutine_handle<> parent_;
    const gather_child* children_ = nullptr;
    std::uint32_t next_ = 0;
    std::atomic<std::int32_t> pending_{0};
    std::atomic<promise_base*> first_failed_{nullptr};
};

}  // namespace weft::detail
