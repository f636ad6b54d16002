#pragma once
// weft::spawn_blocking(f): run a blocking call on the runtime's blocking pool (asyncio.to_thread,
// Tokio's spawn_blocking).
//
//     std::string text = co_await weft::spawn_blocking(read_whole_file, path);  // read_whole_file(path)
//
// f() runs on a thread of a separate, elastic pool owned by the runtime, never on a worker, so
// the workers go on running other tasks while it blocks. The co_await yields f()'s result, or
// rethrows what f() threw. The pool starts threads on demand, at most
// options::max_blocking_threads at once (0 means weft::default_max_blocking_threads, 512; more
// than 32768 is std::invalid_argument); further calls wait in a FIFO queue for a free thread.
// A pool thread idle for 10 s (Tokio's default keep-alive) exits.
//
// Cancellation: `co_await spawn_blocking(f)` is a checkpoint. A task cancelled before it gets
// there throws weft::cancelled and f never runs. A task cancelled while it waits wakes at once
// and throws weft::cancelled; a call that already started is not interrupted (a thread cannot
// be killed safely): it runs to its end on the pool and its result (or exception) is dropped. A call still queued when its waiter is cancelled never runs (as in asyncio, whose
// executor future is cancelled, and Tokio). At runtime shutdown, queued calls are dropped
// without running and calls still running get what is left of options::shutdown_grace to
// finish; after that the runtime stops without them and they finish on their own.
//
// f and any arguments (spawn_blocking(f, args...) calls f(args...), as asyncio.to_thread(f,
// *args) does) are taken by value (decay-copied or moved) and invoked once, as rvalues, on the
// pool thread, which also destroys them there before the waiter resumes. They must own what
// they use: a call may outlive a cancelled waiter's frame, so a reference capture (`[&]`) is
// safe only if its referent outlives the call itself, not just the co_await. Results may be void, move-only, or
// lvalue references (the referent must outlive the await); rvalue-reference results are
// rejected at compile time. Calling spawn_blocking off a weft runtime throws std::logic_error.
//
// g++ 12 bug (docs/pitfalls.md): a lambda *temporary* with by-value captures of non-trivial
// types (std::string, shared_ptr, unique_ptr) written inside the co_await expression is copied
// bitwise and destroyed twice. Pass such values as arguments instead --
// `co_await weft::spawn_blocking(read_whole_file, path)` -- or name the lambda first.
//
// Design (who calls what):
//   - The awaiter (in the waiting frame) allocates a `blocking_job` on the heap when it
//     suspends: the callable, the result slot, the waiter's handle, a state word and a
//     reference count of two (awaiter + pool). The job outlives whichever of the two goes first.
//   - The pool (runtime/blocking/blocking_pool.hpp) runs the job on one of its threads, then tries
//     `state: pending -> done`; if that wins it schedules the waiter (scheduler::inject).
//   - A cancellation sweep calls abort_wait (cancel_tree.hpp, protocol A or B), which tries
//     `state: pending -> abandoned`; if that wins the sweep resumes the waiter with
//     weft::cancelled, and the pool drops the result (or skips the call if it had not started).
//   - Exactly one of the two compare-exchanges wins, so the waiter is resumed exactly once.
#include <atomic>
#include <concepts>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

#include <weft/detail/cancel/cancel_tree.hpp>
#include <weft/detail/scheduler/worker_context.hpp>
#include <weft/outcome.hpp>

namespace weft {
namespace detail {

// The type-erased part of a call, shared by the awaiter and the pool.
struct blocking_job {
    enum : std::uint8_t { pending, done, abandoned };

    virtual ~blocking_job() = default;
    // Pool thread: invokes the callable, stores its outcome, destroys the callable.
    virtual void run() noexcept = 0;

    // Each owner (awaiter, pool) releases once; the last one frees the job.
    void release() noexcept {
        // acq_rel: the last owner's delete acquires every write the other owner released here
        // (the standard reference-count pairing).
        if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

    std::atomic<std::uint32_t> refs{2};
    std::atomic<std::uint8_t> state{pending};
    std::coroutine_handle<> waiter;  // written before submission, read by the pool after
    blocking_job* next = nullptr;    // the pool's FIFO queue, guarded by its lock
};

template <class F>
class blocking_job_of final : public blocking_job {
public:
    using result_type = std::invoke_result_t<F>;

    explicit blocking_job_of(F&& f) : fn_(std::in_place, std::move(f)) {}

    void run() noexcept override {
        try {
            if constexpr (std::is_void_v<result_type>) {
                std::invoke(std::move(*fn_));
                result_.emplace();
            } else {
                result_.emplace(std::in_place, std::invoke(std::move(*fn_)));
            }
        } catch (...) {
            result_.emplace(std::current_exception());
        }
        fn_.reset();
    }

    // The waiter, after the pool completed the job: f()'s result, or its exception rethrown.
    result_type take() { return std::move(*result_).value(); }

private:
    std::optional<F> fn_;
    std::optional<outcome<result_type>> result_;
};

// f(args...) as one callable, invoked once as an rvalue (spawn_blocking with arguments).
template <class F, class... Args>
struct bound_call {
    F fn;
    std::tuple<Args...> args;
    decltype(auto) operator()() && { return std::apply(std::move(fn), std::move(args)); }
};

// Compiled in runtime/blocking/blocking_pool.cpp: queues `job` on `s`'s pool, starting a thread if none
// is idle and the cap allows. Throws std::system_error if no thread can be started and none
// is running (then the job was not queued).
void submit_blocking(scheduler& s, blocking_job& job);

[[noreturn]] inline void throw_spawn_blocking_off_runtime() {
    throw std::logic_error(
        "weft::spawn_blocking: no current runtime (call it from a task running on weft; a plain "
        "thread can call the function directly)");
}

template <class F>
class [[nodiscard]] blocking_awaiter : cancel_waiter {
    using job_type = blocking_job_of<F>;

public:
    template <class G>
    explicit blocking_awaiter(G&& g) : fn_(std::forward<G>(g)) {}
    blocking_awaiter(const blocking_awaiter&) = delete;
    blocking_awaiter& operator=(const blocking_awaiter&) = delete;
    ~blocking_awaiter() {
        // A frame destroyed at its suspension point (runtime shutdown, step 6) also lands
        // here; the pool no longer resumes anyone then (scheduler.hpp).
        if (job_ != nullptr) job_->release();
    }

    bool await_ready() const {
        if (tls_worker == nullptr) throw_spawn_blocking_off_runtime();
        if (job_ != nullptr) throw std::logic_error("co_await weft::spawn_blocking: awaited twice");
        check_cancelled();
        return false;
    }

    bool await_suspend(std::coroutine_handle<> h) {
        scheduler& s = *tls_worker->sched;
        return suspend_cancellable(*this, &abort_wait, [&] {
            job_ = new job_type(std::move(fn_));
            job_->waiter = h;
            try {
                submit_blocking(s, *job_);
            } catch (...) {
                delete std::exchange(job_, nullptr);  // never queued: nobody else holds it
                throw;
            }
            // safety: from inside submit_blocking the pool may resume `h` on a worker; this
            // thread touches the frame (and this awaiter) no more, except for
            // suspend_cancellable's last store after link() returns true, which the resumed
            // task waits for before it goes on (cancel_tree.hpp, protocol A2 and A6).
            return true;
        });
    }

    typename job_type::result_type await_resume() {
        resume_cancellable(*this);
        return job_->take();
    }

private:
    // Cancellation sweep (protocol A or B): abandons the job unless the pool completed it.
    static std::coroutine_handle<> abort_wait(cancel_waiter& w) noexcept {
        auto& self = static_cast<blocking_awaiter&>(w);
        std::uint8_t expected = blocking_job::pending;
        // relaxed: the state word only decides who resumes the waiter; no data travels with
        // it (the pool's compare-exchange to `done` is the rival; the reference count orders
        // the job's destruction).
        if (self.job_->state.compare_exchange_strong(expected, blocking_job::abandoned, std::memory_order_relaxed))
            return self.job_->waiter;
        return {};
    }

    F fn_;
    job_type* job_ = nullptr;
};

}  // namespace detail

// Runs `f(args...)` on the runtime's blocking pool; co_await the result for its value (or
// exception). Throws std::logic_error when called off a weft runtime.
template <class F, class... Args>
    requires std::invocable<std::decay_t<F>, std::decay_t<Args>...> &&
             (std::move_constructible<std::decay_t<F>> && ... && std::move_constructible<std::decay_t<Args>>) &&
             (!std::is_rvalue_reference_v<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>>)
auto spawn_blocking(F&& f, Args&&... args) {
    if (detail::tls_worker == nullptr) detail::throw_spawn_blocking_off_runtime();
    if constexpr (sizeof...(Args) == 0) {
        return detail::blocking_awaiter<std::decay_t<F>>(std::forward<F>(f));
    } else {
        using call = detail::bound_call<std::decay_t<F>, std::decay_t<Args>...>;
        return detail::blocking_awaiter<call>(call{std::forward<F>(f), {std::forward<Args>(args)...}});
    }
}

}  // namespace weft
