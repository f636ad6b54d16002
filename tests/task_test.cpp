// weft::task<T>: laziness, results of every kind, exceptions, symmetric transfer, frame ownership
// and the single-await rule (include/weft/task.hpp).
#include <weft/task.hpp>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <weft/runtime.hpp>

#include "support/counted.hpp"
#include "support/scale.hpp"
#include "support/thread_counts.hpp"

namespace {

using weft_test::counted;

// Symmetric transfer: a million awaits, in constant stack. Builds where each await takes stack
// (g++ at -O0 or with sanitizers, support/scale.hpp) run a few thousand and check the result only.
constexpr std::uint64_t chain_depth = weft_test::await_depth(1'000'000, 5'000);
constexpr std::uint64_t loop_length = weft_test::await_depth(1'000'000, 1'000);

weft::task<> append(std::vector<std::string>* trace, std::string event) {
    trace->push_back(std::move(event));
    co_return;
}

weft::task<int> forty_two() { co_return 42; }

weft::task<int&> refer_to(int* target) { co_return *target; }

weft::task<std::unique_ptr<int>> make_unique_int(int v) { co_return std::make_unique<int>(v); }

weft::task<int> throw_runtime_error(std::string message) {
    throw std::runtime_error(message);
    co_return 0;
}

weft::task<std::uint64_t> nested_chain(std::uint64_t depth) {
    if (depth == 0) co_return 0;
    co_return 1 + co_await nested_chain(depth - 1);
}

weft::task<std::uint64_t> identity(std::uint64_t v) { co_return v; }

weft::task<long> counted_id(counted c) { co_return c.id(); }

}  // namespace

class task : public weft_test::thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(task);

TEST_P(task, does_not_start_until_awaited) {
    std::vector<std::string> trace;
    run([](std::vector<std::string>* trace) -> weft::task<> {
        weft::task<> t = append(trace, "body");
        trace->push_back("created");
        co_await t;
        trace->push_back("awaited");
    }(&trace));
    EXPECT_THAT(trace, ::testing::ElementsAre("created", "body", "awaited"));
}

TEST_P(task, that_is_never_awaited_never_runs) {
    std::vector<std::string> trace;
    run([](std::vector<std::string>* trace) -> weft::task<> {
        weft::task<> t = append(trace, "body");
        co_return;
    }(&trace));
    EXPECT_TRUE(trace.empty());
}

TEST_P(task, returns_a_value) {
    EXPECT_EQ(run([]() -> weft::task<int> { co_return co_await forty_two() + 1; }()), 43);
}

TEST_P(task, of_void_completes) {
    std::vector<std::string> trace;
    run([](std::vector<std::string>* trace) -> weft::task<> { co_await append(trace, "void"); }(&trace));
    EXPECT_THAT(trace, ::testing::ElementsAre("void"));
}

TEST_P(task, returns_a_reference_to_the_referent) {
    int target = 7;
    int* seen = run([](int* target) -> weft::task<int*> {
        int& r = co_await refer_to(target);
        r = 8;
        co_return &r;
    }(&target));
    EXPECT_EQ(seen, &target);
    EXPECT_EQ(target, 8);
}

TEST_P(task, returns_a_move_only_value) {
    std::unique_ptr<int> p = run([]() -> weft::task<std::unique_ptr<int>> {
        std::unique_ptr<int> inner = co_await make_unique_int(5);
        *inner += 1;
        co_return inner;
    }());
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, 6);
}

TEST_P(task, propagates_an_exception_through_co_await) {
    const std::string caught = run([]() -> weft::task<std::string> {
        try {
            co_await throw_runtime_error("boom");
        } catch (const std::runtime_error& e) {
            co_return e.what();
        }
        co_return "nothing thrown";
    }());
    EXPECT_EQ(caught, "boom");
}

TEST_P(task, propagates_an_exception_through_run) {
    try {
        run(throw_runtime_error("out of run"));
        FAIL() << "weft::run returned instead of rethrowing";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "out of run");
    }
}

TEST_P(task, completes_a_chain_of_a_million_nested_awaits) {
    EXPECT_EQ(run(nested_chain(chain_depth)), chain_depth);
}

TEST_P(task, completes_a_million_awaits_of_tasks_that_finish_at_once) {
    const std::uint64_t sum = run([]() -> weft::task<std::uint64_t> {
        std::uint64_t s = 0;
        for (std::uint64_t i = 0; i < loop_length; ++i) s += co_await identity(i);
        co_return s;
    }());
    EXPECT_EQ(sum, loop_length * (loop_length - 1) / 2);
}

TEST_P(task, awaited_after_being_moved_from_throws_logic_error) {
    const bool threw = run([]() -> weft::task<bool> {
        weft::task<int> t = forty_two();
        weft::task<int> moved = std::move(t);
        EXPECT_FALSE(t.valid());
        EXPECT_TRUE(moved.valid());
        try {
            co_await t;
        } catch (const std::logic_error&) {
            co_return true;
        }
        co_return false;
    }());
    EXPECT_TRUE(threw);
}

TEST_P(task, awaited_a_second_time_throws_logic_error) {
    const int first = run([]() -> weft::task<int> {
        weft::task<int> t = forty_two();
        const int v = co_await t;
        EXPECT_THROW(co_await t, std::logic_error);
        co_return v;
    }());
    EXPECT_EQ(first, 42);
}

TEST_P(task, that_failed_throws_logic_error_when_awaited_again) {
    run([]() -> weft::task<> {
        weft::task<int> t = throw_runtime_error("once");
        EXPECT_THROW(co_await t, std::runtime_error);
        EXPECT_THROW(co_await t, std::logic_error);
    }());
}

TEST_P(task, destroys_its_arguments_exactly_once_after_running) {
    counted::reset();
    const long id = run(counted_id(counted{}));
    EXPECT_EQ(id, 0);
    EXPECT_EQ(counted::alive(), 0);
    EXPECT_EQ(counted::double_destructions, 0);
}

TEST(task_frame, destroying_an_unstarted_task_destroys_its_frame) {
    counted::reset();
    {
        weft::task<long> t = counted_id(counted{});
        EXPECT_EQ(counted::alive(), 1) << "the frame owns a copy of the argument";
    }
    EXPECT_EQ(counted::alive(), 0);
    EXPECT_EQ(counted::double_destructions, 0);
}

TEST(task_frame, move_assignment_destroys_the_overwritten_frame) {
    counted::reset();
    weft::task<long> a = counted_id(counted{});
    weft::task<long> b = counted_id(counted{});
    EXPECT_EQ(counted::alive(), 2);
    a = std::move(b);
    EXPECT_EQ(counted::alive(), 1);
    EXPECT_TRUE(a.valid());
    EXPECT_FALSE(b.valid());
    EXPECT_EQ(weft::run(std::move(a), {.threads = 1}), 1);
    EXPECT_EQ(counted::double_destructions, 0);
}

TEST(task_frame, run_of_a_moved_from_task_throws_logic_error) {
    weft::task<int> t = forty_two();
    weft::task<int> moved = std::move(t);
    EXPECT_THROW(weft::run(std::move(t), {.threads = 1}), std::logic_error);
    EXPECT_EQ(weft::run(std::move(moved), {.threads = 1}), 42);
}
