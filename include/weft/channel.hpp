#pragma once
// weft::channel<T>: a bounded multi-producer multi-consumer queue between tasks (Go's buffered
// channel; asyncio.Queue with maxsize; tokio::sync::mpsc, but any number of receivers).
//
//     weft::channel<job> jobs{64};                    // room for 64 buffered values
//     co_await jobs.send(job{...});                   // waits while the buffer is full
//     while (std::optional<job> j = co_await jobs.recv()) run(*j);   // until closed and drained
//     jobs.close();                                   // no more sends; receivers drain the rest
//
// A channel is a handle: copying it is cheap (one atomic increment) and every copy refers to
// the same queue, which lives until the last handle is gone. Pass it to tasks by value.
//
// Semantics. Values come out in the order they went in. send waits while the buffer is full;
// waiting senders and receivers are served first come, first served, and a value sent while a
// receiver waits is handed straight to the oldest receiver. close() is final and idempotent:
// sends after it (and senders waiting at that moment) throw weft::channel_closed, and their
// values are not enqueued; values already buffered are still received, then recv yields
// std::nullopt (receivers waiting at close wake with it). Capacity 0 (Go's unbuffered
// channel) is std::invalid_argument.
//
// Who may call what. send and recv are awaited by tasks on a weft runtime (std::logic_error
// otherwise); try_send, try_recv, close and the observers work on any thread. send(v) copies an
// lvalue, and takes an rvalue by reference until the value is enqueued: a send that throws
// (closed, cancelled) leaves the caller's object as it was. T may be move-only; it must be
// nothrow move constructible (values move under the channel's lock). Co_await the awaitable in
// the expression that created it (it refers to the argument and to the handle's queue).
//
// Cancellation. send and recv are checkpoints (cancel.hpp), also when they need not wait. A
// task cancelled while it waits leaves the queue at once and throws weft::cancelled; its value
// (for a send) is not enqueued. A transfer that completed first is kept ("completed wins"): a
// receiver that was handed a value returns it, and a sender whose value was taken returns
// normally; either sees the cancellation at its next checkpoint. No value is ever lost.
//
// Costs: no allocation per operation or wait (the waiter node lives in the awaiter, in the
// coroutine frame); one lock round trip per operation; a wait adds the cancellation
// registration. Design and invariants: weft/detail/sync/channel_state.hpp; the awaiters' protocol:
// weft/detail/sync/channel_awaiters.hpp.
#include <atomic>
#include <concepts>
#include <cstddef>
#include <mutex>
#include <optional>
#include <utility>

#include <weft/detail/sync/channel_awaiters.hpp>
#include <weft/detail/sync/channel_state.hpp>
#include <weft/errors.hpp>

namespace weft {

template <class T>
class channel {
public:
    using value_type = T;

    // A channel buffering up to `capacity` values; std::invalid_argument if it is 0.
    explicit channel(std::size_t capacity) : state_(detail::channel_state<T>::create(capacity)) {}
    channel(const channel& other) noexcept : state_(other.state_) { state_->retain(); }
    channel(channel&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
    channel& operator=(channel other) noexcept {
        std::swap(state_, other.state_);
        return *this;
    }
    ~channel() {
        if (state_ != nullptr) state_->release();
    }
    // A moved-from handle may only be assigned to or destroyed.

    // co_await ch.send(v): enqueues v, waiting while the buffer is full; throws
    // weft::channel_closed if the channel is (or gets) closed first, weft::cancelled if the
    // task is cancelled first.
    detail::channel_send_awaiter<T, false> send(T&& v) noexcept { return {*state_, v}; }
    detail::channel_send_awaiter<T, true> send(const T& v) noexcept
        requires std::copy_constructible<T>
    {
        return {*state_, v};
    }

    // co_await ch.recv(): the oldest value, waiting while there is none; std::nullopt once the
    // channel is closed and drained. Throws weft::cancelled if the task is cancelled first.
    detail::channel_recv_awaiter<T> recv() noexcept { return detail::channel_recv_awaiter<T>(*state_); }

    // Enqueues v if that needs no wait; false (v untouched) if the buffer is full. Throws
    // weft::channel_closed if closed. Not a checkpoint. Any thread.
    bool try_send(T&& v) { return try_send_impl(std::move(v)); }
    bool try_send(const T& v)
        requires std::copy_constructible<T>
    {
        return try_send_impl(v);
    }

    // The oldest value if one is buffered (or a sender waits); std::nullopt otherwise, closed or
    // not (is_closed() tells). Not a checkpoint. Any thread.
    std::optional<T> try_recv() noexcept {
        std::optional<T> out;
        detail::channel_waiter* wake = nullptr;
        {
            std::lock_guard guard(state_->lock);
            state_->recv_locked(out, wake);
        }
        if (wake != nullptr) detail::wake_channel_waiter(*wake);
        return out;
    }

    // Closes the channel and wakes every waiter (see above). Idempotent. Any thread.
    void close() noexcept {
        detail::channel_waiter* woken = nullptr;
        {
            std::lock_guard guard(state_->lock);
            // relaxed: under the lock, which orders it with the store in close_locked().
            if (state_->closed.load(std::memory_order_relaxed)) return;
            woken = state_->close_locked();
        }
        detail::wake_channel_waiters(woken);
    }

    // Observers: snapshots, stale as soon as they are read.
    bool is_closed() const noexcept {
        // acquire: pairs with the release store in close_locked(), so what the closer wrote
        // before close() is visible to a caller that sees `true`.
        return state_->closed.load(std::memory_order_acquire);
    }
    std::size_t size() const noexcept { return state_->size(); }
    std::size_t capacity() const noexcept { return state_->capacity; }

    // Handles are equal when they refer to the same channel.
    friend bool operator==(const channel& a, const channel& b) noexcept { return a.state_ == b.state_; }

private:
    template <class U>
    bool try_send_impl(U&& v) {
        detail::channel_waiter* wake = nullptr;
        detail::channel_status st;
        {
            std::lock_guard guard(state_->lock);
            st = state_->send_locked(std::forward<U>(v), wake);
        }
        if (wake != nullptr) detail::wake_channel_waiter(*wake);
        if (st == detail::channel_status::closed) throw channel_closed();
        return st == detail::channel_status::done;
    }

    detail::channel_state<T>* state_;
};

}  // namespace weft
