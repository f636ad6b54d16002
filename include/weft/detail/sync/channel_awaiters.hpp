#pragma once
// The awaitables of weft::channel<T>: co_await ch.send(v) and co_await ch.recv().
//
// Each is the waiter node of its wait (channel_state.hpp), so waiting allocates nothing. One
// operation, start to end:
//   1. await_ready: begin_channel_op (off the runtime: std::logic_error; the checkpoint; the
//      cancel node to restore), then a lock-free peek: if the operation would surely wait, go
//      to step 2 at once; otherwise try it under the channel's lock (a transfer may wake one
//      waiter, scheduled after unlocking).
//   2. await_suspend: detail::suspend_cancellable with `link`, which takes the channel's lock
//      (for a child strand, nested in the domain's), tries again, and links the node only if
//      it must wait.
//   3. A transfer, close() or an abort unlinks the node and the task is scheduled.
//   4. await_resume: resume_cancellable (throws weft::cancelled after an abort), then the
//      result: the value, nullopt, or weft::channel_closed for a send.
#include <coroutine>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <weft/detail/cancel/cancel_tree.hpp>
#include <weft/detail/sync/channel_state.hpp>
#include <weft/detail/scheduler/worker_context.hpp>
#include <weft/errors.hpp>

namespace weft {
namespace detail {

// The start of every send and recv: off-runtime check, the checkpoint, and the node that
// await_resume makes current again (also on the paths that do not suspend).
inline void begin_channel_op(channel_waiter& w, const char* what) {
    current_worker(what);
    w.node = tls_cancel;
    w.aborted = false;
    check_cancelled();
}

// The cancellation sweep's abort (cancel_tree.hpp, protocol A or B): completed wins.
inline std::coroutine_handle<> abort_channel_wait(cancel_waiter& cw) noexcept {
    auto& w = static_cast<channel_waiter&>(cw);
    channel_core& c = *w.core;
    std::lock_guard guard(c.lock);
    if (!w.linked) return {};
    (w.sending ? c.senders : c.receivers).remove(w);
    return w.handle;
}

// A waiter's frame destroyed while it is linked (runtime shutdown destroying a task that
// outlived the grace period): unlink it so the channel never touches the dead node.
inline void forget_channel_waiter(channel_waiter& w) noexcept {
    std::lock_guard guard(w.core->lock);
    if (w.linked) (w.sending ? w.core->senders : w.core->receivers).remove(w);
}

struct no_copy {};

// co_await ch.send(v). Copy: v is an lvalue, copied (into the channel on the fast path, into
// the awaiter before waiting); otherwise v is moved from only when the send completes.
template <class T, bool Copy>
class [[nodiscard]] channel_send_awaiter : channel_send_waiter<T> {
    using arg_type = std::conditional_t<Copy, const T, T>;

public:
    channel_send_awaiter(channel_state<T>& s, arg_type& v) noexcept : arg_(&v) {
        this->core = &s;
        this->sending = true;
    }
    channel_send_awaiter(const channel_send_awaiter&) = delete;
    channel_send_awaiter& operator=(const channel_send_awaiter&) = delete;
    ~channel_send_awaiter() {
        if (this->linked) [[unlikely]]
            forget_channel_waiter(*this);
    }

    bool await_ready() {
        begin_channel_op(*this, "weft::channel::send");
        channel_state<T>& s = state();
        if (s.send_would_wait()) return false;  // a peek; await_suspend decides under the lock
        channel_waiter* wake = nullptr;
        channel_status st;
        {
            std::lock_guard guard(s.lock);
            // std::move of a `const T` lvalue copies: the fast path builds the value in place.
            st = s.send_locked(std::move(*arg_), wake);
        }
        if (wake != nullptr) wake_channel_waiter(*wake);
        this->closed = st == channel_status::closed;
        return st != channel_status::blocked;
    }

    bool await_suspend(std::coroutine_handle<> h) {
        if constexpr (Copy) this->src = &own_.emplace(*arg_);
        else this->src = arg_;
        this->handle = h;
        this->sched = tls_worker->sched;
        channel_state<T>& s = state();
        channel_waiter* wake = nullptr;
        const bool suspended = suspend_cancellable(*this, &abort_channel_wait, [&] {
            std::lock_guard guard(s.lock);
            const channel_status st = s.send_locked(std::move(*this->src), wake);
            if (st == channel_status::blocked) {
                s.senders.push_back(*this);
                return true;  // from here another thread may resume us: touch nothing of ours
            }
            this->closed = st == channel_status::closed;
            return false;
        });
        if (wake != nullptr) wake_channel_waiter(*wake);  // only set when we did not suspend
        return suspended;
    }

    void await_resume() {
        resume_cancellable(*this);
        if (this->closed) [[unlikely]]
            throw weft::channel_closed();
    }

private:
    channel_state<T>& state() const noexcept { return static_cast<channel_state<T>&>(*this->core); }

    arg_type* arg_;
    [[no_unique_address]] std::conditional_t<Copy, std::optional<T>, no_copy> own_;
};

// co_await ch.recv(): the oldest value, or std::nullopt once the channel is closed and drained.
template <class T>
class [[nodiscard]] channel_recv_awaiter : channel_recv_waiter<T> {
public:
    explicit channel_recv_awaiter(channel_state<T>& s) noexcept { this->core = &s; }
    channel_recv_awaiter(const channel_recv_awaiter&) = delete;
    channel_recv_awaiter& operator=(const channel_recv_awaiter&) = delete;
    ~channel_recv_awaiter() {
        if (this->linked) [[unlikely]]
            forget_channel_waiter(*this);
    }

    bool await_ready() {
        begin_channel_op(*this, "weft::channel::recv");
        channel_state<T>& s = state();
        if (s.recv_would_wait()) return false;  // a peek; await_suspend decides under the lock
        channel_waiter* wake = nullptr;
        channel_status st;
        {
            std::lock_guard guard(s.lock);
            st = s.recv_locked(this->value, wake);
        }
        if (wake != nullptr) wake_channel_waiter(*wake);
        return st != channel_status::blocked;
    }

    bool await_suspend(std::coroutine_handle<> h) {
        this->handle = h;
        this->sched = tls_worker->sched;
        channel_state<T>& s = state();
        channel_waiter* wake = nullptr;
        const bool suspended = suspend_cancellable(*this, &abort_channel_wait, [&] {
            std::lock_guard guard(s.lock);
            if (s.recv_locked(this->value, wake) != channel_status::blocked) return false;
            s.receivers.push_back(*this);
            return true;  // from here another thread may resume us: touch nothing of ours
        });
        if (wake != nullptr) wake_channel_waiter(*wake);  // only set when we did not suspend
        return suspended;
    }

    std::optional<T> await_resume() {
        resume_cancellable(*this);
        return std::move(this->value);
    }

private:
    channel_state<T>& state() const noexcept { return static_cast<channel_state<T>&>(*this->core); }
};

}  // namespace detail
}  // namespace weft
