// Shutdown: when run returns (or a weft::runtime is destroyed) with tasks still pending, every
// pending task is cancelled and unwinds; one that has not finished when the grace period ends is
// destroyed at its suspension point. Either way destructors run and every object a task owned
// is destroyed exactly once (runtime/scheduler/scheduler.hpp, shutdown steps 1-6).
#include <atomic>
#include <chrono>
#include <coroutine>
#include <memory>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <weft/cancel.hpp>
#include <weft/gather.hpp>
#include <weft/spawn.hpp>
#include <weft/runtime.hpp>
#include <weft/sleep.hpp>
#include <weft/yield.hpp>

#include "support/counted.hpp"
#include "support/thread_counts.hpp"

namespace {

using namespace std::chrono_literals;
using weft_test::counted;

// Yields until `counter` reaches `target`.
weft::task<> yield_until(const std::atomic<int>* counter, int target) {
    while (counter->load() < target) co_await weft::yield();
}

weft::task<int> sleep_an_hour(std::atomic<int>* started, counted c) {
    counted local;
    started->fetch_add(1);
    co_await weft::sleep_for(1h);
    co_return static_cast<int>(c.id() + local.id());
}

weft::task<> sleep_forever(std::atomic<int>* started, counted c) {
    counted local = c;
    started->fetch_add(1);
    co_await weft::sleep_for(std::chrono::hours::max());
}

weft::task<> yield_forever(std::atomic<int>* started, counted c) {
    auto owned = std::make_unique<counted>(c);
    started->fetch_add(1);
    for (;;) co_await weft::yield();
}

weft::task<int> await_handle(std::atomic<int>* started, weft::join_handle<int> h, counted c) {
    static_cast<void>(c);
    started->fetch_add(1);
    co_return co_await h;
}

weft::task<> gather_all(std::vector<weft::task<>> children) { co_await weft::gather(std::move(children)); }

// A gather of a sleeper and a nested gather of four sleepers: 5 tasks asleep inside it.
weft::task<> await_sleeping_gather(std::atomic<int>* started, counted c) {
    static_cast<void>(c);
    std::vector<weft::task<>> children;
    for (int i = 0; i < 4; ++i) children.push_back(sleep_forever(started, counted{}));
    co_await weft::gather(sleep_an_hour(started, counted{}), gather_all(std::move(children)));
}

// Leaves one task pending of each kind, each suspended at its suspension point, and returns.
// Returns how many tasks it waited for to start.
weft::task<int> leave_pending_tasks(std::atomic<int>* started) {
    weft::join_handle<int> sleeper = weft::spawn(sleep_an_hour(started, counted{}));
    static_cast<void>(weft::spawn(await_handle(started, std::move(sleeper), counted{})));
    static_cast<void>(weft::spawn(yield_forever(started, counted{})));
    static_cast<void>(weft::spawn(sleep_forever(started, counted{})));
    static_cast<void>(weft::spawn(await_sleeping_gather(started, counted{})));
    // sleep_an_hour, await_handle, yield_forever, sleep_forever, and 5 sleepers in the gather.
    constexpr int tasks = 9;
    co_await yield_until(started, tasks);
    co_return tasks;
}

// Returns right after spawning: on one worker none of the tasks has started when main finishes.
weft::task<> spawn_and_return(std::atomic<int>* started, int n) {
    for (int i = 0; i < n; ++i) static_cast<void>(weft::spawn(sleep_forever(started, counted{})));
    co_return;
}

weft::task<int> keep_handle_to_pending(std::atomic<int>* started, weft::join_handle<int>* out) {
    *out = weft::spawn(sleep_an_hour(started, counted{}));
    co_await yield_until(started, 1);
    co_return 0;
}

// Suspends on an awaitable that is not weft's and that nothing ever resumes: cancellation cannot
// reach it, so shutdown destroys it once the grace period is over.
weft::task<int> suspend_forever(std::atomic<int>* started, counted c) {
    counted local;
    started->fetch_add(1);
    co_await std::suspend_always{};
    co_return static_cast<int>(c.id() + local.id());
}

weft::task<int> keep_handle_to_unreachable(std::atomic<int>* started, weft::join_handle<int>* out) {
    *out = weft::spawn(suspend_forever(started, counted{}));
    co_await yield_until(started, 1);
    co_return 0;
}

// Sleeps; counts itself in `unwound` when cancellation unwinds it.
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

weft::task<> leave_sleepers(std::atomic<int>* started, std::atomic<int>* unwound, int n) {
    for (int i = 0; i < n; ++i) static_cast<void>(weft::spawn(sleep_until_cancelled(started, unwound, counted{})));
    co_await yield_until(started, n);
}

}  // namespace

class at_shutdown : public weft_test::thread_counts {
protected:
    void SetUp() override { counted::reset(); }
    void TearDown() override { EXPECT_EQ(counted::double_destructions, 0); }
};
WEFT_TEST_AT_THREAD_COUNTS(at_shutdown);

TEST_P(at_shutdown, run_destroys_every_pending_task_and_everything_it_owns) {
    std::atomic<int> started{0};
    const int waited_for = run(leave_pending_tasks(&started));
    EXPECT_EQ(started.load(), waited_for);
    EXPECT_GT(counted::constructions(), waited_for);
    EXPECT_EQ(counted::alive(), 0);
}

TEST_P(at_shutdown, run_destroys_tasks_spawned_just_before_main_returned) {
    std::atomic<int> started{0};
    run(spawn_and_return(&started, 1000));
    if (threads() == 1) {
        EXPECT_EQ(started.load(), 0);
    }
    EXPECT_EQ(counted::default_constructions, 1000);
    EXPECT_EQ(counted::alive(), 0);
}

TEST_P(at_shutdown, runtime_destructor_destroys_every_pending_task) {
    std::atomic<int> started{0};
    {
        weft::runtime rt(options());
        const int waited_for = rt.block_on(leave_pending_tasks(&started));
        EXPECT_EQ(started.load(), waited_for);
        static_cast<void>(rt.spawn(sleep_forever(&started, counted{})));
        static_cast<void>(rt.spawn(yield_forever(&started, counted{})));
        EXPECT_GT(counted::alive(), 0);
    }
    EXPECT_EQ(counted::alive(), 0);
}

TEST_P(at_shutdown, cancels_every_pending_task_and_lets_it_unwind) {
    std::atomic<int> started{0};
    std::atomic<int> unwound{0};
    run(leave_sleepers(&started, &unwound, 100));
    EXPECT_EQ(unwound.load(), 100);
    EXPECT_EQ(counted::alive(), 0);
}

TEST_P(at_shutdown, a_join_handle_may_outlive_its_runtime_and_its_cancelled_task) {
    std::atomic<int> started{0};
    weft::join_handle<int> handle;
    {
        weft::runtime rt(options());
        rt.block_on(keep_handle_to_pending(&started, &handle));
        EXPECT_TRUE(handle.valid());
    }
    EXPECT_TRUE(handle.done()) << "a handle that outlives its runtime reports done() (docs/api.md)";
    EXPECT_EQ(counted::alive(), 1) << "the unwound frame keeps its argument until the handle goes";
    EXPECT_THROW(run([](weft::join_handle<int> h) -> weft::task<int> { co_return co_await h; }(std::move(handle))),
                 weft::cancelled);
    EXPECT_EQ(counted::alive(), 0);
}

TEST_P(at_shutdown, destroys_a_task_that_cancellation_cannot_reach_when_the_grace_period_ends) {
    std::atomic<int> started{0};
    weft::join_handle<int> handle;
    {
        weft::runtime rt({.threads = threads(), .shutdown_grace = 10ms});
        rt.block_on(keep_handle_to_unreachable(&started, &handle));
    }
    EXPECT_TRUE(handle.done());
    EXPECT_EQ(counted::alive(), 0) << "the abandoned task's frame must go with the runtime";
    EXPECT_THROW(run([](weft::join_handle<int> h) -> weft::task<int> { co_return co_await h; }(std::move(handle))),
                 std::logic_error);
}
