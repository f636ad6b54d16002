// scheduling_policy::tbb (design in tbb_backend.hpp).
#include "tbb_backend.hpp"

#include <thread>
#include <utility>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "scheduler.hpp"

namespace weft::detail {

struct tbb_backend::impl {
    impl(scheduler& s, std::span<worker* const> w)
        : sched(s), workers(w.begin(), w.end()),
          // +1: oneTBB counts the thread that created the arena in the limit; `run`'s caller
          // and block_on's callers stay outside, so the arena needs `threads` workers of its own.
          limit(tbb::global_control::max_allowed_parallelism, workers.size() + 1),
          // Slot 0 is reserved for an outside thread that never comes (oneTBB's workers would
          // not take it anyway), so the workers' slots are exactly 1..threads.
          arena(static_cast<int>(workers.size()) + 1, /*reserved_for_masters=*/1) {}

    // The oneTBB task: resumes one weft task, unless the runtime has stopped.
    struct poll_task {
        impl* self;
        std::coroutine_handle<> h;
        void operator()() const {
            if (!self->sched.stopping()) {
                // The arena slot this thread occupies names its weft worker; tls_worker points
                // at it for the poll, so spawn, gather and the primitives find their runtime.
                // safety: slot 0 is the reserved outside slot, which only the destructor's
                // wait occupies, after the stop flag; workers hold slots 1..threads.
                const auto slot = static_cast<std::size_t>(tbb::this_task_arena::current_thread_index());
                worker* w = self->workers[slot - 1];
                worker_context* const outer = std::exchange(tls_worker, w);
                self->sched.poll(*w, h);
                tls_worker = outer;
            }
            // release: pairs with the acquire load in stop(), so everything this poll did
            // happens before shutdown goes on to destroy frames.
            self->in_flight.fetch_sub(1, std::memory_order_release);
        }
    };

    void count_submission() noexcept {
        // relaxed: stop() only needs to see it before the matching fetch_sub, and a functor
        // cannot run (and decrement) before the submission that follows this increment.
        in_flight.fetch_add(1, std::memory_order_relaxed);
    }

    scheduler& sched;
    std::vector<worker*> workers;
    tbb::global_control limit;
    tbb::task_arena arena;
    tbb::task_group group;
    std::atomic<std::size_t> in_flight{0};
};

tbb_backend::tbb_backend(scheduler& s, std::span<worker* const> workers)
    : impl_(std::make_unique<impl>(s, workers)) {
    impl_->arena.initialize();
}

tbb_backend::~tbb_backend() {
    stop();
    impl_->arena.execute([this] { impl_->group.wait(); });
}

void tbb_backend::run_local(std::coroutine_handle<> h) {
    impl_->count_submission();
    impl_->group.run(impl::poll_task{impl_.get(), h});
}

void tbb_backend::enqueue(std::coroutine_handle<> h) {
    impl_->count_submission();
    impl_->arena.enqueue(impl::poll_task{impl_.get(), h});
}

void tbb_backend::stop() noexcept {
    // acquire: pairs with each poll_task's fetch_sub.
    while (impl_->in_flight.load(std::memory_order_acquire) != 0) std::this_thread::yield();
}

}  // namespace weft::detail
