#pragma once
// timer_entry: the intrusive node a sleeping task links into the runtime's timer wheel.
//
// It is public (weft/sleep.hpp embeds one in every sleep_awaiter, so it lives in the sleeping
// coroutine's frame) but only runtime/time/timer_wheel.hpp reads or writes its linkage. Because the
// node is the allocation, linking a timer allocates nothing, and one sleeping task costs
// sizeof(timer_entry) == 40 bytes on LP64 -- a binary heap of pointers would be cheaper per
// entry but could not remove a cancelled sleeper in O(1).
//
// Lifetime rules (the wheel stores raw pointers to entries):
//   - a linked entry must not be destroyed or moved; hence no copy and no move.
//   - it leaves the wheel by firing (advance() unlinks it before handing it out), by
//     timer_wheel::remove(), or by timer_wheel::clear(), which forgets it without touching it:
//     its linkage, and linked(), are stale afterwards, and the frame holding it may simply go.
#include <coroutine>
#include <cstdint>

namespace weft::detail {

class timer_wheel;

struct timer_entry {
    // Tick (1 ms, counted from the wheel's start) at which it fires; set before insert(), and not
    // changed while linked.
    std::uint64_t deadline = 0;
    // What the runtime resumes when it fires. The wheel never reads or writes it.
    std::coroutine_handle<> waiter;

    timer_entry() noexcept = default;
    timer_entry(const timer_entry&) = delete;
    timer_entry& operator=(const timer_entry&) = delete;

    bool linked() const noexcept { return list_ != unlinked; }

private:
    friend class timer_wheel;
    static constexpr std::uint16_t unlinked = 0xffff;

    // Doubly linked list of the slot (or the due list) this entry sits in; list_ names that list
    // (timer_wheel's index: level * 64 + slot, or its due list), which is what makes remove() O(1).
    timer_entry* prev_ = nullptr;
    timer_entry* next_ = nullptr;
    std::uint16_t list_ = unlinked;
};

}  // namespace weft::detail
