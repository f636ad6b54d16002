// weft::yield: the yielding task goes behind every task that is ready now, so tasks interleave
// (include/weft/yield.hpp).
#include <weft/yield.hpp>

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <weft/gather.hpp>
#include <weft/spawn.hpp>
#include <weft/runtime.hpp>

#include "support/event_log.hpp"
#include "support/thread_counts.hpp"

namespace {

using trace = weft_test::event_log<int>;

constexpr int yielder = -1;

weft::task<> record(trace* t, int event) {
    t->add(event);
    co_return;
}

// Makes `ready` tasks ready (spawned, not yet run), yields once, and records when it resumed.
weft::task<> spawn_then_yield(trace* t, int ready) {
    std::vector<weft::join_handle<>> handles;
    for (int i = 0; i < ready; ++i) handles.push_back(weft::spawn(record(t, i)));
    co_await weft::yield();
    t->add(yielder);
    for (auto& h : handles) co_await h;
}

weft::task<> yield_in_a_loop(trace* t, int id, int rounds) {
    for (int i = 0; i < rounds; ++i) {
        t->add(id);
        co_await weft::yield();
    }
}

weft::task<int> yield_many_times(int rounds) {
    for (int i = 0; i < rounds; ++i) co_await weft::yield();
    co_return rounds;
}

}  // namespace

class yield : public weft_test::thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(yield);

TEST_P(yield, resumes_the_yielding_task) { EXPECT_EQ(run(yield_many_times(10'000)), 10'000); }

// On a fresh runtime with one worker the main task is the first task taken, so up to 59 tasks it
// spawns (taken 2nd to 60th) run before the fairness check, on the 61st, takes the shared queue
// first (yield.hpp).
TEST_P(yield, lets_every_ready_task_run_before_the_yielder_resumes_on_one_thread) {
    for (int ready : {1, 10, 59}) {
        trace t;
        run(spawn_then_yield(&t, ready));
        const std::vector<int> events = t.events();
        ASSERT_EQ(events.size(), static_cast<std::size_t>(ready) + 1);
        if (threads() == 1) {
            EXPECT_EQ(events.back(), yielder) << "the yielder resumed before all " << ready << " ready tasks ran";
        }
    }
}

TEST_P(yield, is_not_starved_by_a_long_run_of_ready_tasks_on_one_thread) {
    trace t;
    run(spawn_then_yield(&t, 1000));
    const std::vector<int> events = t.events();
    ASSERT_EQ(events.size(), 1001u);
    if (threads() == 1) {
        const auto position = std::find(events.begin(), events.end(), yielder) - events.begin();
        EXPECT_LT(position, 61) << "the yielder waited behind more tasks than the fairness interval";
    }
}

TEST_P(yield, interleaves_tasks_that_yield) {
    constexpr int rounds = 20;
    trace t;
    run([](trace* t) -> weft::task<> {
        co_await weft::gather(yield_in_a_loop(t, 0, rounds), yield_in_a_loop(t, 1, rounds));
    }(&t));
    const std::vector<int> events = t.events();
    ASSERT_EQ(events.size(), 2u * rounds);
    EXPECT_EQ(std::count(events.begin(), events.end(), 0), rounds);
    if (threads() == 1) {
        for (std::size_t i = 1; i < events.size(); ++i)
            EXPECT_NE(events[i], events[i - 1]) << "a task ran twice in a row at event " << i;
    }
}

TEST(yield_on_one_thread, gives_the_same_order_every_run) {
    const auto once = [] {
        trace t;
        weft::run(
            [](trace* t) -> weft::task<> {
                co_await weft::gather(yield_in_a_loop(t, 0, 5), yield_in_a_loop(t, 1, 7), yield_in_a_loop(t, 2, 3));
            }(&t),
            {.threads = 1});
        return t.events();
    };
    const std::vector<int> first = once();
    EXPECT_EQ(first.size(), 15u);
    EXPECT_EQ(once(), first);
}
