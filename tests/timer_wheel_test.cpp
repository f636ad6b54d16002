// Tests for weft::detail::timer_wheel: level boundaries, the horizon clamp, remove() across cascades, huge
// jumps, already-due entries, clear(), a fixed-seed comparison with a std::multimap model, a million entries.
#include "time/timer_wheel.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <vector>

namespace {

using weft::detail::timer_entry;
using weft::detail::timer_wheel;
using weft::detail::timer_wheel_horizon;
using fired_list = std::vector<timer_entry*>;

constexpr std::uint64_t pow64(unsigned n) { return std::uint64_t{1} << (6 * n); }

// advance(), returning what fired.
fired_list advance(timer_wheel& w, std::uint64_t now) {
    fired_list fired;
    w.advance(now, fired);
    return fired;
}

bool in_deadline_order(const fired_list& f) {
    return std::is_sorted(f.begin(), f.end(), [](auto* a, auto* b) { return a->deadline < b->deadline; });
}

TEST(timer_wheel, an_empty_wheel_has_no_deadline_and_fires_nothing) {
    timer_wheel w;
    EXPECT_TRUE(w.empty() && w.size() == 0 && w.elapsed() == 0 && !w.next_deadline());
    EXPECT_TRUE(advance(w, 123456789).empty());
    EXPECT_TRUE(advance(w, 5).empty());  // time never goes back
    EXPECT_EQ(w.elapsed(), 123456789u);
}

TEST(timer_wheel, an_entry_at_each_level_boundary_fires_exactly_at_its_deadline) {
    const std::uint64_t offsets[] = {1, 63, 64, 65, 4095, 4096, 4097, pow64(3) - 1, pow64(3), pow64(3) + 1,
                                     pow64(4), pow64(5) - 1, pow64(5), pow64(6) - 1, pow64(6), pow64(6) + 1,
                                     3 * pow64(6) + 12345};
    for (const std::uint64_t start : {std::uint64_t{0}, std::uint64_t{1'000'003}, timer_wheel_horizon - 5}) {
        for (const std::uint64_t offset : offsets) {
            SCOPED_TRACE(testing::Message() << "start " << start << " offset " << offset);
            const std::uint64_t d = start + offset;
            timer_wheel w, v;
            timer_entry e;
            e.deadline = d;
            advance(w, start);
            w.insert(e);
            EXPECT_TRUE(advance(w, d - 1).empty() && e.linked());  // one jump to just before
            ASSERT_LE(*w.next_deadline(), d);
            ASSERT_EQ(advance(w, d), fired_list{&e});
            EXPECT_TRUE(!e.linked() && w.empty());

            // Following next_deadline() reaches it in a few hops, each in the future and <= d.
            fired_list fired;
            advance(v, start);
            v.insert(e);
            for (int hops = 1; fired.empty(); ++hops) {
                const std::uint64_t next = *v.next_deadline();
                ASSERT_TRUE(next > v.elapsed() && next <= d && hops <= 12) << next << " hop " << hops;
                v.advance(next, fired);
            }
            EXPECT_TRUE(v.elapsed() == d && fired == fired_list{&e});
        }
    }
}

TEST(timer_wheel, deadlines_beyond_the_horizon_are_clamped_to_the_top_level_but_never_fire_early) {
    timer_wheel w;
    timer_entry never, far;
    never.deadline = std::numeric_limits<std::uint64_t>::max(), far.deadline = 5 * timer_wheel_horizon + 7;
    w.insert(never);
    w.insert(far);
    EXPECT_LE(*w.next_deadline(), timer_wheel_horizon);  // re-examined within one revolution
    EXPECT_TRUE(advance(w, far.deadline - 1).empty());
    EXPECT_TRUE(advance(w, 100 * timer_wheel_horizon) == fired_list{&far} && never.linked());
    EXPECT_LE(*w.next_deadline() - w.elapsed(), timer_wheel_horizon);
    w.remove(never);
    EXPECT_FALSE(w.next_deadline());
}

TEST(timer_wheel, remove_unlinks_entries_at_every_level) {
    const std::uint64_t deadlines[] = {10, 100, 5000, 300'000, 20'000'000, 2'000'000'000, 5 * timer_wheel_horizon};
    timer_wheel w;
    std::deque<timer_entry> kept, gone;  // each gone entry shares a kept one's slot
    timer_entry lone;                    // alone in its slot: removing it empties the slot
    lone.deadline = 3;
    w.insert(lone);
    fired_list expected;
    for (const std::uint64_t d : deadlines) {
        gone.emplace_back().deadline = kept.emplace_back().deadline = d;
        for (auto* e : {&gone.back(), &kept.back()}) w.insert(*e);
        expected.push_back(&kept.back());
    }
    w.remove(lone);
    for (auto& e : gone) w.remove(e);
    EXPECT_EQ(w.size(), kept.size());
    EXPECT_EQ(*w.next_deadline(), 10u);
    EXPECT_EQ(advance(w, 6 * timer_wheel_horizon), expected);
    for (auto& e : gone) EXPECT_FALSE(e.linked());
}

TEST(timer_wheel, remove_works_after_a_partial_cascade) {
    timer_wheel w;
    timer_entry a, b, c;
    a.deadline = 5000, b.deadline = 5001, c.deadline = 4500;  // level 2 at tick 0, level 1 at 4096
    for (auto* e : {&a, &b, &c}) w.insert(*e);
    EXPECT_TRUE(advance(w, 4096).empty());  // cascades slot (2, 1) down
    EXPECT_EQ(*w.next_deadline(), 4096u + 6 * 64);  // c's level-1 slot
    w.remove(c);
    EXPECT_EQ(*w.next_deadline(), 4096u + 14 * 64);  // a and b's level-1 slot
    EXPECT_TRUE(advance(w, 4096 + 14 * 64).empty());  // a and b cascade to level 0
    w.remove(a);
    EXPECT_EQ(*w.next_deadline(), 5001u);
    EXPECT_TRUE(advance(w, 10'000) == fired_list{&b} && w.empty());
}

TEST(timer_wheel, a_huge_jump_fires_everything_due_in_deadline_order) {
    std::mt19937_64 rng(7);
    std::vector<timer_entry> entries(10'000);
    timer_wheel w;
    for (auto& e : entries) {
        e.deadline = 1 + rng() % (std::uint64_t{1} << 40);  // up to 35 years
        w.insert(e);
    }
    constexpr std::uint64_t half = std::uint64_t{1} << 39;
    fired_list fired = advance(w, half);
    EXPECT_EQ(fired.size(), std::count_if(entries.begin(), entries.end(), [](auto& e) { return e.deadline <= half; }));
    w.advance(std::uint64_t{1} << 41, fired);
    EXPECT_EQ(fired.size(), entries.size());
    EXPECT_TRUE(in_deadline_order(fired));
    EXPECT_TRUE(w.empty() && !w.next_deadline() && w.elapsed() == std::uint64_t{1} << 41);
}

TEST(timer_wheel, an_already_due_deadline_fires_at_the_next_advance) {
    timer_wheel w;
    advance(w, 1000);
    timer_entry a, b, c, d, later;
    a.deadline = 500, b.deadline = 1000, c.deadline = 0, d.deadline = 1000, later.deadline = 1001;
    for (auto* e : {&a, &b, &c, &d, &later}) w.insert(*e);
    EXPECT_EQ(*w.next_deadline(), 0u);  // never later than the earliest deadline
    EXPECT_EQ(advance(w, 999), (fired_list{&c, &a, &b, &d}));  // 999 < elapsed(): means elapsed()
    EXPECT_TRUE(w.elapsed() == 1000 && *w.next_deadline() == 1001 && w.size() == 1);
}

TEST(timer_wheel, clear_forgets_every_entry_without_touching_them) {
    timer_wheel w;
    advance(w, 77);
    auto pool = std::make_unique<timer_entry[]>(100);
    for (int i = 0; i < 100; ++i) {
        pool[i].deadline = std::uint64_t{1} << (i % 45);  // every level, and some already due
        w.insert(pool[i]);
    }
    pool.reset();  // as at shutdown: frames go first; under ASan any touch below would fail
    w.clear();
    EXPECT_TRUE(w.empty() && !w.next_deadline() && w.elapsed() == 77);
    EXPECT_TRUE(advance(w, std::uint64_t{1} << 45).empty());
    timer_entry fresh;
    fresh.deadline = w.elapsed() + 100;
    w.insert(fresh);
    EXPECT_EQ(advance(w, fresh.deadline), fired_list{&fresh});
}

// Random inserts (already due, near, far, beyond the horizon, and repeated deadlines), removes,
// re-inserts of fired entries and advances (small steps, huge jumps, to next_deadline(), and
// backwards), checked against a multimap: equal keys keep insertion order, which is exactly the
// order the wheel must fire in. Also the property: next_deadline() <= the earliest deadline.
TEST(timer_wheel, matches_a_multimap_reference_model_over_random_operations) {
    std::mt19937_64 rng(20261124);
    auto below = [&](std::uint64_t n) { return n == 0 ? 0 : rng() % n; };
    timer_wheel w;
    std::deque<timer_entry> pool;
    std::vector<timer_entry*> idle;
    std::multimap<std::uint64_t, timer_entry*> model;
    for (int step = 0; step < 400'000; ++step) {
        const bool filling = (step / 20'000) % 2 == 0;  // phases that grow, then shrink the wheel
        const std::uint64_t now = w.elapsed(), op = below(100), kind = below(20);
        if (op < (filling ? 80 : 45)) {
            static constexpr std::uint64_t spans[] = {64, 5000, 1ull << 31, 4 * timer_wheel_horizon};
            std::uint64_t d = now + 1 + below(spans[below(4)]);
            if (kind == 0) d = now - std::min(now, below(100));
            if (kind == 1 && !model.empty()) d = std::next(model.begin(), below(8) % model.size())->first;
            if (idle.empty()) idle.push_back(&pool.emplace_back());
            timer_entry* e = idle.back();
            idle.pop_back();
            e->deadline = d;
            w.insert(*e);
            model.emplace(d, e);
        } else if (op < (filling ? 90 : 65) && !pool.empty()) {
            timer_entry* e = &pool[below(pool.size())];
            if (!e->linked()) continue;  // idle
            w.remove(*e);
            auto [lo, hi] = model.equal_range(e->deadline);
            model.erase(std::find_if(lo, hi, [&](auto& kv) { return kv.second == e; }));
            idle.push_back(e);
        } else {
            const std::uint64_t k = below(1000);  // jump sizes from a tick to years, big ones rare
            std::uint64_t to = now + below(1 + (k < 300 ? 3 : k < 600 ? 70 : k < 850 ? 5000 : k < 980 ? 1ull << 25
                                                : k < 997 ? 1ull << 33 : 3 * timer_wheel_horizon));
            if (k % 7 == 0 && w.next_deadline()) to = *w.next_deadline();
            if (k == 999) to = now / 2;
            const fired_list fired = advance(w, to);
            fired_list expected;
            for (auto it = model.begin(); it != model.end() && it->first <= std::max(now, to); it = model.erase(it)) {
                expected.push_back(it->second);
                idle.push_back(it->second);
            }
            ASSERT_EQ(fired, expected) << "step " << step << " advance " << now << " -> " << to;
            for (auto* e : fired) ASSERT_FALSE(e->linked());
            ASSERT_EQ(w.elapsed(), std::max(now, to));
        }
        ASSERT_EQ(w.size(), model.size());
        ASSERT_EQ(w.next_deadline().has_value(), !model.empty());
        ASSERT_LE(w.next_deadline().value_or(0), model.empty() ? 0 : model.begin()->first) << "step " << step;
    }
}

TEST(timer_wheel, a_million_entries_insert_and_fire) {
    constexpr std::size_t n = 1'000'000;
    constexpr std::uint64_t hour = 3'600'000;
    auto entries = std::make_unique<timer_entry[]>(n);
    std::mt19937_64 rng(1);
    timer_wheel w;
    std::size_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        entries[i].deadline = 1 + rng() % hour;
        w.insert(entries[i]);
    }
    EXPECT_EQ(w.size(), n);
    for (std::uint64_t now = 60'000; now <= hour; now += 60'000) {
        const fired_list fired = advance(w, now);
        ASSERT_TRUE(in_deadline_order(fired));
        ASSERT_TRUE(fired.empty() || (fired.front()->deadline > now - 60'000 && fired.back()->deadline <= now));
        total += fired.size();
        ASSERT_EQ(w.size(), n - total);
    }
    EXPECT_EQ(total, n);
    EXPECT_TRUE(w.empty());
}

}  // namespace
