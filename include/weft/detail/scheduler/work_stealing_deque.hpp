#pragma once
// The per-worker deque of runnable work: a Chase-Lev work-stealing deque.
//
// Every worker owns one. The owner pushes and pops at the bottom, LIFO: the child it pushed last
// is the one it runs next, still hot in cache. Other workers steal at the top, FIFO: the oldest
// item, in a gather the biggest piece of work left. This is the scheduler's hot path (a gather
// pushes its children and, when nobody stole them, pops them straight back), so it lives in a
// header, and pop() with more than one item left costs one fence and no CAS.
//
// Who may call what. push() and pop(): the owner thread only (ownership may move to another
// thread only across a happens-before edge, such as a join). steal(), size() and empty(): any
// thread, at any time. The destructor: nobody else may still be inside or enter a member.
//
// Algorithm. Chase & Lev, "Dynamic Circular Work-Stealing Deque" (SPAA 2005), with the C11
// memory orderings proven correct by Lê, Pop, Cohen & Zappa Nardelli, "Correct and Efficient
// Work-Stealing for Weak Memory Models" (PPoPP 2013), Figure 1 (push, take = pop, steal). Items
// live at indices [top_, bottom_); index i is in slot `i & mask` of the current buffer. Thieves
// claim top_ with a CAS. The owner claims the bottom by first lowering bottom_ and then, after
// a seq_cst fence that pairs with the thieves' fence, reading top_: if an item still separates
// them, no thief can reach the owner's item and pop needs no CAS; for the last item owner and
// thieves race through the same CAS on top_, and exactly one wins.
//
// Invariants.
//   - Only the owner writes bottom_, buffer_, top_cache_ and slots. top_ only grows, and only
//     by a CAS, so every write to top_ is a read-modify-write (this matters in push()).
//   - top_ <= bottom_ whenever no pop() is in flight (pop lowers bottom_, then may restore it).
//   - top_cache_ <= top_ (it is an old value of a counter that only grows).
//   - A slot is overwritten only after the item in it was taken and the taker's read of it
//     happens-before the overwrite (see push()).
//   - A buffer is never written once replaced, and is freed only by the destructor.
//
// Growth and memory. push() on a full buffer allocates one twice as large, copies the live range
// and publishes it with a release store. A thief that loaded the old pointer may still read it,
// so the old buffer is retired, not freed: the new buffer owns it (`previous`) and the destructor
// frees the chain. Capacities double, so all retired buffers together are smaller than the final
// one (c + 2c + ... + c*2^(k-1) < c*2^k). The buffer never shrinks. An item stolen during growth
// is read from the frozen old buffer, which holds the same value as its copy; the CAS on top_
// decides who owns it, so growth neither loses nor duplicates an item.
//
// Deviations from the paper, each argued at its place:
//   1. Indices are int64_t, not size_t: pop() on an empty deque computes bottom - 1 = -1, which
//      with size_t would wrap to SIZE_MAX and read as non-empty. 2^63 pushes never happen.
//   2. push() compares against top_cache_, an owner-private lower bound of top_, and reloads
//      top_ (acquire, as the paper) only when that bound says "full": one load of top_'s
//      cache line, which thieves keep writing, per `capacity` pushes instead of per push.
//   3. push() stores bottom_ with release after the paper's release fence (stronger; free on
//      x86-64, stlr instead of str on AArch64) because ThreadSanitizer does not model fences:
//      without it, TSan would report the thief's use of a stolen coroutine frame as a race.
//   4. The paper's consume load of the buffer pointer is an acquire load (what compilers emit).
//   5. With clang on x86-64 the seq_cst fence is `lock or` on the stack, as g++ emits (detail/scheduler/fence.hpp).
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>

#include <weft/detail/scheduler/fence.hpp>

namespace weft::detail {

template <class T>
class work_stealing_deque {
    static_assert(std::is_trivially_copyable_v<T>, "slots are copied without constructors");
    static_assert(sizeof(T) <= sizeof(void*), "meant for handles and pointers");
    static_assert(std::atomic<T>::is_always_lock_free, "slots must be lock-free atomics");

public:
    // Cache line size; a named constant because std::hardware_destructive_interference_size
    // makes g++ warn (-Winterference-size) when it appears in a header.
    static constexpr std::size_t cache_line = 64;

    explicit work_stealing_deque(std::size_t initial_capacity = 256)
        : buffer_(new buffer(rounded_capacity(initial_capacity))) {}
    // relaxed: by contract no other thread is inside a member any more.
    ~work_stealing_deque() { delete buffer_.load(std::memory_order_relaxed); }
    work_stealing_deque(const work_stealing_deque&) = delete;
    work_stealing_deque& operator=(const work_stealing_deque&) = delete;

    // Owner only. Grows the buffer when full; throws only std::bad_alloc, and only when it grows:
    // pushing back an item right after pop() returned it never grows, so never throws.
    void push(T item) {
        // relaxed: only this thread (the owner) writes bottom_ and buffer_.
        const std::int64_t b = bottom_.load(std::memory_order_relaxed);
        buffer* a = buffer_.load(std::memory_order_relaxed);
        if (b - top_cache_ > a->mask) [[unlikely]] {
            // acquire: pairs with the CAS (seq_cst, so release) on top_ in steal() and pop().
            top_cache_ = top_.load(std::memory_order_acquire);
            if (b - top_cache_ > a->mask) a = grow(a, top_cache_, b);
        }
        // safety: an earlier item in this slot has index b (taken by our own pop()) or an index
        // <= b - capacity < top_cache_ (we get here only if not full): taken before our acquire
        // load of top_. Its taker read the slot before its CAS on top_; we read that CAS's value
        // or a later one, in its release sequence since every write to top_ is a CAS. So that
        // read happens-before this overwrite, as in the paper (which just loads top_ anew).
        a->store(b, item);
        // release fence (the paper's): orders the slot store before this and every later store
        // to bottom_ (pop's included), so a thief's acquire load of bottom_ in steal() that
        // reads any of them sees the slot.
        detail::fence<std::memory_order_release>();
        // release (deviation 3): pairs with the acquire load of bottom_ in steal().
        bottom_.store(b + 1, std::memory_order_release);
    }

    // Owner only. Takes the most recently pushed item; empty only if the deque is empty or a
    // thief won the race for the last item.
    std::optional<T> pop() noexcept {
        // relaxed: only this thread (the owner) writes bottom_ and buffer_.
        const std::int64_t b = bottom_.load(std::memory_order_relaxed) - 1;
        buffer* const a = buffer_.load(std::memory_order_relaxed);
        // relaxed: the seq_cst fence below orders it before our load of top_.
        bottom_.store(b, std::memory_order_relaxed);
        // seq_cst: pairs with the seq_cst fence in steal(). Either a thief's fence follows ours
        // and it sees bottom_ <= b, or it precedes ours and we see a top_ >= the one it loaded.
        detail::fence<std::memory_order_seq_cst>();
        // relaxed: ordered by the fence above; we publish nothing through top_ here.
        std::int64_t t = top_.load(std::memory_order_relaxed);
        if (t < b) [[likely]] {
            // safety: an item still separates top_ from ours. A thief whose fence follows ours
            // stops below index b; one whose fence precedes ours loaded a top_ <= t < b and can
            // claim at most that index. Nobody else can take index b, so no CAS.
            return a->load(b);
        }
        std::optional<T> item;
        if (t == b) {
            const T last = a->load(b);
            // seq_cst: pairs with the CAS in steal(): the last item goes to whoever moves top_
            // from b first. relaxed on failure: a thief won and we use nothing it wrote.
            if (top_.compare_exchange_strong(t, t + 1, std::memory_order_seq_cst,
                                             std::memory_order_relaxed)) {
                item = last;
            }
        }
        // relaxed: restores top_ == bottom_ (empty); thieves compare and back off, nothing to
        // publish. If t > b the deque was already empty (t == b + 1).
        bottom_.store(b + 1, std::memory_order_relaxed);
        return item;
    }

    // Any thread. Takes the oldest item. Empty when the deque is empty or we lost a race for the
    // item (to the owner or another thief): the caller should move on to another victim.
    std::optional<T> steal() noexcept {
        // acquire: pairs with the CAS (release half) that wrote this top_ in steal()/pop(), so we
        // see at least the bottom_ and buffer_ its taker saw.
        std::int64_t t = top_.load(std::memory_order_acquire);
        // seq_cst: pairs with the seq_cst fence in pop() (see there).
        detail::fence<std::memory_order_seq_cst>();
        // acquire: pairs with the release store and release fence of bottom_ in push(), so
        // the slots of indices below b, and the buffer holding them, are visible.
        const std::int64_t b = bottom_.load(std::memory_order_acquire);
        if (t >= b) return std::nullopt;
        // acquire (the paper's consume): pairs with the release store of buffer_ in grow().
        buffer* const a = buffer_.load(std::memory_order_acquire);
        // safety: `a` may already be retired; retired buffers stay allocated until the
        // destructor and are never written again. If the slot no longer holds index t's item,
        // top_ has moved past t and the CAS below fails, discarding the value.
        const T item = a->load(t);
        // seq_cst: pairs with the other thieves' CAS and pop()'s CAS for the last item; its
        // release half orders our slot read before the owner's overwrite (acquire in push()).
        // relaxed on failure: we give up and use nothing from the winner.
        if (!top_.compare_exchange_strong(t, t + 1, std::memory_order_seq_cst,
                                          std::memory_order_relaxed)) {
            return std::nullopt;
        }
        return item;
    }

    // Any thread. An estimate: exact only for the owner with no concurrent steal; may read one
    // low while a pop() is in flight.
    std::size_t size() const noexcept {
        // relaxed: a heuristic; no data is read on the strength of it.
        const std::int64_t b = bottom_.load(std::memory_order_relaxed);
        const std::int64_t t = top_.load(std::memory_order_relaxed);  // relaxed: as above
        return b > t ? static_cast<std::size_t>(b - t) : 0;
    }

    bool empty() const noexcept { return size() == 0; }

private:
    struct buffer {
        explicit buffer(std::int64_t capacity)
            : mask(capacity - 1), slots(new std::atomic<T>[static_cast<std::size_t>(capacity)]) {}
        // relaxed (both): slots carry no ordering of their own; they are published by the
        // release on bottom_ (push -> steal) and on buffer_ (grow -> steal), and reclaimed
        // through the CAS on top_ (steal -> push). The owner reads its own writes.
        T load(std::int64_t i) const noexcept { return slot(i).load(std::memory_order_relaxed); }
        void store(std::int64_t i, T v) noexcept { slot(i).store(v, std::memory_order_relaxed); }
        std::atomic<T>& slot(std::int64_t i) const noexcept {
            return slots[static_cast<std::size_t>(i & mask)];  // i & mask >= 0 even for i < 0
        }

        const std::int64_t mask;  // capacity - 1; capacity is a power of two
        const std::unique_ptr<std::atomic<T>[]> slots;
        std::unique_ptr<buffer> previous;  // the retired buffer this one replaced
    };

    static std::int64_t rounded_capacity(std::size_t n) noexcept {
        // Past 2^62 slots the allocation throws std::bad_alloc anyway.
        const std::size_t clamped = std::clamp<std::size_t>(n, 1, std::size_t{1} << 62);
        return static_cast<std::int64_t>(std::bit_ceil(clamped));
    }

    // Owner only, out of line: push()'s fast path stays small. Copies [t, b) into a buffer
    // twice the size. On std::bad_alloc nothing has changed.
    [[gnu::noinline, gnu::cold]] buffer* grow(buffer* old, std::int64_t t, std::int64_t b) {
        auto fresh = std::make_unique<buffer>((old->mask + 1) * 2);
        for (std::int64_t i = t; i < b; ++i) fresh->store(i, old->load(i));
        fresh->previous.reset(old);  // retire: thieves may still be reading `old`
        // release: pairs with the acquire load of buffer_ in steal(); mask and copied slots are
        // visible to whoever sees the new pointer.
        buffer_.store(fresh.get(), std::memory_order_release);
        return fresh.release();
    }

    alignas(cache_line) std::atomic<std::int64_t> top_{0};     // CAS'd by thieves (and pop)
    alignas(cache_line) std::atomic<std::int64_t> bottom_{0};  // written by the owner
    std::atomic<buffer*> buffer_;  // same line as bottom_: thieves read both, owner writes both
    std::int64_t top_cache_ = 0;   // owner only: a lower bound of top_ (deviation 2)
};

}  // namespace weft::detail
