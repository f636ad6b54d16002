// weft::mutex (include/weft/mutex.hpp): exclusion, the guard, try_lock, FIFO hand-over, the
// cancellation of waiters, and the race between a hand-over and a cancellation.
#include <weft/mutex.hpp>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <weft/cancel.hpp>
#include <weft/spawn.hpp>
#include <weft/runtime.hpp>
#include <weft/yield.hpp>

#include "support/counted.hpp"
#include "support/event_log.hpp"
#include "support/scale.hpp"
#include "support/sync_helpers.hpp"
#include "support/thread_counts.hpp"

namespace {

using weft_test::counted;
using weft_test::throws_cancelled;
using weft_test::yield_until;

// Counts itself in `arrived`, then takes the lock and logs `id` while holding it.
weft::task<> lock_and_log(weft::mutex* m, std::atomic<int>* arrived, weft_test::event_log<int>* log, int id,
                          counted c) {
    static_cast<void>(c);
    arrived->fetch_add(1);
    auto guard = co_await m->lock();
    log->add(id);
}

// `n` guarded increments of a plain counter; every 16th holds the lock across a yield (so the
// holder may resume on another worker). `inside` counts the holders: more than one is a bug.
weft::task<> increment(weft::mutex* m, long* counter, std::atomic<int>* inside, std::atomic<int>* overlaps, int n) {
    for (int i = 0; i < n; ++i) {
        auto guard = co_await m->lock();
        if (inside->fetch_add(1) != 0) overlaps->fetch_add(1);
        ++*counter;
        if (i % 16 == 0) co_await weft::yield();
        inside->fetch_sub(1);
    }
}

}  // namespace

class mutex : public weft_test::thread_counts {
protected:
    void SetUp() override { counted::reset(); }
    void TearDown() override {
        EXPECT_EQ(counted::alive(), 0);
        EXPECT_EQ(counted::double_destructions, 0);
    }
};
WEFT_TEST_AT_THREAD_COUNTS(mutex);

TEST_P(mutex, locks_at_once_when_free_and_the_guard_unlocks_it_when_destroyed) {
    weft::mutex m;
    const bool ok = run([](weft::mutex* m) -> weft::task<bool> {
        bool held_while_guarded = false;
        {
            weft::mutex_guard g = co_await m->lock();
            held_while_guarded = g.owns_lock() && !m->try_lock().has_value();
        }
        co_return held_while_guarded && m->try_lock().has_value();
    }(&m));
    EXPECT_TRUE(ok);
}

TEST_P(mutex, try_lock_fails_while_held_and_its_guard_unlocks_too) {
    weft::mutex m;
    std::optional<weft::mutex_guard> g = m.try_lock();
    ASSERT_TRUE(g.has_value());
    EXPECT_FALSE(m.try_lock().has_value());
    g.reset();
    EXPECT_TRUE(m.try_lock().has_value()) << "works off the runtime too";
}

TEST_P(mutex, guard_moves_ownership_and_a_second_unlock_is_a_logic_error) {
    weft::mutex m;
    std::optional<weft::mutex_guard> first = m.try_lock();
    ASSERT_TRUE(first.has_value());
    weft::mutex_guard second = std::move(*first);
    EXPECT_FALSE(first->owns_lock());
    EXPECT_TRUE(second.owns_lock());
    EXPECT_THROW(first->unlock(), std::logic_error);
    EXPECT_FALSE(m.try_lock().has_value()) << "the moved-from guard did not unlock";
    second.unlock();
    EXPECT_FALSE(second.owns_lock());
    EXPECT_THROW(second.unlock(), std::logic_error);
    EXPECT_TRUE(m.try_lock().has_value());
}

TEST_P(mutex, hands_the_lock_to_waiters_in_the_order_they_asked) {
    constexpr int waiters = 8;
    weft::mutex m;
    std::atomic<int> arrived{0};
    weft_test::event_log<int> log;
    run([](weft::mutex* m, std::atomic<int>* arrived, weft_test::event_log<int>* log) -> weft::task<> {
        std::vector<weft::join_handle<>> handles;
        {
            auto guard = co_await m->lock();
            for (int i = 0; i < waiters; ++i) {
                handles.push_back(weft::spawn(lock_and_log(m, arrived, log, i, counted{})));
                co_await yield_until(arrived, i + 1);
            }
        }
        for (auto& h : handles) co_await h;
    }(&m, &arrived, &log));
    std::vector<int> order = log.events();
    std::vector<int> expected(waiters);
    std::iota(expected.begin(), expected.end(), 0);
    if (threads() == 1) {
        EXPECT_EQ(order, expected) << "one worker: each waiter queued before the next was spawned";
    } else {
        // A waiter counts itself just before it queues, so on several workers two may swap.
        std::sort(order.begin(), order.end());
        EXPECT_EQ(order, expected);
    }
}

TEST_P(mutex, unlock_hands_the_lock_over_so_a_try_lock_cannot_barge_ahead_of_a_waiter) {
    weft::mutex m;
    std::atomic<int> arrived{0};
    weft_test::event_log<int> log;
    const bool barged = run([](weft::mutex* m, std::atomic<int>* arrived, weft_test::event_log<int>* log,
                               bool deterministic) -> weft::task<bool> {
        auto guard = co_await m->lock();
        auto waiter = weft::spawn(lock_and_log(m, arrived, log, 1, counted{}));
        co_await yield_until(arrived, 1);
        guard.unlock();
        // On one worker the waiter is queued by now, so the unlock made it the owner although it
        // has not run yet. On more, it may not have queued yet; then nothing is asserted.
        const bool took = m->try_lock().has_value();
        co_await waiter;
        co_return deterministic && took;
    }(&m, &arrived, &log, threads() == 1));
    EXPECT_FALSE(barged);
    EXPECT_EQ(log.events(), std::vector<int>{1});
    EXPECT_TRUE(m.try_lock().has_value());
}

TEST_P(mutex, keeps_a_guarded_counter_exact_under_contention_from_many_tasks) {
    constexpr int tasks = 32;
    const int per_task = static_cast<int>(weft_test::scaled(4000));
    weft::mutex m;
    long counter = 0;
    std::atomic<int> inside{0}, overlaps{0};
    run([](weft::mutex* m, long* counter, std::atomic<int>* inside, std::atomic<int>* overlaps,
           int per_task) -> weft::task<> {
        std::vector<weft::join_handle<>> handles;
        for (int i = 0; i < tasks; ++i)
            handles.push_back(weft::spawn(increment(m, counter, inside, overlaps, per_task)));
        for (auto& h : handles) co_await h;
    }(&m, &counter, &inside, &overlaps, per_task));
    EXPECT_EQ(counter, long{tasks} * per_task);
    EXPECT_EQ(overlaps.load(), 0);
    EXPECT_TRUE(m.try_lock().has_value());
}

TEST_P(mutex, a_cancelled_waiter_throws_at_once_and_leaves_the_queue_to_the_others) {
    weft::mutex m;
    std::atomic<int> arrived{0};
    weft_test::event_log<int> log;
    const bool cancelled = run([](weft::mutex* m, std::atomic<int>* arrived,
                                  weft_test::event_log<int>* log) -> weft::task<bool> {
        auto guard = co_await m->lock();
        auto first = weft::spawn(lock_and_log(m, arrived, log, 0, counted{}));
        co_await yield_until(arrived, 1);
        auto second = weft::spawn(lock_and_log(m, arrived, log, 1, counted{}));
        co_await yield_until(arrived, 2);
        first.cancel();
        // Still holding the lock: the first waiter's await can only end by throwing.
        const bool threw = co_await throws_cancelled(std::move(first));
        guard.unlock();
        co_await second;
        co_return threw;
    }(&m, &arrived, &log));
    EXPECT_TRUE(cancelled);
    EXPECT_EQ(log.events(), std::vector<int>{1});
    EXPECT_TRUE(m.try_lock().has_value());
}

TEST_P(mutex, a_cancelled_task_does_not_take_even_a_free_lock) {
    weft::mutex m;
    std::atomic<int> started{0};
    const bool threw = run([](weft::mutex* m, std::atomic<int>* started) -> weft::task<bool> {
        auto h = weft::spawn([](weft::mutex* m, std::atomic<int>* started) -> weft::task<> {
            started->fetch_add(1);
            try {
                for (;;) co_await weft::yield();
            } catch (const weft::cancelled&) {
            }
            auto guard = co_await m->lock();  // free, but a checkpoint on the fast path too
        }(m, started));
        co_await yield_until(started, 1);
        h.cancel();
        co_return co_await throws_cancelled(std::move(h));
    }(&m, &started));
    EXPECT_TRUE(threw);
    EXPECT_TRUE(m.try_lock().has_value());
}

TEST_P(mutex, keeps_a_lock_handed_over_before_the_cancellation_arrived) {
    weft::mutex m;
    std::atomic<int> arrived{0};
    weft_test::event_log<int> log;
    const bool threw = run([](weft::mutex* m, std::atomic<int>* arrived,
                              weft_test::event_log<int>* log) -> weft::task<bool> {
        auto guard = co_await m->lock();
        auto waiter = weft::spawn(lock_and_log(m, arrived, log, 7, counted{}));
        co_await yield_until(arrived, 1);
        guard.unlock();  // hands the lock to the queued waiter...
        waiter.cancel();  // ...which is cancelled before it runs
        co_return co_await throws_cancelled(std::move(waiter));
    }(&m, &arrived, &log));
    if (threads() == 1) {
        // Completed wins: the waiter's co_await returned the guard; it logged and finished.
        EXPECT_FALSE(threw);
        EXPECT_EQ(log.events(), std::vector<int>{7});
    } else {
        // The waiter may not have queued before the unlock; either way the lock is not lost.
        EXPECT_EQ(log.events().size(), threw ? 0U : 1U);
    }
    EXPECT_TRUE(m.try_lock().has_value());
}

TEST_P(mutex, cancel_racing_with_the_hand_over_never_leaks_the_lock_nor_loses_an_increment) {
    const int iterations = static_cast<int>(weft_test::scaled(3000));
    weft::mutex m;
    struct totals {
        long counter = 0;
        int acquired = 0;
        int cancelled = 0;
    };
    const totals t = run([](weft::mutex* m, int iterations, std::size_t threads) -> weft::task<totals> {
        totals t;
        std::atomic<int> acquired{0};
        for (int i = 0; i < iterations; ++i) {
            auto guard = co_await m->lock();
            ++t.counter;
            std::atomic<int> arrived{0};
            auto waiter = weft::spawn([](weft::mutex* m, std::atomic<int>* arrived, long* counter,
                                         std::atomic<int>* acquired) -> weft::task<> {
                arrived->fetch_add(1);
                auto guard = co_await m->lock();
                ++*counter;
                acquired->fetch_add(1);
            }(m, &arrived, &t.counter, &acquired));
            co_await yield_until(&arrived, 1);
            std::atomic<bool> go{false};
            switch (i % 3) {
            case 0:  // handed over, then cancelled before it runs: completed wins
                guard.unlock();
                waiter.cancel();
                break;
            case 1:  // cancelled while queued, then unlocked: the lock stays free
                waiter.cancel();
                guard.unlock();
                break;
            default: {  // another task cancels while this one unlocks
                std::atomic<int> ready{0};
                auto canceller = weft::spawn(weft_test::cancel_on_signal(&ready, &go, &waiter, threads > 1, i % 7));
                co_await weft_test::wait_for_another_worker(&ready, threads > 1);
                go.store(true);
                weft_test::spin(i % 251);
                guard.unlock();
                co_await canceller;
            }
            }
            if (co_await throws_cancelled(std::move(waiter))) ++t.cancelled;
        }
        t.acquired = acquired.load();
        co_return t;
    }(&m, iterations, threads()));
    EXPECT_EQ(t.acquired + t.cancelled, iterations);
    EXPECT_EQ(t.counter, long{iterations} + t.acquired);
    EXPECT_TRUE(m.try_lock().has_value()) << "no lock leaked";
}
