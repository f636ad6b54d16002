#pragma once
// timer_wheel: the runtime's set of sleeping tasks, ordered by deadline.
//
// What it is
// ----------
// A hierarchical timing wheel (Varghese & Lauck, "Hashed and Hierarchical Timing Wheels", SOSP
// 1987) in the shape of Tokio's time driver (tokio/src/runtime/time/wheel): 6 levels of 64
// slots, time counted in integer ticks of 1 ms since the wheel's start. Each slot is an intrusive
// FIFO list of timer_entry nodes (weft/detail/time/timer_entry.hpp) that live in the sleeping
// coroutines' frames, and each level keeps a 64-bit occupancy bitmap of its non-empty slots.
//
// Why not a binary heap
// ---------------------
// weft must hold a million sleepers. A heap costs O(log n) per insert and, worse, per cancel: a
// task destroyed while asleep must leave the structure, and a heap needs an index per node kept
// up to date through every sift to do that. Here insert is a shift, an xor and a list append;
// remove is a list unlink; neither allocates, and the per-sleeper cost is the 40-byte node in the
// frame. Firing is O(1) per entry plus at most one re-insertion per level it passes through
// (cascading), and finding the next due slot is a handful of countr_zero over the bitmaps, so
// advance() jumps straight over idle stretches, days of them, without walking ticks.
//
// Level and slot arithmetic
// -------------------------
// Level l has 64 slots of 64^l ticks each, so it covers 64^(l+1) ticks: level 0 one tick per
// slot (64 ms), level 1 64 ms per slot (4.1 s), level 2 4.1 s (4.4 min), level 3 4.4 min
// (4.7 h), level 4 4.7 h (12.4 days), level 5 12.4 days (2.18 years = 64^6 ms).
// An entry due at tick `d`, inserted when the wheel stands at `e` (d > e), goes to the level of
// the highest bit in which d and e differ: level = (bit_width((e ^ d) | 63) - 1) / 6, and to slot
// (d >> 6*level) & 63 -- base-64 digit `level` of d. Since d > e and they agree above that digit,
// d's digit is strictly greater than e's: the slot lies ahead, within the current 64^(l+1) block.
// A slot comes due at its start tick; then each of its entries either fires (deadline reached)
// or is re-inserted from there, which puts it at a strictly lower level (cascading). So an entry
// fires at its exact tick after at most 5 moves.
//
// Deadlines beyond the horizon (e ^ d >= 64^6): the *placement* is clamped to the top level, in
// slot digit 5 of d, and the top level is read as a ring whose slots at or behind e's digit come
// due in the next revolution (e's own slot last). So the slot comes due within 64^6 ticks but
// never after d; the entry is then re-inserted like any other (re-parked, if still beyond). It
// never fires early: a 100-year sleep costs one cascade per 2.2 years, not an early wake-up.
//
// Invariants (between calls)
//   1. An entry at level l < 5 agrees with elapsed() on every base-64 digit above l, and its
//      digit l is strictly greater than elapsed()'s: its slot starts in the future.
//   2. Hence every entry of level l comes due before every entry of level l+1: level l slots
//      start before the end of the current 64^(l+1) block, level l+1 slots at or after it. The
//      earliest slot of the lowest non-empty level is the next thing advance() must process.
//   3. A slot's start tick is <= the deadline of every entry in it (for top-level ring slots too).
//   4. Entries inserted with deadline <= elapsed() sit on a separate due list; advance() fires
//      them first, sorted. Entries with equal deadlines fire in insertion order, since the level
//      chosen for a deadline only falls as elapsed() grows and the slot depends on d alone.
//   5. occupied_[l] bit s is set exactly when the list of (l, s) is non-empty.
//   6. elapsed() must stay below 2^64 - 2^37 ticks (half a billion years of milliseconds).
//
// Not thread-safe: timer_driver (timer_driver.hpp) calls it with its mutex held.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <weft/detail/time/timer_entry.hpp>

namespace weft::detail {

// Levels in the hierarchy: 6, as in Tokio's time driver (`NUM_LEVELS`).
inline constexpr unsigned timer_wheel_levels = 6;
// log2 of the slots per level: 64 slots, as in Tokio (`LEVEL_MULT`), so that one level's
// occupancy is one std::uint64_t and "next non-empty slot" is one rotate + countr_zero.
inline constexpr unsigned timer_wheel_slot_bits = 6;
inline constexpr unsigned timer_wheel_slots = 1u << timer_wheel_slot_bits;
// One tick: 1 ms, Tokio's resolution. Callers convert from steady_clock, deadlines rounded up.
using timer_wheel_tick = std::chrono::milliseconds;
// Ticks one revolution of the top level covers: 64^6 = 2^36 ms, about 2.18 years.
inline constexpr std::uint64_t timer_wheel_horizon = std::uint64_t{1}
                                                     << (timer_wheel_levels * timer_wheel_slot_bits);

class timer_wheel {
public:
    timer_wheel() noexcept = default;  // elapsed() == 0
    timer_wheel(const timer_wheel&) = delete;
    timer_wheel& operator=(const timer_wheel&) = delete;

    // Links `e` (not linked; e.deadline set). A deadline <= elapsed() fires at the next advance().
    void insert(timer_entry& e) noexcept;
    // Unlinks `e` (linked in this wheel). O(1). For sleepers cancelled or destroyed.
    void remove(timer_entry& e) noexcept;
    // Moves time to `now` (a value below elapsed() means elapsed()). Unlinks every entry whose
    // deadline is <= now and appends it to `fired`, in deadline order, equal deadlines in
    // insertion order. If push_back throws, the wheel stays valid and the entries not yet
    // appended stay linked (those already due fire at the next advance()).
    void advance(std::uint64_t now, std::vector<timer_entry*>& fired);
    // The earliest tick at which advance() can fire or must cascade; never later than the
    // earliest deadline linked (possibly earlier: a cascade point, or below elapsed() while an
    // already-due entry waits). nullopt when empty.
    std::optional<std::uint64_t> next_deadline() const noexcept;

    std::uint64_t elapsed() const noexcept { return elapsed_; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    // Forgets every entry without touching it (runtime shutdown: the frames holding them are
    // about to be destroyed). Their linkage is stale afterwards. elapsed() is kept.
    void clear() noexcept;

private:
    struct list {
        timer_entry* head = nullptr;
        timer_entry* tail = nullptr;
    };
    struct expiration {
        unsigned level;
        unsigned slot;
        std::uint64_t tick;  // the slot's start
    };
    // lists_ index of the due list; slot lists are level * timer_wheel_slots + slot.
    static constexpr std::uint16_t due_list = timer_wheel_levels * timer_wheel_slots;

    void place(timer_entry& e) noexcept;  // links e where (elapsed_, e.deadline) says
    void link(timer_entry& e, std::uint16_t index) noexcept;
    void unlink(timer_entry& e) noexcept;
    std::optional<expiration> next_expiration() const noexcept;
    void process(const expiration& x, std::vector<timer_entry*>& fired);

    std::uint64_t elapsed_ = 0;
    std::size_t size_ = 0;
    std::uint64_t due_min_ = 0;  // lower bound on the due list's deadlines while it is non-empty
    std::array<std::uint64_t, timer_wheel_levels> occupied_{};
    std::array<list, timer_wheel_levels * timer_wheel_slots + 1> lists_{};
};

}  // namespace weft::detail
