// scheduling_policy::tbb (design in tbb_backend.hpp).
#include "scheduler/tbb_backend.hpp"

#include <utility>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "scheduler/scheduler.hpp"

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

// One task group per worker slot, on its own cache lines: a task group's wait context is an
// atomic reference count that every run() increments and every finished task decrements, so a
// single group shared by all workers makes every task a cross-thread read-modify-write (it kept
// this policy from scaling: 92 ms for fib(30) on 1 thread, 97 ms on 2, in weft-lab's sweep). With a
// group per slot, only a stolen task decrements another slot's count.
struct alignas(128) slot_group {
    tbb::task_group group;
};

struct tbb_backend::impl {
    impl(scheduler& s, std::span<worker* const> w)
        : sched(s), workers(w.begin(), w.end()), groups(std::make_unique<slot_group[]>(workers.size())),
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
            if (self->sched.stopping()) return;
            // The arena slot this thread occupies names its weft worker; tls_worker points at
            // it for the poll, so spawn, gather and the primitives find their runtime.
            // safety: slot 0 is the reserved outside slot, which only wait_all() occupies,
            // after the stop flag; workers hold slots 1..threads.
            const auto slot = static_cast<std::size_t>(tbb::this_task_arena::current_thread_index());
            worker* w = self->workers[slot - 1];
            worker_context* const outer = std::exchange(tls_worker, w);
            self->sched.poll(*w, h);
            tls_worker = outer;
        }
    };

    // Waits until every functor submitted so far, to any group, has run.
    void wait_all() {
        arena.execute([this] {
            for (std::size_t i = 0; i < workers.size(); ++i) groups[i].group.wait();
            outside.wait();
        });
    }

    scheduler& sched;
    std::vector<worker*> workers;
    std::unique_ptr<slot_group[]> groups;  // groups[i]: work made ready on worker i
    tbb::task_group outside;               // work from elsewhere, enqueued on the arena
    tbb::global_control limit;
    tbb::task_arena arena;
};

tbb_backend::tbb_backend(scheduler& s, std::span<worker* const> workers)
    : impl_(std::make_unique<impl>(s, workers)) {
    impl_->arena.initialize();
}

// Submissions may still arrive after stop() (a timer that fires during shutdown); their functors
// skip their handles, and this last wait keeps `impl` alive until they have run.
tbb_backend::~tbb_backend() { impl_->wait_all(); }

void tbb_backend::run_local(std::size_t worker_index, std::coroutine_handle<> h) {
    impl_->groups[worker_index].group.run(impl::poll_task{impl_.get(), h});
}

void tbb_backend::enqueue(std::coroutine_handle<> h) {
    impl_->arena.enqueue(impl_->outside.defer(impl::poll_task{impl_.get(), h}));
}

// A poll_task never throws (a task's exception stays in its frame), so no group has one to
// rethrow here.
void tbb_backend::stop() noexcept { impl_->wait_all(); }

}  // namespace weft::detail
