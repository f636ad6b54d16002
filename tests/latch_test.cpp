// weft::latch (include/weft/latch.hpp): counting down, waking every waiter, misuse,
// cancellation of waiters, and no lost wake-ups.
#include <weft/latch.hpp>

#include <atomic>
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
#include "support/scale.hpp"
#include "support/sync_helpers.hpp"
#include "support/thread_counts.hpp"

namespace {

using weft_test::counted;
using weft_test::throws_cancelled;
using weft_test::yield_until;

// Writes its slot (a plain int), then counts down.
weft::task<> fill_and_count_down(weft::latch* l, int* slot, int value, counted c) {
    static_cast<void>(c);
    co_await weft::yield();
    *slot = value;
    l->count_down();
}

weft::task<> wait_for(weft::latch* l, std::atomic<int>* arrived, std::atomic<int>* woken, counted c) {
    static_cast<void>(c);
    arrived->fetch_add(1);
    co_await l->wait();
    woken->fetch_add(1);
}

}  // namespace

class latch : public weft_test::thread_counts {
protected:
    void SetUp() override { counted::reset(); }
    void TearDown() override {
        EXPECT_EQ(counted::alive(), 0);
        EXPECT_EQ(counted::double_destructions, 0);
    }
};
WEFT_TEST_AT_THREAD_COUNTS(latch);

TEST_P(latch, wait_returns_once_every_count_down_arrived_and_sees_their_writes) {
    constexpr int workers = 16;
    weft::latch l{workers};
    std::vector<int> slots(workers, 0);
    run([](weft::latch* l, std::vector<int>* slots) -> weft::task<> {
        std::vector<weft::join_handle<>> handles;
        for (std::size_t i = 0; i < workers; ++i)
            handles.push_back(weft::spawn(fill_and_count_down(l, &(*slots)[i], static_cast<int>(i) + 1, counted{})));
        co_await l->wait();
        for (int i = 0; i < workers; ++i) EXPECT_EQ((*slots)[static_cast<std::size_t>(i)], i + 1);
        for (auto& h : handles) co_await h;
    }(&l, &slots));
    EXPECT_TRUE(l.try_wait());
}

TEST_P(latch, of_zero_is_open_at_once_and_count_down_by_n_counts_n) {
    weft::latch open{0};
    EXPECT_TRUE(open.try_wait());
    weft::latch l{5};
    l.count_down(3);
    EXPECT_FALSE(l.try_wait());
    l.count_down(2);
    EXPECT_TRUE(l.try_wait());
    run([](weft::latch* a, weft::latch* b) -> weft::task<> {
        co_await a->wait();
        co_await b->wait();
    }(&open, &l));
}

TEST_P(latch, rejects_a_negative_count_and_a_count_down_below_zero) {
    EXPECT_THROW(weft::latch{-1}, std::invalid_argument);
    weft::latch l{2};
    EXPECT_THROW(l.count_down(-1), std::invalid_argument);
    EXPECT_THROW(l.count_down(3), std::logic_error);
    EXPECT_FALSE(l.try_wait()) << "a rejected count_down changes nothing";
    l.count_down(2);
    EXPECT_THROW(l.count_down(), std::logic_error);
}

TEST_P(latch, wakes_every_waiter_and_a_cancelled_one_throws_at_once) {
    weft::latch l{1};
    std::atomic<int> arrived{0}, woken{0};
    const bool cancelled = run([](weft::latch* l, std::atomic<int>* arrived,
                                  std::atomic<int>* woken) -> weft::task<bool> {
        std::vector<weft::join_handle<>> handles;
        for (int i = 0; i < 4; ++i) handles.push_back(weft::spawn(wait_for(l, arrived, woken, counted{})));
        co_await yield_until(arrived, 4);
        handles[1].cancel();
        // The latch is closed: the cancelled waiter's await can only end by throwing.
        const bool threw = co_await throws_cancelled(std::move(handles[1]));
        l->count_down();
        for (std::size_t i = 0; i < handles.size(); ++i)
            if (i != 1) co_await handles[i];
        co_return threw;
    }(&l, &arrived, &woken));
    EXPECT_TRUE(cancelled);
    EXPECT_EQ(woken.load(), 3);
}

TEST_P(latch, count_down_from_plain_threads_wakes_the_waiting_task) {
    constexpr int counters = 4;
    weft::latch l{counters};
    std::vector<std::thread> threads;
    for (int i = 0; i < counters; ++i) threads.emplace_back([&l] { l.count_down(); });
    run([](weft::latch* l) -> weft::task<> { co_await l->wait(); }(&l));
    for (auto& t : threads) t.join();
    EXPECT_TRUE(l.try_wait());
}

TEST_P(latch, loses_no_wake_up_over_many_rounds) {
    const int rounds = static_cast<int>(weft_test::scaled(20000));
    const bool ok = run([](int rounds) -> weft::task<bool> {
        for (int r = 0; r < rounds; ++r) {
            weft::latch l{3};
            auto down = [](weft::latch* l) -> weft::task<> {
                l->count_down();
                co_return;
            };
            auto a = weft::spawn(down(&l));
            auto b = weft::spawn(down(&l));
            auto c = weft::spawn(down(&l));
            co_await l.wait();
            co_await a;
            co_await b;
            co_await c;
        }
        co_return true;
    }(rounds));
    EXPECT_TRUE(ok);
}
