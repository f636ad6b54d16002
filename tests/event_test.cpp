// weft::event (include/weft/event.hpp): set, clear and is_set, waits on a set and a clear
// event, waking every waiter, cancellation of waiters, and no lost wake-ups.
#include <weft/event.hpp>

#include <algorithm>
#include <atomic>
#include <numeric>
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

// Counts itself in `arrived`, waits for the event, then logs `id`.
weft::task<> wait_and_log(weft::event* e, std::atomic<int>* arrived, weft_test::event_log<int>* log, int id,
                          counted c) {
    static_cast<void>(c);
    arrived->fetch_add(1);
    co_await e->wait();
    log->add(id);
}

}  // namespace

class event : public weft_test::thread_counts {
protected:
    void SetUp() override { counted::reset(); }
    void TearDown() override {
        EXPECT_EQ(counted::alive(), 0);
        EXPECT_EQ(counted::double_destructions, 0);
    }
};
WEFT_TEST_AT_THREAD_COUNTS(event);

TEST_P(event, starts_clear_and_set_and_clear_raise_and_lower_it) {
    weft::event e;
    EXPECT_FALSE(e.is_set());
    e.set();
    EXPECT_TRUE(e.is_set());
    e.set();
    EXPECT_TRUE(e.is_set()) << "setting a set event changes nothing";
    e.clear();
    EXPECT_FALSE(e.is_set());
}

TEST_P(event, wait_returns_at_once_while_the_event_is_set) {
    weft::event e;
    e.set();
    run([](weft::event* e) -> weft::task<> {
        co_await e->wait();
        co_await e->wait();
    }(&e));
    EXPECT_TRUE(e.is_set());
}

TEST_P(event, set_wakes_every_waiter_oldest_first_on_one_worker) {
    constexpr int waiters = 6;
    weft::event e;
    std::atomic<int> arrived{0};
    weft_test::event_log<int> log;
    run([](weft::event* e, std::atomic<int>* arrived, weft_test::event_log<int>* log) -> weft::task<> {
        std::vector<weft::join_handle<>> handles;
        for (int i = 0; i < waiters; ++i) {
            handles.push_back(weft::spawn(wait_and_log(e, arrived, log, i, counted{})));
            co_await yield_until(arrived, i + 1);
        }
        e->set();
        for (auto& h : handles) co_await h;
    }(&e, &arrived, &log));
    std::vector<int> order = log.events();
    std::vector<int> expected(waiters);
    std::iota(expected.begin(), expected.end(), 0);
    if (threads() != 1) std::sort(order.begin(), order.end());
    EXPECT_EQ(order, expected);
}

TEST_P(event, after_clear_a_wait_suspends_until_the_next_set) {
    weft::event e;
    std::atomic<int> arrived{0};
    weft_test::event_log<int> log;
    const bool done_while_clear = run([](weft::event* e, std::atomic<int>* arrived,
                                         weft_test::event_log<int>* log) -> weft::task<bool> {
        e->set();
        e->clear();
        auto waiter = weft::spawn(wait_and_log(e, arrived, log, 1, counted{}));
        co_await yield_until(arrived, 1);
        for (int i = 0; i < 10; ++i) co_await weft::yield();
        const bool done = waiter.done();  // it cannot be: the event is clear
        e->set();
        co_await waiter;
        co_return done;
    }(&e, &arrived, &log));
    EXPECT_FALSE(done_while_clear);
    EXPECT_EQ(log.events(), std::vector<int>{1});
}

TEST_P(event, a_cancelled_waiter_throws_at_once_and_the_others_still_wake) {
    weft::event e;
    std::atomic<int> arrived{0};
    weft_test::event_log<int> log;
    const bool cancelled = run([](weft::event* e, std::atomic<int>* arrived,
                                  weft_test::event_log<int>* log) -> weft::task<bool> {
        auto first = weft::spawn(wait_and_log(e, arrived, log, 0, counted{}));
        auto second = weft::spawn(wait_and_log(e, arrived, log, 1, counted{}));
        co_await yield_until(arrived, 2);
        first.cancel();
        // The event is clear: the first waiter's await can only end by throwing.
        const bool threw = co_await throws_cancelled(std::move(first));
        e->set();
        co_await second;
        co_return threw;
    }(&e, &arrived, &log));
    EXPECT_TRUE(cancelled);
    EXPECT_EQ(log.events(), std::vector<int>{1});
}

TEST_P(event, a_cancelled_task_throws_even_when_the_event_is_set) {
    weft::event e;
    e.set();
    std::atomic<int> started{0};
    const bool threw = run([](weft::event* e, std::atomic<int>* started) -> weft::task<bool> {
        auto h = weft::spawn([](weft::event* e, std::atomic<int>* started) -> weft::task<> {
            started->fetch_add(1);
            try {
                for (;;) co_await weft::yield();
            } catch (const weft::cancelled&) {
            }
            co_await e->wait();  // set, but a checkpoint all the same
        }(e, started));
        co_await yield_until(started, 1);
        h.cancel();
        co_return co_await throws_cancelled(std::move(h));
    }(&e, &started));
    EXPECT_TRUE(threw);
}

TEST_P(event, loses_no_wake_up_when_two_tasks_signal_each_other) {
    const int rounds = static_cast<int>(weft_test::scaled(30000));
    weft::event ping, pong;
    ping.set();
    run([](weft::event* ping, weft::event* pong, int rounds) -> weft::task<> {
        auto pass = [](weft::event* mine, weft::event* theirs, int rounds) -> weft::task<> {
            for (int i = 0; i < rounds; ++i) {
                co_await mine->wait();
                mine->clear();
                theirs->set();
            }
        };
        auto a = weft::spawn(pass(ping, pong, rounds));
        auto b = weft::spawn(pass(pong, ping, rounds));
        co_await a;
        co_await b;
    }(&ping, &pong, rounds));
    EXPECT_TRUE(ping.is_set());
    EXPECT_FALSE(pong.is_set());
}

TEST_P(event, set_from_a_plain_thread_wakes_the_waiting_tasks) {
    weft::event e;
    std::atomic<int> woken{0};
    std::thread setter([&e] { e.set(); });
    run([](weft::event* e, std::atomic<int>* woken) -> weft::task<> {
        auto waiter = [](weft::event* e, std::atomic<int>* woken) -> weft::task<> {
            co_await e->wait();
            woken->fetch_add(1);
        };
        auto a = weft::spawn(waiter(e, woken));
        auto b = weft::spawn(waiter(e, woken));
        co_await a;
        co_await b;
    }(&e, &woken));
    setter.join();
    EXPECT_EQ(woken.load(), 2);
}
