// weft::task_group (include/weft/task_group.hpp): waits for the body and every child, keeps the
// callable alive, cancels the rest on the first failure and reports every failure, and is
// cancelled with the task that awaits it.
#include <weft/task_group.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <weft/cancel.hpp>
#include <weft/runtime.hpp>
#include <weft/sleep.hpp>
#include <weft/yield.hpp>

#include "support/counted.hpp"
#include "support/thread_counts.hpp"

namespace {

using namespace std::chrono_literals;
using weft_test::counted;

weft::task<> yield_then_count(int rounds, std::atomic<int>* done, counted c) {
    static_cast<void>(c);
    for (int i = 0; i < rounds; ++i) co_await weft::yield();
    done->fetch_add(1);
}

weft::task<> sleep_until_cancelled(std::atomic<int>* started, std::atomic<int>* unwound, counted c) {
    static_cast<void>(c);
    started->fetch_add(1);
    try {
        co_await weft::sleep_for(1h);
    } catch (const weft::cancelled&) {
        unwound->fetch_add(1);
        throw;
    }
}

weft::task<> fail_after(int rounds, std::string what) {
    for (int i = 0; i < rounds; ++i) co_await weft::yield();
    throw std::runtime_error(what);
}

}  // namespace

class task_group : public weft_test::thread_counts {
protected:
    void SetUp() override { counted::reset(); }
    void TearDown() override {
        EXPECT_EQ(counted::alive(), 0);
        EXPECT_EQ(counted::double_destructions, 0);
    }
};
WEFT_TEST_AT_THREAD_COUNTS(task_group);

TEST_P(task_group, waits_for_the_body_and_every_child_including_grandchildren_spawned_into_it) {
    std::atomic<int> done{0};
    const int seen = run([](std::atomic<int>* done) -> weft::task<int> {
        co_await weft::with_task_group([done](weft::task_group& g) -> weft::task<> {
            for (int i = 0; i < 20; ++i) g.spawn(yield_then_count(i % 5, done, counted{}));
            g.spawn([](weft::task_group* g, std::atomic<int>* done) -> weft::task<> {
                co_await weft::yield();
                g->spawn(yield_then_count(3, done, counted{}));
            }(&g, done));
            co_return;
        });
        co_return done->load();
    }(&done));
    EXPECT_EQ(seen, 21);
}

TEST_P(task_group, keeps_a_capturing_callable_alive_until_the_children_finish) {
    const std::size_t total = run([]() -> weft::task<std::size_t> {
        auto sum = std::make_shared<std::atomic<std::size_t>>(0);
        // Named first: g++ 12 miscompiles a capturing lambda temporary in a co_await (pitfalls.md).
        auto body = [prefix = std::string("child-"), sum](weft::task_group& g) -> weft::task<> {
            // The children borrow `prefix` from the lambda, which with_task_group keeps alive.
            for (int i = 0; i < 3; ++i) {
                g.spawn([](const std::string* prefix, std::atomic<std::size_t>* sum) -> weft::task<> {
                    co_await weft::yield();
                    sum->fetch_add(prefix->size());
                }(&prefix, sum.get()));
            }
            co_return;
        };
        co_await weft::with_task_group(std::move(body));
        co_return sum->load();
    }());
    EXPECT_EQ(total, 18u);
}

TEST_P(task_group, yields_the_bodys_result) {
    EXPECT_EQ(run([]() -> weft::task<int> {
                  co_return co_await weft::with_task_group([](weft::task_group&) -> weft::task<int> { co_return 11; });
              }()),
              11);
}

TEST_P(task_group, cancels_the_rest_on_the_first_failure_and_rethrows_it_after_all_finished) {
    std::atomic<int> started{0}, unwound{0};
    const std::string caught = run([](std::atomic<int>* started, std::atomic<int>* unwound) -> weft::task<std::string> {
        try {
            co_await weft::with_task_group([=](weft::task_group& g) -> weft::task<> {
                for (int i = 0; i < 10; ++i) g.spawn(sleep_until_cancelled(started, unwound, counted{}));
                g.spawn(fail_after(2, "boom"));
                co_await weft::sleep_for(1h);  // the body is cancelled too
            });
        } catch (const std::runtime_error& e) {
            EXPECT_EQ(unwound->load(), started->load()) << "rethrown before every child unwound";
            co_return e.what();
        }
        co_return "nothing thrown";
    }(&started, &unwound));
    EXPECT_EQ(caught, "boom");
}

TEST_P(task_group, reports_every_failure_when_several_tasks_fail) {
    const std::size_t failures = run([]() -> weft::task<std::size_t> {
        try {
            co_await weft::with_task_group([](weft::task_group& g) -> weft::task<> {
                // None reaches a checkpoint after the first failure, so all three fail.
                g.spawn([]() -> weft::task<> { throw std::runtime_error("a"); }());
                g.spawn([]() -> weft::task<> { throw std::logic_error("b"); }());
                throw std::out_of_range("body");
                co_return;
            });
        } catch (const weft::task_group_error& e) {
            EXPECT_NE(std::string(e.what()).find("tasks of the group failed"), std::string::npos);
            EXPECT_TRUE(e.first() == e.failures().front());
            co_return e.failures().size();
        } catch (const std::exception&) {
            co_return 1;  // the children were cancelled before they started
        }
        co_return 0;
    }());
    EXPECT_GE(failures, 1u);
    EXPECT_LE(failures, 3u);
}

TEST_P(task_group, cancel_stops_the_body_and_the_children) {
    std::atomic<int> started{0}, unwound{0};
    const bool cancelled = run([](std::atomic<int>* started, std::atomic<int>* unwound) -> weft::task<bool> {
        try {
            co_await weft::with_task_group([=](weft::task_group& g) -> weft::task<> {
                for (int i = 0; i < 5; ++i) g.spawn(sleep_until_cancelled(started, unwound, counted{}));
                while (started->load() < 5) co_await weft::yield();
                g.cancel();
                co_await weft::sleep_for(1h);
            });
        } catch (const weft::cancelled&) {
            co_return true;
        }
        co_return false;
    }(&started, &unwound));
    EXPECT_TRUE(cancelled);
    EXPECT_EQ(unwound.load(), 5);
}

TEST_P(task_group, is_cancelled_with_the_task_that_awaits_it) {
    std::atomic<int> started{0}, unwound{0};
    const bool cancelled = run([](std::atomic<int>* started, std::atomic<int>* unwound) -> weft::task<bool> {
        auto h = weft::spawn(weft::with_task_group([=](weft::task_group& g) -> weft::task<> {
            for (int i = 0; i < 5; ++i) g.spawn(sleep_until_cancelled(started, unwound, counted{}));
            co_return;  // the body ends; the group waits for its sleeping children
        }));
        while (started->load() < 5) co_await weft::yield();
        h.cancel();
        try {
            co_await h;
        } catch (const weft::cancelled&) {
            co_return true;
        }
        co_return false;
    }(&started, &unwound));
    EXPECT_TRUE(cancelled);
    EXPECT_EQ(unwound.load(), 5);
}

TEST_P(task_group, handles_of_its_children_are_ordinary_join_handles) {
    EXPECT_EQ(run([]() -> weft::task<int> {
                  co_return co_await weft::with_task_group([](weft::task_group& g) -> weft::task<int> {
                      auto h = g.spawn([]() -> weft::task<int> { co_return 20; }());
                      co_return co_await h + 1;
                  });
              }()),
              21);
}
