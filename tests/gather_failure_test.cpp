// weft::gather when things go wrong: the first failure cancels the siblings, the parent resumes
// only after every sibling finished or unwound, that first exception is rethrown, a moved-from
// task is refused, and every child's frame is destroyed exactly once (include/weft/gather.hpp).
#include <weft/gather.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <weft/cancel.hpp>
#include <weft/runtime.hpp>
#include <weft/yield.hpp>

#include "support/counted.hpp"
#include "support/thread_counts.hpp"

namespace {

using weft_test::counted;

// How many children entered their body, and how many of those left it (returned, threw or
// unwound). A child cancelled before it started never enters.
struct progress {
    std::atomic<int> started{0};
    std::atomic<int> ended{0};
};

struct count_on_exit {
    progress* p;
    explicit count_on_exit(progress* q) : p(q) { p->started.fetch_add(1); }
    count_on_exit(const count_on_exit&) = delete;
    count_on_exit& operator=(const count_on_exit&) = delete;
    ~count_on_exit() { p->ended.fetch_add(1); }
};

// Yields `rounds` times, then throws if asked to; counted in `p` however it ends.
weft::task<int> finish_then_maybe_throw(progress* p, int rounds, bool fail, std::string message) {
    count_on_exit guard{p};
    for (int i = 0; i < rounds; ++i) co_await weft::yield();
    if (fail) throw std::runtime_error(message);
    co_return rounds;
}

// Yields until cancelled; counts each way it may end.
weft::task<> yield_until_cancelled(std::atomic<int>* cancelled, std::atomic<int>* finished) {
    try {
        for (int i = 0; i < 1'000'000; ++i) co_await weft::yield();
    } catch (const weft::cancelled&) {
        cancelled->fetch_add(1);
        throw;
    }
    finished->fetch_add(1);
}

weft::task<> fail_after_yields(int rounds) {
    for (int i = 0; i < rounds; ++i) co_await weft::yield();
    throw std::runtime_error("failed");
}

weft::task<long> counted_id(counted c) { co_return c.id(); }

}  // namespace

class gather : public weft_test::thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(gather);

TEST_P(gather, cancels_the_siblings_of_the_first_failure) {
    std::atomic<int> cancelled{0};
    std::atomic<int> finished{0};
    const std::string caught = run([](std::atomic<int>* cancelled, std::atomic<int>* finished) -> weft::task<std::string> {
        std::vector<weft::task<>> tasks;
        for (int i = 0; i < 20; ++i) tasks.push_back(yield_until_cancelled(cancelled, finished));
        tasks.push_back(fail_after_yields(3));
        try {
            co_await weft::gather(std::move(tasks));
        } catch (const std::runtime_error& e) {
            co_return e.what();
        }
        co_return "nothing thrown";
    }(&cancelled, &finished));
    EXPECT_EQ(caught, "failed");
    EXPECT_EQ(finished.load(), 0) << "a sibling ran its million yields instead of being cancelled";
    if (threads() == 1) {
        // One worker starts every child before the failing one's third yield comes round.
        EXPECT_EQ(cancelled.load(), 20);
    }
}

TEST_P(gather, waits_for_every_child_before_rethrowing) {
    progress p;
    const std::string caught = run([](progress* p) -> weft::task<std::string> {
        std::vector<weft::task<int>> tasks;
        for (int i = 0; i < 50; ++i) tasks.push_back(finish_then_maybe_throw(p, i % 7, i == 3, "child 3"));
        try {
            co_await weft::gather(std::move(tasks));
        } catch (const std::runtime_error& e) {
            EXPECT_EQ(p->ended.load(), p->started.load()) << "the parent resumed before every child ended";
            co_return e.what();
        }
        co_return "nothing thrown";
    }(&p));
    EXPECT_EQ(caught, "child 3");
    EXPECT_GE(p.started.load(), 4) << "children 0-3 ran (the failing one among them)";
}

TEST_P(gather, of_a_tuple_waits_for_every_child_before_rethrowing) {
    progress p;
    const std::string caught = run([](progress* p) -> weft::task<std::string> {
        try {
            co_await weft::gather(finish_then_maybe_throw(p, 0, true, "first"), finish_then_maybe_throw(p, 5, false, ""),
                                  finish_then_maybe_throw(p, 20, false, ""));
        } catch (const std::runtime_error& e) {
            EXPECT_EQ(p->ended.load(), p->started.load()) << "the parent resumed before every child ended";
            co_return e.what();
        }
        co_return "nothing thrown";
    }(&p));
    EXPECT_EQ(caught, "first");
}

TEST_P(gather, rethrows_the_first_exception_in_completion_order) {
    progress finished;
    const std::string caught = run([](progress* finished) -> weft::task<std::string> {
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
