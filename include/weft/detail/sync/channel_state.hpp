#pragma once
// channel_state: the shared state behind weft::channel<T> handles (include/weft/channel.hpp).
//
// Layout. One heap block per channel, shared by every handle through an intrusive atomic
// reference count: a ring buffer of `capacity` slots, a tiny_mutex, a `closed` flag and two
// intrusive FIFO lists of waiting tasks (senders, receivers) whose nodes live in the awaiters,
// in the suspended frames: waiting allocates nothing.
//
// Invariants (under `lock`):
//   - receivers waiting  =>  the buffer is empty and the channel open;
//   - senders waiting    =>  the buffer is full and the channel open;
//   so (capacity >= 1) at most one of the two lists is non-empty. A linked node has
//   `linked == true`; whoever unlinks it (a transfer, close, an abort) clears it under the lock,
//   and from then on owns the right to resume it (or, for an abort, hands that right to the
//   cancellation sweep).
//
// Transfers, all under `lock`:
//   send, a receiver waiting:  the value is constructed in the receiver's slot, the receiver
//                              unlinked; after unlocking, it is scheduled (never resumed inline).
//   send, room in the buffer:  the value is appended.
//   recv, a value buffered:    the oldest value is taken; if senders wait (the buffer was full),
//                              the oldest sender's value is moved into the freed slot and that
//                              sender unlinked and scheduled: FIFO order is kept across both.
//   close:                     every waiter is unlinked and scheduled: senders then throw
//                              weft::channel_closed, receivers (the buffer is empty) get nullopt.
//   abort (cancellation):      abort_channel_wait, called by a sweep (cancel_tree.hpp), takes
//                              `lock` and unlinks the waiter only if it is still linked.
//                              A node a transfer already unlinked stays completed ("completed
//                              wins", cancel_tree.hpp): the receiver returns its value, the
//                              sender's value stays sent. Lock order: domain, then channel; the
//                              channel never takes a domain lock while holding its own.
//
// Who calls what. The *_locked functions: channel<T> (try_send, try_recv, close: any thread)
// and the awaiters (worker threads), with `lock` held. wake_channel_waiter/wake_channel_waiters:
// the same callers, after unlocking; a task woken from one of its own runtime's workers goes on
// that worker's deque (so it runs next there: a ping-pong costs no trip through the shared
// queue), from anywhere else through scheduler::schedule (runtime/sync/channel_state.cpp).
// abort_channel_wait (channel_awaiters.hpp): the cancellation sweep only. The state lives while
// any handle does; a waiting task's frame holds its handle, so the state outlives every node.
//
// Values are moved under the lock on whichever thread completes the transfer, so T must be
// nothrow move constructible (a copy, for send(const T&), happens in the sender's own context).
//
// `count` and `closed` are atomics only so that an awaiter may peek at them without the lock
// (relaxed) to skip a lock round trip when it will surely wait; every decision is re-made
// under the lock, so a stale peek only costs the slow path.
#include <atomic>
#include <cassert>
#include <coroutine>
#include <cstddef>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <weft/detail/cancel/cancel_tree.hpp>
#include <weft/detail/sync/tiny_mutex.hpp>
#include <weft/detail/scheduler/worker_context.hpp>

namespace weft::detail {

struct channel_core;

// A task suspended in send or recv. The fields below: the channel lock's while linked, else the task's.
struct channel_waiter : cancel_waiter {
    channel_waiter* q_prev = nullptr;
    channel_waiter* q_next = nullptr;
    channel_core* core = nullptr;
    std::coroutine_handle<> handle;
    scheduler* sched = nullptr;  // the waiter's runtime, where it is resumed
    bool linked = false;
    bool sending = false;        // which list it is in
};

template <class T>
struct channel_send_waiter : channel_waiter {
    T* src = nullptr;     // moved from by whoever completes the send
    bool closed = false;  // woken by close(): the send failed
};

template <class T>
struct channel_recv_waiter : channel_waiter {
    std::optional<T> value;  // filled by a sender; stays empty when woken by close()
};

// Intrusive doubly linked FIFO of waiters.
struct channel_waiter_list {
    channel_waiter* head = nullptr;
    channel_waiter* tail = nullptr;

    bool empty() const noexcept { return head == nullptr; }
    void push_back(channel_waiter& w) noexcept {
        w.q_prev = tail;
        w.q_next = nullptr;
        (tail != nullptr ? tail->q_next : head) = &w;
        tail = &w;
        w.linked = true;
    }
    void remove(channel_waiter& w) noexcept {
        (w.q_prev != nullptr ? w.q_prev->q_next : head) = w.q_next;
        (w.q_next != nullptr ? w.q_next->q_prev : tail) = w.q_prev;
        w.q_prev = w.q_next = nullptr;
        w.linked = false;
    }
    channel_waiter& pop_front() noexcept {
        channel_waiter& w = *head;
        remove(w);
        return w;
    }
    // Unlinks all, oldest first; the nodes stay chained through q_prev/q_next.
    channel_waiter* take_all() noexcept {
        channel_waiter* const oldest = head;
        for (channel_waiter* w = head; w != nullptr; w = w->q_next) w->linked = false;
        head = tail = nullptr;
        return oldest;
    }
};

struct channel_core {
    explicit channel_core(std::size_t cap) noexcept : capacity(cap) {}

    std::atomic<std::size_t> refs{1};
    tiny_mutex lock;
    std::atomic<std::size_t> count{0};  // buffered values; written under `lock` only
    std::atomic<bool> closed{false};    // written under `lock` only, once
    std::size_t head = 0;               // the oldest value's slot
    const std::size_t capacity;
    channel_waiter_list senders;
    channel_waiter_list receivers;
};

// Compiled in runtime/sync/channel_state.cpp: s.schedule(h) (for a waiter of another runtime, or a wake
// from a thread that is not one of its workers), and the batch wake of close().
void schedule_channel_waiter(scheduler& s, std::coroutine_handle<> h) noexcept;
void wake_channel_waiters(channel_waiter* oldest) noexcept;

// Schedules an unlinked waiter. Call with no channel lock held. On one of the waiter's own
// workers this is push_woken (inline): the woken task runs next there, from the worker's LIFO
// slot (worker_context.hpp).
inline void wake_channel_waiter(channel_waiter& w) noexcept {
    // safety: nobody else touches an unlinked node, and the task cannot run before this.
    const std::coroutine_handle<> h = w.handle;
    scheduler* const s = w.sched;
    worker_context* const me = tls_worker;
    if (me != nullptr && me->sched == s) push_woken(*me, h);
    else schedule_channel_waiter(*s, h);
}

enum class channel_status { done, blocked, closed };

template <class T>
class channel_state : public channel_core {
    static_assert(std::is_nothrow_move_constructible_v<T>,
                  "weft::channel<T>: T must be nothrow move constructible (values move under the channel's lock)");

public:
    static channel_state* create(std::size_t capacity) {
        if (capacity == 0) throw std::invalid_argument("weft::channel: capacity must be at least 1");
        return new channel_state(capacity);
    }

    void retain() noexcept {
        // relaxed: a new reference is made from one the caller holds (as in shared_ptr).
        refs.fetch_add(1, std::memory_order_relaxed);
    }
    void release() noexcept {
        // acq_rel: release publishes this handle's writes; acquire, in the last owner, makes
        // every other owner's writes visible before the state is destroyed.
        if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

    // relaxed: `count` is written under the lock; a load under the lock is ordered by it, and
    // one outside it is a snapshot that decides nothing.
    std::size_t size() const noexcept { return count.load(std::memory_order_relaxed); }
    // The awaiters' lock-free peeks. relaxed: a stale answer only picks the slower path, which
    // decides again under the lock (see the essay).
    bool recv_would_wait() const noexcept { return size() == 0 && !closed.load(std::memory_order_relaxed); }
    bool send_would_wait() const noexcept { return size() == capacity && !closed.load(std::memory_order_relaxed); }

    // Under `lock`. A send: into the oldest receiver's slot, or the buffer. `wake` gets the
    // receiver to schedule after unlocking. Throws only if constructing from `v` throws (a
    // copy), and then changes nothing.
    template <class U>
    channel_status send_locked(U&& v, channel_waiter*& wake) {
        if (closed.load(std::memory_order_relaxed)) return channel_status::closed;  // relaxed: under the lock
        if (!receivers.empty()) {
            auto& r = static_cast<channel_recv_waiter<T>&>(*receivers.head);
            r.value.emplace(std::forward<U>(v));
            receivers.remove(r);
            wake = &r;
            return channel_status::done;
        }
        if (size() == capacity) return channel_status::blocked;
        std::size_t tail = head + size();
        if (tail >= capacity) tail -= capacity;
        ::new (static_cast<void*>(slots_ + tail)) T(std::forward<U>(v));
        // relaxed: under the lock (see size()).
        count.store(size() + 1, std::memory_order_relaxed);
        return channel_status::done;
    }

    // Under `lock`. A receive into `out`: the oldest value, refilled from the oldest sender.
    channel_status recv_locked(std::optional<T>& out, channel_waiter*& wake) noexcept {
        // relaxed: under the lock.
        if (size() == 0) return closed.load(std::memory_order_relaxed) ? channel_status::closed : channel_status::blocked;
        T& slot = slots_[head];
        out.emplace(std::move(slot));
        slot.~T();
        if (!senders.empty()) {
            // The buffer was full: the freed slot is the tail; the count stays.
            auto& s = static_cast<channel_send_waiter<T>&>(senders.pop_front());
            ::new (static_cast<void*>(&slot)) T(std::move(*s.src));
            wake = &s;
        } else {
            // relaxed: under the lock (see size()).
            count.store(size() - 1, std::memory_order_relaxed);
        }
        if (++head == capacity) head = 0;
        return channel_status::done;
    }

    // Under `lock`. Marks the channel closed; returns the waiters to wake, oldest first.
    channel_waiter* close_locked() noexcept {
        // release: pairs with the acquire in channel::is_closed(), for callers outside the lock.
        closed.store(true, std::memory_order_release);
        for (channel_waiter* w = senders.head; w != nullptr; w = w->q_next)
            static_cast<channel_send_waiter<T>*>(w)->closed = true;
        assert((senders.empty() || receivers.empty()) && "channel invariant: not both lists non-empty");
        return senders.empty() ? receivers.take_all() : senders.take_all();
    }

private:
    explicit channel_state(std::size_t capacity) : channel_core(capacity), slots_(std::allocator<T>{}.allocate(capacity)) {}
    ~channel_state() {
        assert(senders.empty() && receivers.empty() && "a weft::channel's state died with tasks waiting on it");
        for (std::size_t i = 0, n = size(), at = head; i < n; ++i) {
            slots_[at].~T();
            if (++at == capacity) at = 0;
        }
        std::allocator<T>{}.deallocate(slots_, capacity);
    }

    T* const slots_;
};

}  // namespace weft::detail
