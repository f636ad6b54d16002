#pragma once
// idle_workers: the parking protocol. An idle runtime uses no CPU, and new work wakes a sleeping
// worker at once, with no lost wake-up.
//
// The activity word (detail/scheduler/worker_context.hpp) counts parked workers (low 16 bits) and
// searching workers (high 16 bits). A searching worker is one that found its own deque and the
// injection queue empty and is trying to steal. Work that appears wakes a parked worker only
// when nobody is searching (a searcher will find it), which avoids waking a herd (Tokio's rule).
//
// Protocol, for a worker W that found nothing to run:
//   1. W counts itself searching (begin_search) and tries to steal from every other worker.
//   2. Found work: W stops searching (end_search). If W was the last searcher and some worker is
//      parked, W wakes one: the victim probably has more work, so parallelism ramps up.
//   3. Found nothing: under the lock, W pushes itself on the sleepers stack and moves itself from
//      searching to parked in one seq_cst read-modify-write of the activity word.
//   4. A seq_cst fence; then W re-checks every queue and the stop flag (`has_work`).
//   5. Work visible: W takes itself back off the stack if it is still there and counts itself
//      searching again; if a waker already took it, the waker already did that. W goes on at 1.
//   6. Otherwise W sleeps on its parker until a waker has taken it off the stack (`asleep_`
//      says so; a parker token left over from a wake-up that raced with step 5 is not enough).
// A waker (wake_one) pops a sleeper under the lock, counts it searching, and unparks it.
//
// Why no wake-up is lost: a remote pusher (injection queue) pushes, executes a seq_cst fence,
// then reads the activity word (notify_remote). Against W's steps 3-4 this is Dekker's pattern:
// either the pusher's read sees W parked (and wakes it, or sees a searcher who will find the
// work), or W's re-check sees the pushed work. Local pushes skip the fence (see
// notify_local_work): their owner runs the work itself if nobody is woken.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include <weft/detail/scheduler/fence.hpp>
#include <weft/detail/scheduler/worker_context.hpp>

#include "scheduler/parker.hpp"

namespace weft::detail {

class idle_workers {
public:
    explicit idle_workers(std::size_t workers);

    const std::atomic<std::uint32_t>& activity() const noexcept { return activity_; }

    void begin_search() noexcept {
        // relaxed: the count is a hint for pushers deciding whether to wake someone; the parking
        // transition (step 3) is the seq_cst operation that the protocol relies on.
        activity_.fetch_add(searching_unit, std::memory_order_relaxed);
    }

    void end_search() noexcept {
        // acq_rel: orders this transition with the parking transitions of other workers.
        const std::uint32_t prev = activity_.fetch_sub(searching_unit, std::memory_order_acq_rel);
        if ((prev >> 16) == 1 && (prev & parked_mask) != 0) wake_one();
    }

    // Steps 3-6 for searching worker `index`. Returns with `index` counted as searching again:
    // true when it slept (step 6), false when it found work in step 5.
    template <class HasWork>
    bool park(std::size_t index, HasWork&& has_work) {
        {
            std::lock_guard lock(mutex_);
            sleepers_.push_back(static_cast<std::uint32_t>(index));
            asleep_[index] = true;
            // seq_cst: step 3, one side of the Dekker pair with notify_remote's fence.
            activity_.fetch_add(parked_unit - searching_unit, std::memory_order_seq_cst);
        }
        // seq_cst: step 4; pairs with the fence in notify_remote().
        fence<std::memory_order_seq_cst>();
        if (has_work()) {
            std::lock_guard lock(mutex_);
            if (!asleep_[index]) return false;  // a waker took us off the stack, counted us searching
            std::erase(sleepers_, static_cast<std::uint32_t>(index));
            asleep_[index] = false;
            // relaxed: under the lock, which orders every sleepers_/activity transition.
            activity_.fetch_add(searching_unit - parked_unit, std::memory_order_relaxed);
            return false;
        }
        // Step 6. A waker that took us off the stack while we were in step 5 of an earlier round
        // left its token behind; such a stale token ends park() at once while we are still on
        // the stack. So sleep until a waker has really taken us off it.
        for (;;) {
            parkers_[index].park();
            std::lock_guard lock(mutex_);
            if (!asleep_[index]) return true;
        }
    }

    // After pushing work where any worker may take it (step "pusher" above).
    void notify_remote() noexcept {
        // seq_cst: pairs with the fence in park() (step 4).
        fence<std::memory_order_seq_cst>();
        // relaxed: ordered by the fence above.
        const std::uint32_t a = activity_.load(std::memory_order_relaxed);
        if ((a >> 16) == 0 && (a & parked_mask) != 0) wake_one();
    }

    void wake_one() noexcept;
    void wake_all() noexcept;

private:
    alignas(64) std::atomic<std::uint32_t> activity_{0};
    alignas(64) std::mutex mutex_;
    std::vector<std::uint32_t> sleepers_;     // guarded by mutex_
    std::unique_ptr<bool[]> asleep_;          // guarded by mutex_: on sleepers_, per worker
    std::unique_ptr<parker[]> parkers_;
};

}  // namespace weft::detail
