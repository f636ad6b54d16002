// options::policy: every scheduling policy runs the same coroutine code to the same results.
// (The randomized differential test also runs every policy; these are the named behaviours.)
#include <weft/weft.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "support/scale.hpp"

using namespace std::chrono_literals;

namespace {

using weft::scheduling_policy;

constexpr scheduling_policy all_policies[] = {scheduling_policy::work_stealing, scheduling_policy::steal_one,
                                              scheduling_policy::fifo_local, scheduling_policy::global_queue,
                                              scheduling_policy::tbb};

class policy_at : public ::testing::TestWithParam<std::tuple<scheduling_policy, std::size_t>> {
protected:
    weft::options options() const {
        return {.threads = std::get<1>(GetParam()), .policy = std::get<0>(GetParam())};
    }
};

INSTANTIATE_TEST_SUITE_P(, policy_at,
                         ::testing::Combine(::testing::ValuesIn(all_policies),
                                            ::testing::Values(std::size_t{1}, std::size_t{2}, std::size_t{8})),
                         [](const auto& info) {
                             return std::string(weft::to_string(std::get<0>(info.param))) + "_threads_" +
                                    std::to_string(std::get<1>(info.param));
                         });

weft::task<std::uint64_t> fib(int n) {
    if (n < 2) co_return static_cast<std::uint64_t>(n);
    auto [a, b] = co_await weft::gather(fib(n - 1), fib(n - 2));
    co_return a + b;
}

// fib(20) in release; smaller where the stack is not constant (support/scale.hpp).
constexpr int fib_n = weft_test::sanitized ? 14 : 20;
constexpr std::uint64_t fib_of_n = weft_test::sanitized ? 377 : 6765;

TEST_P(policy_at, fork_join_gives_the_serial_result) { EXPECT_EQ(weft::run(fib(fib_n), options()), fib_of_n); }

weft::task<int> square(int i) { co_return i * i; }

weft::task<int> spawn_many() {
    std::vector<weft::join_handle<int>> handles;
    for (int i = 0; i < 200; ++i) handles.push_back(weft::spawn(square(i)));
    int sum = 0;
    for (auto& h : handles) sum += co_await h;
    co_return sum;
}

TEST_P(policy_at, spawned_tasks_all_run_and_join) { EXPECT_EQ(weft::run(spawn_many(), options()), 2646700); }

weft::task<> nap(std::atomic<int>* woke) {
    co_await weft::sleep_for(1ms);
    woke->fetch_add(1);
}

weft::task<int> three_naps() {
    std::atomic<int> woke{0};
    co_await weft::gather(nap(&woke), nap(&woke), nap(&woke));
    co_return woke.load();
}

TEST_P(policy_at, sleepers_wake_and_finish) { EXPECT_EQ(weft::run(three_naps(), options()), 3); }

weft::task<> produce(weft::channel<int> ch, int n) {
    for (int i = 1; i <= n; ++i) co_await ch.send(i);
    ch.close();
}

weft::task<long> consume(weft::channel<int> ch) {
    long sum = 0;
    while (auto v = co_await ch.recv()) sum += *v;
    co_return sum;
}

weft::task<long> pipeline() {
    weft::channel<int> ch(4);
    auto [unit, sum] = co_await weft::gather(produce(ch, 10000), consume(ch));
    (void)unit;
    co_return sum;
}

TEST_P(policy_at, a_channel_pipeline_delivers_every_value) {
    EXPECT_EQ(weft::run(pipeline(), options()), 10000L * 10001 / 2);
}

weft::task<> set_after_sleep(std::atomic<bool>* fired) {
    co_await weft::sleep_for(1ms);
    fired->store(true);
}

// A CPU loop that only checkpoints: the due timer must still get to run, even on one worker.
weft::task<long> spin_until_timer_fires() {
    std::atomic<bool> fired{false};
    auto h = weft::spawn(set_after_sleep(&fired));
    long rounds = 0;
    while (!fired.load()) {
        ++rounds;
        co_await weft::checkpoint();
    }
    co_await h;
    co_return rounds;
}

TEST_P(policy_at, a_checkpoint_loop_lets_a_due_timer_run) {
    EXPECT_GT(weft::run(spin_until_timer_fires(), options()), 0);
}

weft::task<bool> runs_on_a_worker(std::size_t threads) {
    const auto index = weft::worker_index();
    co_return index.has_value() && *index < threads;
}

TEST_P(policy_at, tasks_run_on_one_of_the_runtimes_workers) {
    const weft::options o = options();
    EXPECT_TRUE(weft::run(runs_on_a_worker(o.threads), o));
}

TEST(scheduling_policy, names_round_trip) {
    for (scheduling_policy p : all_policies) EXPECT_EQ(weft::parse_scheduling_policy(weft::to_string(p)), p);
    EXPECT_EQ(weft::parse_scheduling_policy("round_robin"), std::nullopt);
}

TEST(scheduling_policy, a_value_that_names_no_policy_throws_invalid_argument) {
    try {
        weft::runtime rt({.threads = 1, .policy = static_cast<scheduling_policy>(42)});
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("weft::options::policy=42"), std::string::npos) << e.what();
    }
}

TEST(scheduling_policy, stats_report_the_policy) {
    weft::runtime rt({.threads = 2, .policy = scheduling_policy::fifo_local});
    EXPECT_EQ(rt.stats().policy, scheduling_policy::fifo_local);
}

}  // namespace
