// weft::gather when things go wrong: a failing child does not let the parent resume before every
// sibling finished, the first exception is rethrown, a moved-from task is refused, and every
// child's frame is destroyed exactly once (include/weft/gather.hpp).
#include <weft/gather.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <weft/runtime.hpp>
#include <weft/yield.hpp>

#include "support/counted.hpp"
#include "support/thread_counts.hpp"

namespace {

using weft_test::counted;

// Yields `rounds` times, counts itself finished, then throws if asked to.
weft::task<int> finish_then_maybe_throw(std::atomic<int>* finished, int rounds, bool fail, std::string message) {
    for (int i = 0; i < rounds; ++i) co_await weft::yield();
    finished->fetch_add(1);
    if (fail) throw std::runtime_error(message);
    co_return rounds;
}

weft::task<long> counted_id(counted c) { co_return c.id(); }

}  // namespace

class gather : public weft_test::thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(gather);

TEST_P(gather, waits_for_every_child_before_rethrowing) {
    std::atomic<int> finished{0};
    const std::string caught = run([](std::atomic<int>* finished) -> weft::task<std::string> {
        std::vector<weft::task<int>> tasks;
        for (int i = 0; i < 50; ++i) tasks.push_back(finish_then_maybe_throw(finished, i % 7, i == 3, "child 3"));
        try {
            co_await weft::gather(std::move(tasks));
        } catch (const std::runtime_error& e) {
            EXPECT_EQ(finished->load(), 50) << "the parent resumed before every child finished";
            co_return e.what();
        }
        co_return "nothing thrown";
    }(&finished));
    EXPECT_EQ(caught, "child 3");
}

TEST_P(gather, of_a_tuple_waits_for_every_child_before_rethrowing) {
    std::atomic<int> finished{0};
    const std::string caught = run([](std::atomic<int>* finished) -> weft::task<std::string> {
        try {
            co_await weft::gather(finish_then_maybe_throw(finished, 0, true, "first"),
                                  finish_then_maybe_throw(finished, 5, false, ""),
                                  finish_then_maybe_throw(finished, 20, false, ""));
        } catch (const std::runtime_error& e) {
            EXPECT_EQ(finished->load(), 3) << "the parent resumed before every child finished";
            co_return e.what();
        }
        co_return "nothing thrown";
    }(&finished));
    EXPECT_EQ(caught, "first");
}

TEST_P(gather, rethrows_the_first_exception_in_completion_order) {
    std::atomic<int> finished{0};
    const std::string caught = run([](std::atomic<int>* finished) -> weft::task<std::string> {
        try {
            co_await weft::gather(finish_then_maybe_throw(finished, 50, true, "late"),
                                  finish_then_maybe_throw(finished, 0, true, "early"));
        } catch (const std::runtime_error& e) {
            co_return e.what();
        }
        co_return "nothing thrown";
    }(&finished));
    if (threads() == 1) {
        // One worker runs the children in a fixed order: "early" finishes while "late" yields.
        EXPECT_EQ(caught, "early");
    } else {
        EXPECT_THAT(caught, ::testing::AnyOf("early", "late"));
    }
}

TEST_P(gather, with_a_moved_from_task_throws_logic_error_and_destroys_the_others) {
    counted::reset();
    run([]() -> weft::task<> {
        weft::task<long> t = counted_id(counted{});
        weft::task<long> moved = std::move(t);
        EXPECT_THROW(co_await weft::gather(counted_id(counted{}), std::move(t)), std::logic_error);
        std::vector<weft::task<long>> tasks;
        tasks.push_back(counted_id(counted{}));
        tasks.push_back(std::move(t));
        EXPECT_THROW(co_await weft::gather(std::move(tasks)), std::logic_error);
        EXPECT_EQ(co_await moved, 0);
    }());
    EXPECT_EQ(counted::alive(), 0);
    EXPECT_EQ(counted::double_destructions, 0);
}

TEST_P(gather, destroys_every_childs_frame_exactly_once) {
    counted::reset();
    const long sum = run([]() -> weft::task<long> {
        std::vector<weft::task<long>> tasks;
        for (int i = 0; i < 1000; ++i) tasks.push_back(counted_id(counted{}));
        std::vector<long> ids = co_await weft::gather(std::move(tasks));
        auto [a, b] = co_await weft::gather(counted_id(counted{}), counted_id(counted{}));
        long s = a + b;
        for (long id : ids) s += id;
        co_return s;
    }());
    EXPECT_EQ(sum, 1001 * 1002 / 2);
    EXPECT_EQ(counted::alive(), 0);
    EXPECT_EQ(counted::double_destructions, 0);
}
