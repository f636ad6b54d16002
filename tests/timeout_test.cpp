// weft::timeout and weft::try_timeout (include/weft/timeout.hpp): the result in time, or the work
// cancelled, awaited and reported; a result that was produced is never dropped.
#include <weft/timeout.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <utility>

#include <gtest/gtest.h>

#include <weft/cancel.hpp>
#include <weft/spawn.hpp>
#include <weft/runtime.hpp>
#include <weft/sleep.hpp>
#include <weft/yield.hpp>

#include "support/counted.hpp"
#include "support/scale.hpp"
#include "support/thread_counts.hpp"

namespace {

using namespace std::chrono_literals;
using weft_test::counted;

weft::task<int> sleep_then(std::chrono::milliseconds d, int v, std::atomic<int>* unwound, counted c) {
    static_cast<void>(c);
    try {
        co_await weft::sleep_for(d);
    } catch (const weft::cancelled&) {
        unwound->fetch_add(1);
        throw;
    }
    co_return v;
}

// Busy until `d` has passed on the clock, with no checkpoint: cancellation cannot stop it.
weft::task<int> compute_past(std::chrono::milliseconds d, int v) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < until) {
    }
    co_return v;
}

}  // namespace

class timeout : public weft_test::thread_counts {
protected:
    void SetUp() override { counted::reset(); }
    void TearDown() override {
        EXPECT_EQ(counted::alive(), 0);
        EXPECT_EQ(counted::double_destructions, 0);
    }
};
WEFT_TEST_AT_THREAD_COUNTS(timeout);

TEST_P(timeout, yields_the_result_when_the_work_finishes_in_time) {
    std::atomic<int> unwound{0};
    EXPECT_EQ(run(weft::timeout(1h, sleep_then(1ms, 5, &unwound, counted{}))), 5);
    EXPECT_EQ(unwound.load(), 0);
}

TEST_P(timeout, cancels_the_work_waits_for_it_and_throws_timeout_error) {
    std::atomic<int> unwound{0};
    const bool timed_out = run([](std::atomic<int>* unwound) -> weft::task<bool> {
        try {
            co_await weft::timeout(2ms, sleep_then(1h, 5, unwound, counted{}));
        } catch (const weft::timeout_error&) {
            EXPECT_EQ(unwound->load(), 1) << "timeout threw before the work unwound";
            co_return true;
        }
        co_return false;
    }(&unwound));
    EXPECT_TRUE(timed_out);
}

TEST_P(timeout, returns_a_result_produced_after_the_deadline_instead_of_dropping_it) {
    EXPECT_EQ(run(weft::timeout(1ms, compute_past(20ms, 7))), 7);
    EXPECT_EQ(run(weft::try_timeout(1ms, compute_past(20ms, 8))), std::optional<int>(8));
}

TEST_P(timeout, try_timeout_yields_nullopt_or_false_on_timeout) {
    std::atomic<int> unwound{0};
    EXPECT_EQ(run(weft::try_timeout(2ms, sleep_then(1h, 5, &unwound, counted{}))), std::nullopt);
    EXPECT_EQ(run(weft::try_timeout(1h, sleep_then(1ms, 5, &unwound, counted{}))), std::optional<int>(5));
    EXPECT_FALSE(run(weft::try_timeout(2ms, []() -> weft::task<> { co_await weft::sleep_for(1h); }())));
    EXPECT_TRUE(run(weft::try_timeout(1h, []() -> weft::task<> { co_return; }())));
    EXPECT_EQ(unwound.load(), 1);
}

TEST_P(timeout, lets_the_works_own_exception_through) {
    EXPECT_THROW(run(weft::timeout(1h,
                                   []() -> weft::task<int> {
                                       co_await weft::yield();
                                       throw std::out_of_range("own");
                                   }())),
                 std::out_of_range);
}

TEST_P(timeout, reports_cancellation_of_the_awaiting_task_as_cancelled_not_timeout) {
    std::atomic<int> unwound{0};
    const bool cancelled = run([](std::atomic<int>* unwound) -> weft::task<bool> {
        std::atomic<bool> started{false};
        auto h = weft::spawn([](std::atomic<int>* unwound, std::atomic<bool>* started) -> weft::task<int> {
            started->store(true);
            co_return co_await weft::timeout(1h, sleep_then(1h, 5, unwound, counted{}));
        }(unwound, &started));
        while (!started.load()) co_await weft::yield();
        h.cancel();
        try {
            co_await h;
        } catch (const weft::cancelled&) {
            co_return true;
        } catch (const weft::timeout_error&) {
            co_return false;
        }
        co_return false;
    }(&unwound));
    EXPECT_TRUE(cancelled);
}

TEST_P(timeout, racing_its_deadline_yields_the_value_or_timeout_error_and_leaks_nothing) {
    // Work and deadline of the same length: either may win each round, on any worker.
    const int rounds = static_cast<int>(weft_test::scaled(300));
    const auto [values, timeouts] = run([](int rounds) -> weft::task<std::pair<int, int>> {
        std::atomic<int> unwound{0};
        int values = 0, timeouts = 0;
        for (int i = 0; i < rounds; ++i) {
            try {
                const int v = co_await weft::timeout(1ms, sleep_then(1ms, i, &unwound, counted{}));
                EXPECT_EQ(v, i);
                ++values;
            } catch (const weft::timeout_error&) {
                ++timeouts;
            }
        }
        // A work that had not started when the deadline passed ends without entering its body.
        EXPECT_LE(unwound.load(), timeouts) << "a work was cancelled although its value was returned";
        co_return std::pair{values, timeouts};
    }(rounds));
    EXPECT_EQ(values + timeouts, rounds);
}
