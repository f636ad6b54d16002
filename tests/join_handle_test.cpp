// weft::spawn and weft::join_handle<T>: scheduling, results and exceptions through the handle,
// done(), detaching, misuse, and weft::runtime::spawn from threads outside the runtime
// (include/weft/join_handle.hpp).
#include <weft/spawn.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <weft/runtime.hpp>
#include <weft/yield.hpp>

#include "support/counted.hpp"
#include "support/scale.hpp"
#include "support/thread_counts.hpp"

namespace {

using weft_test::counted;

// A tenth of these under sanitizers (support/scale.hpp).
constexpr int many_spawns = static_cast<int>(weft_test::scaled(1'000'000));
constexpr int outside_spawns = static_cast<int>(weft_test::scaled(100'000));

weft::task<int> value(int v) { co_return v; }

weft::task<int> mark_then_return(std::atomic<bool>* ran, int v) {
    ran->store(true);
    co_return v;
}

weft::task<int> throw_runtime_error(std::string message) {
    throw std::runtime_error(message);
    co_return 0;
}

weft::task<> count_and_hold(std::atomic<int>* finished, counted c) {
    co_await weft::yield();
    finished->fetch_add(1);
    static_cast<void>(c);
}

weft::task<> count_and_throw(std::atomic<int>* finished, counted c) {
    co_await weft::yield();
    static_cast<void>(c);
    finished->fetch_add(1);
    throw std::runtime_error("detached failure");
}

// Yields until `counter` reaches `target`: waits for work on other tasks without blocking a worker.
weft::task<> yield_until(const std::atomic<int>* counter, int target) {
    while (counter->load() < target) co_await weft::yield();
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
    return n;
}

weft::task<std::int64_t> join_all(std::vector<weft::join_handle<int>> handles) {
    std::int64_t sum = 0;
    for (auto& h : handles) sum += co_await h;
    co_return sum;
}

}  // namespace

class spawn : public weft_test::thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(spawn);

TEST_P(spawn, returns_at_once_and_the_task_runs) {
    std::atomic<bool> ran{false};
    const int result = run([](std::atomic<bool>* ran, bool one_thread) -> weft::task<int> {
        weft::join_handle<int> h = weft::spawn(mark_then_return(ran, 7));
        // With one worker, the spawned task can only run once this task suspends.
        if (one_thread) {
            EXPECT_FALSE(ran->load()) << "spawn ran the task before returning";
        }
        co_return co_await h;
    }(&ran, threads() == 1));
    EXPECT_EQ(result, 7);
    EXPECT_TRUE(ran.load());
}

TEST_P(spawn, handle_rethrows_the_tasks_exception) {
    const std::string caught = run([]() -> weft::task<std::string> {
        weft::join_handle<int> h = weft::spawn(throw_runtime_error("spawned boom"));
        try {
            co_await h;
        } catch (const std::runtime_error& e) {
            co_return e.what();
        }
        co_return "nothing thrown";
    }());
    EXPECT_EQ(caught, "spawned boom");
}

TEST_P(spawn, handle_reports_done_once_the_task_finished) {
    run([](bool one_thread) -> weft::task<> {
        weft::join_handle<int> h = weft::spawn(value(3));
        EXPECT_TRUE(h.valid());
        if (one_thread) {
            EXPECT_FALSE(h.done()) << "the task cannot have run yet";
        }
        while (!h.done()) co_await weft::yield();
        EXPECT_EQ(co_await h, 3);
        EXPECT_TRUE(h.done());
    }(threads() == 1));
}

TEST_P(spawn, dropping_the_handle_detaches_and_the_task_still_runs_to_completion) {
    counted::reset();
    std::atomic<int> finished{0};
    run([](std::atomic<int>* finished) -> weft::task<> {
        for (int i = 0; i < 100; ++i) {
            weft::join_handle<> h = weft::spawn(count_and_hold(finished, counted{}));
        }
        co_await yield_until(finished, 100);
    }(&finished));
    EXPECT_EQ(finished.load(), 100);
    EXPECT_EQ(counted::alive(), 0);
    EXPECT_EQ(counted::double_destructions, 0);
}

TEST_P(spawn, detached_task_that_throws_does_not_crash_and_its_exception_is_logged) {
    counted::reset();
    std::atomic<int> finished{0};
    ::testing::internal::CaptureStderr();
    const int result = run([](std::atomic<int>* finished) -> weft::task<int> {
        for (int i = 0; i < 10; ++i) static_cast<void>(weft::spawn(count_and_throw(finished, counted{})));
        co_await yield_until(finished, 10);
        co_return co_await weft::spawn(value(1));
    }(&finished));
    const std::string log = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(result, 1);
    EXPECT_EQ(counted::alive(), 0);
    EXPECT_EQ(occurrences(log, "detached failure"), 10u) << log;
}

TEST_P(spawn, dropping_the_handle_of_a_failed_task_without_awaiting_it_logs_the_exception) {
    ::testing::internal::CaptureStderr();
    run([]() -> weft::task<> {
        weft::join_handle<int> h = weft::spawn(throw_runtime_error("dropped unretrieved"));
        while (!h.done()) co_await weft::yield();
    }());
    const std::string log = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(occurrences(log, "dropped unretrieved"), 1u) << log;
}

TEST_P(spawn, dropping_the_handle_after_taking_the_exception_logs_nothing) {
    ::testing::internal::CaptureStderr();
    run([]() -> weft::task<> {
        weft::join_handle<int> h = weft::spawn(throw_runtime_error("retrieved"));
        EXPECT_THROW(co_await h, std::runtime_error);
    }());
    const std::string log = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(occurrences(log, "retrieved"), 0u) << log;
}

TEST_P(spawn, a_million_tasks_from_one_task_and_joins_them_all) {
    const std::int64_t sum = run([]() -> weft::task<std::int64_t> {
        std::vector<weft::join_handle<int>> handles;
        handles.reserve(many_spawns);
        for (int i = 0; i < many_spawns; ++i) handles.push_back(weft::spawn(value(i)));
        co_return co_await join_all(std::move(handles));
    }());
    EXPECT_EQ(sum, std::int64_t{many_spawns} * (many_spawns - 1) / 2);
}

TEST_P(spawn, handle_awaited_twice_throws_logic_error) {
    run([]() -> weft::task<> {
        weft::join_handle<int> h = weft::spawn(value(1));
        EXPECT_EQ(co_await h, 1);
        EXPECT_THROW(co_await h, std::logic_error);
    }());
}

TEST_P(spawn, moved_from_handle_throws_logic_error_when_awaited) {
    run([]() -> weft::task<> {
        weft::join_handle<int> h = weft::spawn(value(1));
        weft::join_handle<int> moved = std::move(h);
        EXPECT_FALSE(h.valid());
        EXPECT_FALSE(h.done());
        EXPECT_THROW(co_await h, std::logic_error);
        weft::join_handle<int> empty;
        EXPECT_THROW(co_await empty, std::logic_error);
        EXPECT_EQ(co_await moved, 1);
    }());
}

TEST_P(spawn, of_a_moved_from_task_throws_logic_error) {
    run([]() -> weft::task<> {
        weft::task<int> t = value(1);
        weft::task<int> moved = std::move(t);
        EXPECT_THROW(static_cast<void>(weft::spawn(std::move(t))), std::logic_error);
        EXPECT_EQ(co_await weft::spawn(std::move(moved)), 1);
    }());
}

TEST_P(spawn, from_a_thread_outside_the_runtime_schedules_tasks_joined_by_block_on) {
    weft::runtime rt(options());
    std::vector<weft::join_handle<int>> handles;
    handles.reserve(outside_spawns);
    std::thread outside([&] {
        for (int i = 0; i < outside_spawns; ++i) handles.push_back(rt.spawn(value(i)));
    });
    outside.join();
    EXPECT_EQ(rt.block_on(join_all(std::move(handles))), std::int64_t{outside_spawns} * (outside_spawns - 1) / 2);
}

TEST(spawn_off_the_runtime, throws_logic_error_naming_spawn_and_destroys_the_task) {
    counted::reset();
    try {
        static_cast<void>(weft::spawn(count_and_hold(nullptr, counted{})));
        FAIL() << "weft::spawn did not throw off the runtime";
    } catch (const std::logic_error& e) {
        EXPECT_THAT(e.what(), ::testing::HasSubstr("spawn"));
    }
    EXPECT_EQ(counted::alive(), 0);
}
