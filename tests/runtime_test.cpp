// weft::run, weft::runtime and weft::worker_index: results and exceptions out of run and
// block_on, where tasks run, nested-runtime misuse, outside threads, determinism on one thread
// (include/weft/runtime.hpp).
#include <weft/runtime.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <weft/gather.hpp>
#include <weft/spawn.hpp>
#include <weft/sleep.hpp>
#include <weft/yield.hpp>

#include "support/counted.hpp"
#include "support/event_log.hpp"
#include "support/scale.hpp"
#include "support/thread_counts.hpp"

namespace {

using namespace std::chrono_literals;
using weft_test::counted;

constexpr int repeated_block_ons = static_cast<int>(weft_test::scaled(20'000));

weft::task<int> value(int v) { co_return v; }

weft::task<int> throw_runtime_error(std::string message) {
    throw std::runtime_error(message);
    co_return 0;
}

weft::task<std::optional<std::size_t>> index_after_yield() {
    co_await weft::yield();
    co_return weft::worker_index();
}

// The worker indices seen by `n` gathered children and by the parent after the gather.
weft::task<std::vector<std::optional<std::size_t>>> indices(int n) {
    std::vector<weft::task<std::optional<std::size_t>>> tasks;
    for (int i = 0; i < n; ++i) tasks.push_back(index_after_yield());
    std::vector<std::optional<std::size_t>> seen = co_await weft::gather(std::move(tasks));
    seen.push_back(weft::worker_index());
    co_return seen;
}

class thread_ids {
public:
    void add() {
        std::lock_guard lock(mutex_);
        ids_.insert(std::this_thread::get_id());
    }
    std::set<std::thread::id> ids() {
        std::lock_guard lock(mutex_);
        return ids_;
    }

private:
    std::mutex mutex_;
    std::set<std::thread::id> ids_;
};

weft::task<> note_thread(thread_ids* ids) {
    ids->add();
    co_await weft::yield();
    ids->add();
    co_await weft::sleep_for(1ms);
    ids->add();
}

weft::task<> note_threads_everywhere(thread_ids* ids) {
    ids->add();
    weft::join_handle<> h = weft::spawn(note_thread(ids));
    co_await weft::gather(note_thread(ids), note_thread(ids), note_thread(ids));
    co_await h;
    ids->add();
}

weft::task<int> run_inside(counted c) {
    static_cast<void>(c);
    co_return weft::run(value(1), {.threads = 1});
}

weft::task<int> block_on_inside(weft::runtime* rt, counted c) {
    static_cast<void>(c);
    co_return rt->block_on(value(1));
}

// A deterministic program: spawns, nested gathers and yields, recording every step.
using event_log = weft_test::event_log<int>;

weft::task<int> step(event_log* log, int id, int depth) {
    log->add(id);
    if (depth == 0) co_return id;
    co_await weft::yield();
    log->add(-id);
    weft::join_handle<int> h = weft::spawn(step(log, id * 3, depth - 1));
    auto [a, b] = co_await weft::gather(step(log, id * 3 + 1, depth - 1), step(log, id * 3 + 2, depth - 1));
    const int c = co_await h;
    log->add(id + 100'000);
    co_return a + b + c;
}

}  // namespace

class run : public weft_test::thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(run);

TEST_P(run, returns_the_main_tasks_value) { EXPECT_EQ(weft::run(value(5), options()), 5); }

TEST_P(run, rethrows_the_main_tasks_exception) {
    EXPECT_THROW(
        {
            try {
                weft::run(throw_runtime_error("main failed"), options());
            } catch (const std::runtime_error& e) {
                EXPECT_STREQ(e.what(), "main failed");
                throw;
            }
        },
        std::runtime_error);
}

TEST_P(run, gives_every_task_a_worker_index_below_the_thread_count) {
    const auto seen = weft::run(indices(500), options());
    ASSERT_EQ(seen.size(), 501u);
    for (const auto& index : seen) {
        ASSERT_TRUE(index.has_value());
        EXPECT_LT(*index, threads());
    }
    EXPECT_EQ(weft::worker_index(), std::nullopt) << "the calling thread keeps an index after run returned";
}

TEST_P(run, called_from_inside_a_task_throws_logic_error) {
    counted::reset();
    EXPECT_THROW(weft::run(run_inside(counted{}), options()), std::logic_error);
    EXPECT_EQ(counted::alive(), 0);
}

TEST(run_with_one_thread, runs_every_task_on_the_calling_thread) {
    thread_ids ids;
    weft::run(note_threads_everywhere(&ids), {.threads = 1});
    EXPECT_THAT(ids.ids(), ::testing::ElementsAre(std::this_thread::get_id()));
}

TEST(run_with_one_thread, records_the_same_execution_order_every_time) {
    const auto once = [] {
        event_log log;
        const int result = weft::run(step(&log, 1, 5), {.threads = 1});
        return std::make_pair(result, log.events());
    };
    const auto first = once();
    EXPECT_EQ(first.second.size(), 364u + 2 * 121) << "one event per node, two more per inner node";
    for (int i = 0; i < 3; ++i) EXPECT_EQ(once(), first);
}

TEST(worker_index, is_nullopt_off_the_runtime) {
    EXPECT_EQ(weft::worker_index(), std::nullopt);
    std::optional<std::size_t> on_other_thread = 0;
    std::thread([&] { on_other_thread = weft::worker_index(); }).join();
    EXPECT_EQ(on_other_thread, std::nullopt);
    weft::runtime rt({.threads = 2});
    EXPECT_EQ(weft::worker_index(), std::nullopt);
}

class runtime : public weft_test::thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(runtime);

TEST_P(runtime, reports_its_thread_count) {
    weft::runtime rt(options());
    EXPECT_EQ(rt.threads(), threads());
}

TEST_P(runtime, block_on_returns_the_value_and_rethrows) {
    weft::runtime rt(options());
    EXPECT_EQ(rt.block_on(value(3)), 3);
    EXPECT_THROW(rt.block_on(throw_runtime_error("block_on failed")), std::runtime_error);
    const auto seen = rt.block_on(indices(100));
    for (const auto& index : seen) {
        ASSERT_TRUE(index.has_value());
        EXPECT_LT(*index, threads());
    }
}

TEST_P(runtime, block_on_of_a_moved_from_task_throws_logic_error) {
    weft::runtime rt(options());
    weft::task<int> t = value(1);
    weft::task<int> moved = std::move(t);
    EXPECT_THROW(rt.block_on(std::move(t)), std::logic_error);
    EXPECT_EQ(rt.block_on(std::move(moved)), 1);
}

TEST_P(runtime, block_on_works_from_several_outside_threads_at_once) {
    weft::runtime rt(options());
    std::vector<std::thread> outside;
    std::vector<std::int64_t> sums(4, 0);
    for (std::size_t k = 0; k < sums.size(); ++k) {
        outside.emplace_back([&rt, &sums, k] {
            for (int i = 0; i < 200; ++i) {
                const auto seen = rt.block_on(indices(10));
                sums[k] += static_cast<std::int64_t>(seen.size()) + rt.block_on(value(i));
            }
        });
    }
    for (auto& t : outside) t.join();
    for (std::int64_t sum : sums) EXPECT_EQ(sum, 200 * 11 + 199 * 200 / 2);
}

TEST_P(runtime, block_on_called_repeatedly_from_one_thread_always_wakes_a_worker) {
    weft::runtime rt(options());
    std::int64_t sum = 0;
    for (int i = 0; i < repeated_block_ons; ++i) sum += rt.block_on(value(i));
    EXPECT_EQ(sum, std::int64_t{repeated_block_ons} * (repeated_block_ons - 1) / 2);
}

TEST_P(runtime, spawn_from_outside_is_joined_from_a_task) {
    weft::runtime rt(options());
    weft::join_handle<int> h = rt.spawn(value(9));
    EXPECT_EQ(rt.block_on([](weft::join_handle<int> h) -> weft::task<int> { co_return co_await h; }(std::move(h))), 9);
}

TEST_P(runtime, block_on_from_inside_one_of_its_tasks_throws_logic_error) {
    counted::reset();
    weft::runtime rt(options());
    EXPECT_THROW(rt.block_on(block_on_inside(&rt, counted{})), std::logic_error);
    weft::runtime other({.threads = 1});
    EXPECT_THROW(rt.block_on(block_on_inside(&other, counted{})), std::logic_error);
    EXPECT_EQ(counted::alive(), 0);
}
