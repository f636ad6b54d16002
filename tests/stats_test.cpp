// weft::runtime_stats: the counters add up (weft/stats.hpp).
#include <weft/weft.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "support/scale.hpp"
#include "support/sync_helpers.hpp"
#include "support/thread_counts.hpp"

using namespace std::chrono_literals;

namespace {

weft::task<std::uint64_t> fib(int n) {
    if (n < 2) co_return static_cast<std::uint64_t>(n);
    auto [a, b] = co_await weft::gather(fib(n - 1), fib(n - 2));
    co_return a + b;
}

// Big enough that two workers steal from each other; smaller where the stack is not constant
// (support/scale.hpp).
constexpr int fib_n = weft_test::sanitized ? 16 : 22;

std::uint64_t serial_fib(int n) { return n < 2 ? static_cast<std::uint64_t>(n) : serial_fib(n - 1) + serial_fib(n - 2); }

weft::task<int> leaf(int i) { co_return i; }

// Spawns `n` tasks from inside the runtime and awaits them all.
weft::task<int> spawn_and_join(int n) {
    std::vector<weft::join_handle<int>> handles;
    for (int i = 0; i < n; ++i) handles.push_back(weft::spawn(leaf(i)));
    int sum = 0;
    for (auto& h : handles) sum += co_await h;
    co_return sum;
}

class stats_at : public weft_test::thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(stats_at);

TEST_P(stats_at, every_spawned_task_is_counted_and_polled) {
    weft::runtime rt(options());
    EXPECT_EQ(rt.block_on(spawn_and_join(500)), 500 * 499 / 2);
    const weft::runtime_stats s = rt.stats();
    const weft::worker_stats total = s.total();
    ASSERT_EQ(s.workers.size(), threads());
    EXPECT_EQ(total.spawned, 500u);
    EXPECT_EQ(s.spawned_remotely, 0u);
    // 500 spawned tasks, plus the block_on root, each polled at least once.
    EXPECT_GE(total.polled, 501u);
    EXPECT_EQ(s.live_tasks, 0u);
    EXPECT_EQ(s.pending_timers, 0u);
}

TEST_P(stats_at, stolen_counts_match_on_both_sides) {
    weft::runtime rt(options());
    EXPECT_EQ(rt.block_on(fib(fib_n)), serial_fib(fib_n));
    const weft::worker_stats total = rt.stats().total();
    EXPECT_EQ(total.tasks_stolen, total.stolen_from);
    EXPECT_LE(total.steals, total.steal_attempts);
    EXPECT_LE(total.steals, total.tasks_stolen);
    if (threads() == 1) {
        EXPECT_EQ(total.steal_attempts, 0u);
    }
}

TEST_P(stats_at, steal_one_takes_exactly_one_task_per_steal) {
    weft::runtime rt({.threads = threads(), .policy = weft::scheduling_policy::steal_one});
    EXPECT_EQ(rt.block_on(fib(fib_n)), serial_fib(fib_n));
    const weft::worker_stats total = rt.stats().total();
    EXPECT_EQ(total.tasks_stolen, total.steals);
    EXPECT_EQ(total.tasks_stolen, total.stolen_from);
}

TEST_P(stats_at, under_global_queue_every_poll_comes_from_the_shared_queue) {
    weft::runtime rt({.threads = threads(), .policy = weft::scheduling_policy::global_queue});
    EXPECT_EQ(rt.block_on(fib(18)), 2584u);
    const weft::worker_stats total = rt.stats().total();
    EXPECT_EQ(total.steal_attempts, 0u);
    EXPECT_EQ(total.injected_taken, total.polled);
}

TEST_P(stats_at, spawns_from_outside_the_runtime_are_counted_as_remote) {
    weft::runtime rt(options());
    std::vector<weft::join_handle<int>> handles;
    for (int i = 0; i < 10; ++i) handles.push_back(rt.spawn(leaf(i)));
    for (auto& h : handles) rt.block_on([](weft::join_handle<int>& h) -> weft::task<> { co_await h; }(h));
    const weft::runtime_stats s = rt.stats();
    EXPECT_EQ(s.spawned_remotely, 10u);
    EXPECT_EQ(s.total().spawned, 0u);
}

weft::task<> sleep_an_hour() { co_await weft::sleep_for(1h); }

weft::task<weft::runtime_stats> stats_while_three_sleep() {
    std::vector<weft::join_handle<>> sleepers;
    for (int i = 0; i < 3; ++i) sleepers.push_back(weft::spawn(sleep_an_hour()));
    while (weft::current_stats().pending_timers < 3) co_await weft::yield();
    weft::runtime_stats during = weft::current_stats();
    for (auto& h : sleepers) h.cancel();
    for (auto& h : sleepers) EXPECT_TRUE(co_await weft_test::throws_cancelled(std::move(h)));
    co_return during;
}

TEST_P(stats_at, pending_timers_and_live_tasks_count_sleepers) {
    const weft::runtime_stats during = run(stats_while_three_sleep());
    EXPECT_EQ(during.pending_timers, 3u);
    EXPECT_EQ(during.live_tasks, 3u);
}

weft::task<> fail() {
    throw std::runtime_error("nobody will look");
    co_return;
}

weft::task<std::uint64_t> count_an_unobserved_failure() {
    weft::spawn(fail());  // detached: its exception is logged and counted
    while (weft::current_stats().unobserved_failures == 0) co_await weft::yield();
    co_return weft::current_stats().unobserved_failures;
}

TEST_P(stats_at, a_detached_task_that_fails_is_counted_as_an_unobserved_failure) {
    EXPECT_EQ(run(count_an_unobserved_failure()), 1u);
}

TEST(stats, current_stats_off_a_runtime_throws_logic_error) {
    EXPECT_THROW(weft::current_stats(), std::logic_error);
}

TEST(stats, the_table_has_a_row_per_worker_and_the_json_every_counter) {
    weft::runtime rt({.threads = 2});
    rt.block_on(fib(10));
    const weft::runtime_stats s = rt.stats();
    std::ostringstream table;
    table << s;
    EXPECT_NE(table.str().find("policy work_stealing, 2 worker(s)"), std::string::npos);
    EXPECT_NE(table.str().find("\n0 "), std::string::npos);
    EXPECT_NE(table.str().find("\n1 "), std::string::npos);
    EXPECT_NE(table.str().find("\ntotal "), std::string::npos);
    const std::string json = s.to_json();
    for (const char* key : {"\"policy\"", "\"live_tasks\"", "\"spawned_remotely\"", "\"unobserved_failures\"",
                            "\"pending_timers\"", "\"workers\"", "\"polled\"", "\"spawned\"", "\"steal_attempts\"",
                            "\"steals\"", "\"tasks_stolen\"", "\"stolen_from\"", "\"injected_taken\"", "\"parks\"",
                            "\"wakeups\"", "\"busy_ns\""})
        EXPECT_NE(json.find(key), std::string::npos) << key;
}

TEST(stats, workers_that_ran_tasks_report_busy_time) {
    weft::runtime rt({.threads = 1});
    rt.block_on(fib(fib_n));
    EXPECT_GT(rt.stats().workers[0].busy_time.count(), 0);
}

}  // namespace
