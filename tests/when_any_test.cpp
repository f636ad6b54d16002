// weft::when_any (include/weft/when_any.hpp): the first child to finish wins, the losers are
// cancelled and awaited before it returns, the winner's exception is rethrown.
#include <weft/when_any.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include <weft/cancel.hpp>
#include <weft/spawn.hpp>
#include <weft/runtime.hpp>
#include <weft/sleep.hpp>
#include <weft/yield.hpp>

#include "support/counted.hpp"
#include "support/thread_counts.hpp"

namespace {

using namespace std::chrono_literals;
using weft_test::counted;

// Counts the losers that entered their body and those that left it. A loser cancelled before
// it started never enters.
struct progress {
    std::atomic<int> started{0};
    std::atomic<int> ended{0};
};

// Sleeps an hour; counts the cancellation that ends it.
weft::task<int> loser(std::atomic<int>* unwound, counted c, progress* p = nullptr) {
    static_cast<void>(c);
    if (p != nullptr) p->started.fetch_add(1);
    struct on_exit {
        progress* p;
        ~on_exit() {
            if (p != nullptr) p->ended.fetch_add(1);
        }
    } guard{p};
    try {
        co_await weft::sleep_for(1h);
    } catch (const weft::cancelled&) {
        unwound->fetch_add(1);
        throw;
    }
    co_return -1;
}

weft::task<std::string> winner(std::string s) {
    co_await weft::yield();
    co_return s;
}

}  // namespace

class when_any : public weft_test::thread_counts {
protected:
    void SetUp() override { counted::reset(); }
    void TearDown() override {
        EXPECT_EQ(counted::alive(), 0);
        EXPECT_EQ(counted::double_destructions, 0);
    }
};
WEFT_TEST_AT_THREAD_COUNTS(when_any);

TEST_P(when_any, yields_the_first_to_finish_and_cancels_and_awaits_the_losers) {
    std::atomic<int> unwound{0};
    progress p;
    const auto r = run([](std::atomic<int>* unwound, progress* p) -> weft::task<std::variant<int, std::string, int>> {
        auto r = co_await weft::when_any(loser(unwound, counted{}, p), winner("fast"), loser(unwound, counted{}, p));
        EXPECT_EQ(p->ended.load(), p->started.load()) << "when_any returned before its losers unwound";
        co_return r;
    }(&unwound, &p));
    EXPECT_EQ(unwound.load(), p.started.load()) << "every loser that started was cancelled";
    ASSERT_EQ(r.index(), 1u);
    EXPECT_EQ(std::get<1>(r), "fast");
}

TEST_P(when_any, of_a_vector_yields_the_winners_index_and_value) {
    std::atomic<int> unwound{0};
    const auto [index, value] = run([](std::atomic<int>* unwound) -> weft::task<std::pair<std::size_t, int>> {
        std::vector<weft::task<int>> tasks;
        for (int i = 0; i < 5; ++i) tasks.push_back(loser(unwound, counted{}));
        tasks.push_back([]() -> weft::task<int> { co_return 99; }());
        for (int i = 0; i < 5; ++i) tasks.push_back(loser(unwound, counted{}));
        co_return co_await weft::when_any(std::move(tasks));
    }(&unwound));
    EXPECT_EQ(index, 5u);
    EXPECT_EQ(value, 99);
    EXPECT_LE(unwound.load(), 10);
}

TEST_P(when_any, rethrows_the_winners_exception) {
    std::atomic<int> unwound{0};
    EXPECT_THROW(run([](std::atomic<int>* unwound) -> weft::task<> {
                     co_await weft::when_any(loser(unwound, counted{}), []() -> weft::task<int> {
                         throw std::runtime_error("lost");
                         co_return 0;
                     }());
                 }(&unwound)),
                 std::runtime_error);
}

TEST_P(when_any, gives_monostate_for_a_void_winner) {
    std::atomic<int> unwound{0};
    const auto r = run([](std::atomic<int>* unwound) -> weft::task<std::variant<int, std::monostate>> {
        co_return co_await weft::when_any(loser(unwound, counted{}), []() -> weft::task<> { co_return; }());
    }(&unwound));
    EXPECT_EQ(r.index(), 1u);
}

TEST_P(when_any, of_no_tasks_is_invalid_argument) {
    EXPECT_THROW(run([]() -> weft::task<> { co_await weft::when_any(std::vector<weft::task<int>>{}); }()),
                 std::invalid_argument);
}

TEST_P(when_any, is_cancelled_with_the_task_that_awaits_it) {
    std::atomic<int> unwound{0};
    progress p;
    const bool cancelled = run([](std::atomic<int>* unwound, progress* p) -> weft::task<bool> {
        auto h = weft::spawn([](std::atomic<int>* unwound, progress* p) -> weft::task<> {
            co_await weft::when_any(loser(unwound, counted{}, p), loser(unwound, counted{}, p));
        }(unwound, p));
        while (p->started.load() < 2) co_await weft::yield();
        h.cancel();
        try {
            co_await h;
        } catch (const weft::cancelled&) {
            co_return true;
        }
        co_return false;
    }(&unwound, &p));
    EXPECT_TRUE(cancelled);
    EXPECT_EQ(unwound.load(), 2) << "both children were cancelled with their parent";
}
