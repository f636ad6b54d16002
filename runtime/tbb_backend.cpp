// scheduling_policy::tbb (design in tbb_backend.hpp).
#include "tbb_backend.hpp"

#include <thread>
#include <utility>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "scheduler.hpp"

#if defined(__SANITIZE_THREAD__)
#define WEFT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define WEFT_TSAN 1
#endif
#endif
#if defined(WEFT_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

namespace weft::detail {
namespace {

// libtbb is not built with ThreadSanitizer, so TSan cannot see that handing a task to oneTBB on
// one thread happens before oneTBB runs it on another. These two calls tell it, through one
// address for every handoff (coarser than the real edges, so under TSan this policy hides races
// between tasks that a finer edge would show; the native policies are checked exactly).
[[maybe_unused]] char tbb_handoff;

inline void announce_handoff() noexcept {
#if defined(WEFT_TSAN)
    __tsan_release(&tbb_handoff);
#endif
}

inline void receive_handoff() noexcept {
#if defined(WEFT_TSAN)
    __tsan_acquire(&tbb_handoff);
#endif
}

}  // namespace

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
        poll_task(impl* s, std::coroutine_handle<> handle) noexcept : self(s), h(handle) {}
        // oneTBB moves the functor into its task object; announce after every copy is written.
        poll_task(poll_task&& other) noexcept : self(other.self), h(other.h) { announce_handoff(); }
        poll_task(const poll_task& other) noexcept : self(other.self), h(other.h) { announce_handoff(); }
        poll_task& operator=(const poll_task&) = delete;

        impl* self;
        std::coroutine_handle<> h;
        void operator()() const {
            receive_handoff();
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
