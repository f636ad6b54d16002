// weft::gather_settled and weft::outcome (include/weft/gather.hpp, include/weft/outcome.hpp):
// every child runs to its own end, and each one's value or exception comes back.
#include <weft/gather.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <weft/runtime.hpp>
#include <weft/yield.hpp>

#include "support/thread_counts.hpp"

namespace {

weft::task<int> yield_then(int rounds, int v) {
    for (int i = 0; i < rounds; ++i) co_await weft::yield();
    co_return v;
}

weft::task<int> fail(std::string what) {
    co_await weft::yield();
    throw std::runtime_error(what);
}

}  // namespace

class gather_settled : public weft_test::thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(gather_settled);

TEST_P(gather_settled, reports_each_outcome_and_does_not_cancel_siblings_of_a_failure) {
    const auto [a, b, c] = run([]() -> weft::task<std::tuple<weft::outcome<int>, weft::outcome<int>, weft::outcome<void>>> {
        co_return co_await weft::gather_settled(fail("first"), yield_then(20, 2), []() -> weft::task<> { co_return; }());
    }());
    EXPECT_FALSE(a.has_value());
    EXPECT_THROW(a.value(), std::runtime_error);
    EXPECT_NE(a.error(), nullptr);
    ASSERT_TRUE(b.has_value()) << "the sibling of a failure ran to its end";
    EXPECT_EQ(b.value(), 2);
    EXPECT_EQ(b.error(), nullptr);
    EXPECT_TRUE(c.has_value());
}

TEST_P(gather_settled, of_a_vector_keeps_argument_order) {
    const auto outcomes = run([]() -> weft::task<std::vector<weft::outcome<int>>> {
        std::vector<weft::task<int>> tasks;
        for (int i = 0; i < 10; ++i) tasks.push_back(i % 3 == 0 ? fail(std::to_string(i)) : yield_then(i, i));
        co_return co_await weft::gather_settled(std::move(tasks));
    }());
    ASSERT_EQ(outcomes.size(), 10u);
    for (int i = 0; i < 10; ++i) {
        const auto& o = outcomes[static_cast<std::size_t>(i)];
        if (i % 3 == 0) {
            ASSERT_FALSE(o.has_value());
            try {
                std::rethrow_exception(o.error());
            } catch (const std::runtime_error& e) {
                EXPECT_EQ(std::string(e.what()), std::to_string(i));
            }
        } else {
            ASSERT_TRUE(o.has_value());
            EXPECT_EQ(o.value(), i);
        }
    }
}
