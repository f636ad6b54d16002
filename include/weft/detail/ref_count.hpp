#pragma once
// ref_count: the one shared-ownership count of weft's internals (a channel's state, a root's
// state, a blocking call's state), as std::shared_ptr counts, but intrusive: the count lives in
// the object, so sharing allocates nothing and a handle is one pointer.
//
//     struct state { ref_count refs{2}; ... };          // two owners from the start
//     s->refs.retain();                                  // a new owner, made from an existing one
//     if (s->refs.release()) delete s;                   // the last owner destroys it
#include <atomic>
#include <cstdint>

namespace weft::detail {

class ref_count {
public:
    explicit ref_count(std::uint32_t owners = 1) noexcept : count_(owners) {}
    ref_count(const ref_count&) = delete;
    ref_count& operator=(const ref_count&) = delete;

    void retain() noexcept {
        // relaxed: a new owner is made from one the caller holds, which keeps the count above
        // zero meanwhile (as std::shared_ptr's copy).
        count_.fetch_add(1, std::memory_order_relaxed);
    }
    // Drops one owner; true for the last one, which may then destroy the object.
    [[nodiscard]] bool release() noexcept {
        // acq_rel: the release publishes this owner's writes to the last owner; the acquire, in
        // the last owner, pairs with every other owner's release before it destroys the object.
        return count_.fetch_sub(1, std::memory_order_acq_rel) == 1;
    }
    // Owners now; a snapshot (tests, assertions).
    std::uint32_t owners() const noexcept {
        // relaxed: a snapshot that orders nothing.
        return count_.load(std::memory_order_relaxed);
    }

private:
    std::atomic<std::uint32_t> count_;
};

}  // namespace weft::detail
