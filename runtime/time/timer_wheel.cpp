// timer_wheel: see timer_wheel.hpp for the design, the level/slot arithmetic and the invariants
// this file keeps.
#include "time/timer_wheel.hpp"

#include <algorithm>
#include <bit>
#include <cassert>

namespace weft::detail {
namespace {

constexpr std::uint64_t slot_mask = timer_wheel_slots - 1;

constexpr unsigned level_shift(unsigned level) noexcept { return level * timer_wheel_slot_bits; }

// The level an entry due at `when` belongs to while the wheel stands at `now` (< when): the
// base-64 digit of the highest bit in which they differ. `| slot_mask` makes level 0 the floor;
// the clamp parks deadlines beyond the horizon on the top level (re-inserted when it comes due).
constexpr unsigned level_for(std::uint64_t now, std::uint64_t when) noexcept {
    std::uint64_t masked = (now ^ when) | slot_mask;
    if (masked >= timer_wheel_horizon) masked = timer_wheel_horizon - 1;
    return static_cast<unsigned>(std::bit_width(masked) - 1) / timer_wheel_slot_bits;
}

static_assert(level_for(0, 1) == 0 && level_for(0, 63) == 0 && level_for(0, 64) == 1);
static_assert(level_for(63, 64) == 1 && level_for(64, 127) == 0 && level_for(0, 4096) == 2);
static_assert(level_for(0, timer_wheel_horizon - 1) == 5 && level_for(0, ~std::uint64_t{0}) == 5);

bool by_deadline(const timer_entry* a, const timer_entry* b) noexcept { return a->deadline < b->deadline; }

}  // namespace

void timer_wheel::link(timer_entry& e, std::uint16_t index) noexcept {
    list& l = lists_[index];
    // safety: e is unlinked (or detached from a slot being processed, its old prev_/next_ stale
    // and about to be overwritten); l.tail, when set, is a linked entry whose frame is alive --
    // owners remove() entries before destroying them, or the wheel is clear()ed first.
    e.prev_ = l.tail;
    e.next_ = nullptr;
    e.list_ = index;
    if (l.tail != nullptr) {
        l.tail->next_ = &e;
    } else {
        l.head = &e;
    }
    l.tail = &e;
    if (index != due_list) occupied_[index / timer_wheel_slots] |= std::uint64_t{1} << (index % timer_wheel_slots);
}

void timer_wheel::unlink(timer_entry& e) noexcept {
    list& l = lists_[e.list_];
    // safety: e's neighbours are linked in the same list, hence alive (see link()); after this
    // no pointer in the wheel refers to e, so its frame may be destroyed.
    (e.prev_ != nullptr ? e.prev_->next_ : l.head) = e.next_;
    (e.next_ != nullptr ? e.next_->prev_ : l.tail) = e.prev_;
    if (l.head == nullptr && e.list_ != due_list) {
        occupied_[e.list_ / timer_wheel_slots] &= ~(std::uint64_t{1} << (e.list_ % timer_wheel_slots));
    }
    e.prev_ = nullptr;
    e.next_ = nullptr;
    e.list_ = timer_entry::unlinked;
}

void timer_wheel::place(timer_entry& e) noexcept {
    if (e.deadline <= elapsed_) {
        if (lists_[due_list].head == nullptr || e.deadline < due_min_) due_min_ = e.deadline;
        link(e, due_list);
        return;
    }
    const unsigned level = level_for(elapsed_, e.deadline);
    const auto slot = static_cast<unsigned>((e.deadline >> level_shift(level)) & slot_mask);
    link(e, static_cast<std::uint16_t>(level * timer_wheel_slots + slot));
}

void timer_wheel::insert(timer_entry& e) noexcept {
    assert(!e.linked());
    place(e);
    ++size_;
}

void timer_wheel::remove(timer_entry& e) noexcept {
    assert(e.linked() && e.list_ <= due_list);
    unlink(e);
    --size_;
}

// The first slot advance() must process: the earliest occupied slot of the lowest non-empty
// level (invariant 2). Slots are searched from the one after elapsed_'s own digit, rotating the
// bitmap so that countr_zero gives the distance. Only the top level can hold a slot at or behind
// elapsed_'s digit (entries parked there from beyond the horizon); it comes due one revolution,
// 64^6 ticks, after its start in this one -- so elapsed_'s own slot is searched last, not first.
std::optional<timer_wheel::expiration> timer_wheel::next_expiration() const noexcept {
    for (unsigned level = 0; level < timer_wheel_levels; ++level) {
        const std::uint64_t occupied = occupied_[level];
        if (occupied == 0) continue;
        const unsigned shift = level_shift(level);
        const auto now_slot = static_cast<unsigned>((elapsed_ >> shift) & slot_mask);
        const unsigned from = (now_slot + 1) & slot_mask;
        const auto distance = static_cast<unsigned>(std::countr_zero(std::rotr(occupied, static_cast<int>(from))));
        const unsigned slot = (from + distance) & slot_mask;
        const std::uint64_t level_span = std::uint64_t{1} << (shift + timer_wheel_slot_bits);
        std::uint64_t tick = (elapsed_ & ~(level_span - 1)) + (std::uint64_t{slot} << shift);
        if (tick <= elapsed_) {
            assert(level == timer_wheel_levels - 1);  // invariant 1 for the levels below
            tick += level_span;
        }
        return expiration{level, slot, tick};
    }
    return std::nullopt;
}

std::optional<std::uint64_t> timer_wheel::next_deadline() const noexcept {
    if (lists_[due_list].head != nullptr) return due_min_;
    if (const auto x = next_expiration()) return x->tick;
    return std::nullopt;
}

// Processes one slot at its start tick: entries due now fire, in list (insertion) order; the
// rest move to lower levels (or, parked from beyond the horizon, around the top level again).
void timer_wheel::process(const expiration& x, std::vector<timer_entry*>& fired) {
    list& l = lists_[x.level * timer_wheel_slots + x.slot];
    timer_entry* e = l.head;
    // Detach the whole list first: a re-parked entry may land in this very slot again.
    l = list{};
    occupied_[x.level] &= ~(std::uint64_t{1} << x.slot);
    elapsed_ = x.tick;
    try {
        while (e != nullptr) {
            // safety: read next_ before e is re-linked or handed out; the detached entries are
            // still alive (see link()) and nothing else refers to them until they are placed.
            timer_entry* const next = e->next_;
            if (e->deadline <= elapsed_) {
                fired.push_back(e);  // may throw: e is then still in the detached run below
                e->prev_ = nullptr;
                e->next_ = nullptr;
                e->list_ = timer_entry::unlinked;
                --size_;
            } else {
                place(*e);
            }
            e = next;
        }
    } catch (...) {
        // Put the unprocessed rest back (the due ones onto the due list) so that the wheel stays
        // valid and no entry is lost.
        while (e != nullptr) {
            timer_entry* const next = e->next_;
            place(*e);
            e = next;
        }
        throw;
    }
}

void timer_wheel::advance(std::uint64_t now, std::vector<timer_entry*>& fired) {
    // 1. Entries inserted already due: all deadlines <= elapsed_ < anything in the slots.
    if (lists_[due_list].head != nullptr) {
        const auto first = static_cast<std::ptrdiff_t>(fired.size());
        while (timer_entry* const e = lists_[due_list].head) {
            fired.push_back(e);  // may throw: e is still linked
            unlink(*e);
            --size_;
        }
        // They were inserted in any deadline order; stable_sort keeps insertion order for ties.
        if (!std::is_sorted(fired.begin() + first, fired.end(), by_deadline)) {
            std::stable_sort(fired.begin() + first, fired.end(), by_deadline);
        }
    }
    // 2. Every slot that starts at or before `now`, earliest first. Cascading re-inserts entries
    // at lower levels, whose slots then come before the next slot of any higher level.
    while (const auto x = next_expiration()) {
        if (x->tick > now) break;
        process(*x, fired);
    }
    // 3. No slot starts in (elapsed_, now], so invariants 1 and 3 hold at `now` too.
    if (now > elapsed_) elapsed_ = now;
}

void timer_wheel::clear() noexcept {
    // No entry is touched: their frames may already be on their way out.
    lists_.fill(list{});
    occupied_.fill(0);
    size_ = 0;
}

}  // namespace weft::detail
