// Tests for weft::detail::work_stealing_deque under concurrency: one owner against thieves.
//
// The tests use no sleeps: threads meet at a latch or barrier, spin on atomics (yielding, since
// the CI machine may have fewer cores than threads) and are joined. Under a sanitizer the item
// counts are scaled down (support/scale.hpp).
#include <weft/detail/scheduler/work_stealing_deque.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cstddef>
#include <cstdint>
#include <latch>
#include <memory>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "support/scale.hpp"

namespace {

using weft::detail::work_stealing_deque;
using weft_test::sanitized;

constexpr int thief_count = 3;

// One owner pushes (in bursts) and pops (sometimes pushing the popped item back, as gather does)
// while three thieves steal. Items are pointers to payloads the owner writes before pushing and
// takers read after taking, so TSan checks that a push happens-before the take.
TEST(work_stealing_deque, every_item_is_taken_exactly_once_under_concurrent_steals) {
    constexpr std::size_t item_count = sanitized ? 200'000 : 2'000'000;
    std::vector<std::uint64_t> payload(item_count);  // non-atomic on purpose
    work_stealing_deque<std::uint64_t*> dq(2);
    std::vector<std::vector<std::uint64_t>> taken(thief_count + 1);
    std::atomic<bool> done{false};
    std::latch start(thief_count + 1);

    auto record = [&](std::vector<std::uint64_t>& into, std::uint64_t* p) {
        const auto index = static_cast<std::uint64_t>(p - payload.data());
        into.push_back(*p == ~index ? index : item_count);  // item_count marks a torn payload
    };
    std::vector<std::thread> thieves;
    for (int k = 0; k < thief_count; ++k) {
        thieves.emplace_back([&, k] {
            start.arrive_and_wait();
            // acquire: pairs with the owner's release store of done; nothing is read through it.
            while (!done.load(std::memory_order_acquire)) {
                if (auto p = dq.steal()) record(taken[k], *p);
                else std::this_thread::yield();
            }
        });
    }
    std::minstd_rand rng(12345);
    start.arrive_and_wait();
    std::size_t next = 0;
    while (next < item_count) {
        const std::size_t burst = std::min<std::size_t>(rng() % 64 + 1, item_count - next);
        for (std::size_t i = 0; i < burst; ++i, ++next) {
            payload[next] = ~static_cast<std::uint64_t>(next);
            dq.push(&payload[next]);
        }
        for (std::size_t pops = rng() % (burst + 1); pops > 0; --pops) {
            auto p = dq.pop();
            if (!p) break;
            if (rng() % 8 == 0) dq.push(*p);  // gather's "not my sibling, put it back"
            else record(taken[thief_count], *p);
        }
    }
    while (auto p = dq.pop()) record(taken[thief_count], *p);
    done.store(true, std::memory_order_release);  // release: pairs with the thieves' acquire
    for (auto& t : thieves) t.join();

    EXPECT_TRUE(dq.empty());
    std::vector<std::uint8_t> count(item_count + 1, 0);
    std::size_t stolen = 0;
    for (int k = 0; k <= thief_count; ++k) {
        if (k < thief_count) stolen += taken[k].size();
        for (std::uint64_t index : taken[k]) {
            count[index] = static_cast<std::uint8_t>(count[index] + 1);
        }
    }
    EXPECT_EQ(count[item_count], 0) << "a taker saw a payload not written before its push";
    std::size_t missing = 0, duplicated = 0;
    for (std::size_t i = 0; i < item_count; ++i) {
        missing += count[i] == 0;
        duplicated += count[i] > 1;
    }
    EXPECT_EQ(missing, 0u);
    EXPECT_EQ(duplicated, 0u);
    RecordProperty("stolen", static_cast<int>(stolen));
}

// Rounds on a fresh deque of capacity 2: the owner pushes a whole batch at once, so the buffer
// grows (repeatedly) while the thieves are stealing from it.
TEST(work_stealing_deque, growth_while_thieves_steal_loses_and_duplicates_nothing) {
    constexpr int rounds = sanitized ? 48 : 300;
    constexpr int batch = 2048;
    std::atomic<work_stealing_deque<int>*> current{nullptr};
    std::atomic<bool> round_over{false};
    std::barrier sync(thief_count + 1);
    std::vector<std::vector<int>> taken(thief_count + 1);

    std::vector<std::thread> thieves;
    for (int k = 0; k < thief_count; ++k) {
        thieves.emplace_back([&, k] {
            for (int r = 0; r < rounds; ++r) {
                sync.arrive_and_wait();  // the deque for this round exists
                // relaxed: the barrier already ordered the owner's store before this load.
                auto* dq = current.load(std::memory_order_relaxed);
                // acquire: pairs with the owner's release store; nothing is read through it.
                while (!round_over.load(std::memory_order_acquire)) {
                    if (auto x = dq->steal()) taken[k].push_back(r * batch + *x);
                }
                sync.arrive_and_wait();  // nobody touches the deque any more
            }
        });
    }
    for (int r = 0; r < rounds; ++r) {
        auto dq = std::make_unique<work_stealing_deque<int>>(2);
        current.store(dq.get(), std::memory_order_relaxed);  // relaxed: published by the barrier
        round_over.store(false, std::memory_order_relaxed);  // relaxed: as above
        sync.arrive_and_wait();
        for (int i = 0; i < batch; ++i) dq->push(i);
        while (auto x = dq->pop()) taken[thief_count].push_back(r * batch + *x);
        round_over.store(true, std::memory_order_release);  // release: pairs with the thieves
        sync.arrive_and_wait();
    }
    for (auto& t : thieves) t.join();

    std::vector<int> count(static_cast<std::size_t>(rounds) * batch, 0);
    for (const auto& v : taken) {
        for (int index : v) ++count[static_cast<std::size_t>(index)];
    }
    std::size_t missing = 0, duplicated = 0;
    for (int c : count) {
        missing += c == 0;
        duplicated += c > 1;
    }
    EXPECT_EQ(missing, 0u);
    EXPECT_EQ(duplicated, 0u);
}

// The owner pushes one item and pops it while a thief steals it: exactly one of them gets it.
// Both sides are running when the round starts (the thief announces it is armed), and the owner
// waits a random few spins before popping, so that either side wins some rounds.
TEST(work_stealing_deque, exactly_one_of_owner_and_thief_gets_the_last_item) {
    constexpr int rounds = sanitized ? 20'000 : 200'000;
    work_stealing_deque<int> dq(2);
    std::atomic<int> armed{-1};     // the round the thief is waiting to start
    std::atomic<int> go{-1};        // the round the thief may start
    std::atomic<int> finished{-1};  // the round the thief has finished
    std::atomic<bool> thief_got{false};

    std::thread thief([&] {
        for (int r = 0; r < rounds; ++r) {
            armed.store(r, std::memory_order_relaxed);  // relaxed: a timing hint, publishes nothing
            // acquire: pairs with the owner's release store of go (the push is visible).
            for (int n = 0; go.load(std::memory_order_acquire) != r; ++n) {
                if (n > 1000) std::this_thread::yield();  // oversubscribed machine
            }
            const auto x = dq.steal();
            // relaxed: published by the release store of finished just below.
            thief_got.store(x.has_value() && *x == r, std::memory_order_relaxed);
            finished.store(r, std::memory_order_release);  // release: pairs with the owner
        }
    });
    std::minstd_rand rng(6789);
    std::atomic<unsigned> spin_sink{0};  // keeps the delay loop from being optimised away
    int owner_wins = 0, thief_wins = 0, failures = 0;
    for (int r = 0; r < rounds; ++r) {
        dq.push(r);
        // relaxed: only timing; the deque itself orders the item.
        while (armed.load(std::memory_order_relaxed) != r) std::this_thread::yield();
        go.store(r, std::memory_order_release);  // release: pairs with the thief's acquire
        for (unsigned i = rng() % 512; i > 0; --i) spin_sink.store(i, std::memory_order_relaxed);
        const auto mine = dq.pop();
        // acquire: pairs with the thief's release store of finished.
        while (finished.load(std::memory_order_acquire) != r) std::this_thread::yield();
        const bool owner_got = mine.has_value() && *mine == r;
        const bool thief = thief_got.load(std::memory_order_relaxed);  // relaxed: see above
        failures += owner_got == thief;
        failures += !dq.empty();
        owner_wins += owner_got;
        thief_wins += thief;
    }
    thief.join();
    EXPECT_EQ(failures, 0);
    EXPECT_EQ(owner_wins + thief_wins, rounds);
    RecordProperty("owner_wins", owner_wins);
    RecordProperty("thief_wins", thief_wins);
}

}  // namespace
