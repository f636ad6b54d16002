// weft::gather: results in argument order, every result kind, nesting, large fan-out, where the
// children run, and concurrency (include/weft/gather.hpp; failures in gather_failure_test.cpp).
#include <weft/gather.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <weft/runtime.hpp>
#include <weft/sleep.hpp>
#include <weft/yield.hpp>

#include "support/scale.hpp"
#include "support/thread_counts.hpp"

namespace {

using namespace std::chrono_literals;

// A gather runs its children inline one after the other, so where awaits take stack
// (support/scale.hpp) a tenth of the children.
constexpr int many_children = static_cast<int>(weft_test::await_depth(100'000, 10'000));
// fib(20) is 22k tasks, and where awaits take stack the ones run inline add up.
constexpr int fib_n = weft_test::constant_stack_awaits ? 20 : 15;

weft::task<int> value(int v) { co_return v; }

weft::task<int> value_after_yield(int v) {
    co_await weft::yield();
    co_return v;
}

weft::task<std::string> text(std::string s) { co_return s; }

weft::task<> add_to(std::atomic<int>* sum, int v) {
    sum->fetch_add(v);
    co_return;
}

weft::task<int&> refer_to(int* target) { co_return *target; }

weft::task<std::unique_ptr<int>> boxed(int v) { co_return std::make_unique<int>(v); }

weft::task<std::uint64_t> fib(int n) {
    if (n < 2) co_return static_cast<std::uint64_t>(n);
    auto [a, b] = co_await weft::gather(fib(n - 1), fib(n - 2));
    co_return a + b;
}

std::uint64_t plain_fib(int n) { return n < 2 ? static_cast<std::uint64_t>(n) : plain_fib(n - 1) + plain_fib(n - 2); }

// The worker a child runs on, after a yield has given other workers the chance to take it.
weft::task<std::size_t> where_am_i() {
    co_await weft::yield();
    co_return weft::worker_index().value_or(static_cast<std::size_t>(-1));
}

// Marks itself started, then sleeps 50 ms at a time until its sibling has started too (bounded,
// so that a runtime that ran the siblings one after the other fails instead of hanging).
weft::task<bool> sleep_until_sibling_started(std::atomic<bool>* self, const std::atomic<bool>* sibling) {
    self->store(true);
    for (int round = 0; round < 200; ++round) {
        co_await weft::sleep_for(50ms);
        if (sibling->load()) co_return true;
    }
    co_return false;
}

weft::task<std::tuple<bool, bool>> sleep_side_by_side(std::atomic<bool>* a, std::atomic<bool>* b) {
    co_return co_await weft::gather(sleep_until_sibling_started(a, b), sleep_until_sibling_started(b, a));
}

}  // namespace

class gather : public weft_test::thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(gather);

TEST_P(gather, yields_results_in_argument_order) {
    const auto result = run([]() -> weft::task<std::tuple<int, std::string, int, int>> {
        co_return co_await weft::gather(value_after_yield(1), text("two"), value(3), value_after_yield(4));
    }());
    EXPECT_EQ(result, std::make_tuple(1, std::string("two"), 3, 4));
}

TEST_P(gather, gives_monostate_for_void_children) {
    std::atomic<int> sum{0};
    const auto result = run([](std::atomic<int>* sum) -> weft::task<std::tuple<std::monostate, int, std::monostate>> {
        co_return co_await weft::gather(add_to(sum, 1), value(5), add_to(sum, 2));
    }(&sum));
    static_assert(std::is_same_v<std::tuple_element_t<0, decltype(result)>, const std::monostate>);
    EXPECT_EQ(std::get<1>(result), 5);
    EXPECT_EQ(sum.load(), 3);
}

TEST_P(gather, of_no_tasks_yields_an_empty_tuple) {
    const auto result = run([]() -> weft::task<std::tuple<>> { co_return co_await weft::gather(); }());
    EXPECT_EQ(std::tuple_size_v<decltype(result)>, 0u);
}

TEST_P(gather, of_reference_tasks_yields_references) {
    int a = 1;
    int b = 2;
    run([](int* a, int* b) -> weft::task<> {
        auto [ra, rb] = co_await weft::gather(refer_to(a), refer_to(b));
        EXPECT_EQ(&ra, a);
        EXPECT_EQ(&rb, b);
        ra = 10;
    }(&a, &b));
    EXPECT_EQ(a, 10);
}

TEST_P(gather, of_move_only_results_moves_them_out) {
    const int sum = run([]() -> weft::task<int> {
        auto [x, y] = co_await weft::gather(boxed(3), boxed(4));
        co_return *x + *y;
    }());
    EXPECT_EQ(sum, 7);
}

TEST_P(gather, of_a_vector_yields_values_in_order) {
    const std::vector<int> result = run([]() -> weft::task<std::vector<int>> {
        std::vector<weft::task<int>> tasks;
        for (int i = 0; i < 100; ++i) tasks.push_back(i % 3 == 0 ? value_after_yield(i) : value(i));
        co_return co_await weft::gather(std::move(tasks));
    }());
    ASSERT_EQ(result.size(), 100u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(result[static_cast<std::size_t>(i)], i);
}

static_assert(std::is_void_v<decltype(weft::gather(std::vector<weft::task<>>{}).await_resume())>,
              "a vector of task<void> gathers to void");

TEST_P(gather, of_a_vector_of_void_tasks_runs_them_all) {
    std::atomic<int> sum{0};
    run([](std::atomic<int>* sum) -> weft::task<> {
        std::vector<weft::task<>> tasks;
        for (int i = 1; i <= 100; ++i) tasks.push_back(add_to(sum, i));
        co_await weft::gather(std::move(tasks));
    }(&sum));
    EXPECT_EQ(sum.load(), 5050);
}

TEST_P(gather, of_a_vector_of_reference_tasks_yields_reference_wrappers) {
    std::vector<int> targets{1, 2, 3};
    run([](std::vector<int>* targets) -> weft::task<> {
        std::vector<weft::task<int&>> tasks;
        for (int& t : *targets) tasks.push_back(refer_to(&t));
        std::vector<std::reference_wrapper<int>> refs = co_await weft::gather(std::move(tasks));
        EXPECT_EQ(refs.size(), 3u);
        for (std::size_t i = 0; i < refs.size(); ++i) {
            EXPECT_EQ(&refs[i].get(), &(*targets)[i]);
            refs[i].get() *= 10;
        }
    }(&targets));
    EXPECT_THAT(targets, ::testing::ElementsAre(10, 20, 30));
}

TEST_P(gather, of_an_empty_vector_yields_an_empty_vector) {
    const std::vector<int> result = run([]() -> weft::task<std::vector<int>> {
        co_return co_await weft::gather(std::vector<weft::task<int>>{});
    }());
    EXPECT_TRUE(result.empty());
}

TEST_P(gather, nests_to_compute_a_recursive_result) { EXPECT_EQ(run(fib(fib_n)), plain_fib(fib_n)); }

TEST_P(gather, of_a_hundred_thousand_children_yields_every_result_in_order) {
    const std::uint64_t sum = run([]() -> weft::task<std::uint64_t> {
        std::vector<weft::task<int>> tasks;
        for (int i = 0; i < many_children; ++i) tasks.push_back(value(i));
        std::vector<int> results = co_await weft::gather(std::move(tasks));
        std::uint64_t s = 0;
        bool in_order = true;
        for (std::size_t i = 0; i < results.size(); ++i) {
            s += static_cast<std::uint64_t>(results[i]);
            in_order = in_order && results[i] == static_cast<int>(i);
        }
        EXPECT_TRUE(in_order);
        co_return s;
    }());
    EXPECT_EQ(sum, std::uint64_t{many_children - 1} * many_children / 2);
}

TEST_P(gather, runs_children_only_on_the_runtimes_workers) {
    const std::vector<std::size_t> indices = run([]() -> weft::task<std::vector<std::size_t>> {
        std::vector<weft::task<std::size_t>> tasks;
        for (int i = 0; i < 1000; ++i) tasks.push_back(where_am_i());
        co_return co_await weft::gather(std::move(tasks));
    }());
    ASSERT_EQ(indices.size(), 1000u);
    for (std::size_t index : indices) {
        if (threads() == 1) EXPECT_EQ(index, 0u);
        else EXPECT_LT(index, threads());
    }
}

TEST_P(gather, runs_sleeping_children_concurrently) {
    std::atomic<bool> first_started{false};
    std::atomic<bool> second_started{false};
    const auto [first, second] = run(sleep_side_by_side(&first_started, &second_started));
    EXPECT_TRUE(first) << "the first child never saw the second start while it slept";
    EXPECT_TRUE(second) << "the second child never saw the first start while it slept";
}
