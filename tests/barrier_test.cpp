// weft::barrier (include/weft/barrier.hpp): misuse, a barrier reused over many phases with one
// leader each, and cancellation of waiters (a cancelled arrival is taken back).
#include <weft/barrier.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <weft/cancel.hpp>
#include <weft/spawn.hpp>
#include <weft/runtime.hpp>
#include <weft/yield.hpp>

#include "support/counted.hpp"
#include "support/scale.hpp"
#include "support/sync_helpers.hpp"
#include "support/thread_counts.hpp"

namespace {

using weft_test::counted;
using weft_test::throws_cancelled;
using weft_test::yield_until;


// `phases` times: counts its arrival, arrives, then checks that the whole phase had arrived.
weft::task<> run_phases(weft::barrier* b, std::atomic<int>* arrivals, std::vector<std::atomic<int>>* leaders,
                        std::atomic<int>* early, int parties, int phases) {
    for (int p = 0; p < phases; ++p) {
        arrivals->fetch_add(1);
        const bool leader = co_await b->arrive_and_wait();
        if (arrivals->load() < (p + 1) * parties) early->fetch_add(1);
        if (leader) (*leaders)[static_cast<std::size_t>(p)].fetch_add(1);
    }
}

weft::task<bool> arrive(weft::barrier* b, std::atomic<int>* arrived, counted c) {
    static_cast<void>(c);
    arrived->fetch_add(1);
    co_return co_await b->arrive_and_wait();
}

}  // namespace

class barrier : public weft_test::thread_counts {
protected:
    void SetUp() override { counted::reset(); }
    void TearDown() override {
        EXPECT_EQ(counted::alive(), 0);
        EXPECT_EQ(counted::double_destructions, 0);
    }
};
WEFT_TEST_AT_THREAD_COUNTS(barrier);

TEST_P(barrier, of_fewer_than_one_party_is_an_invalid_argument) {
    EXPECT_THROW(weft::barrier{0}, std::invalid_argument);
    EXPECT_THROW(weft::barrier{-3}, std::invalid_argument);
}

TEST_P(barrier, of_one_party_never_waits_and_always_leads) {
    weft::barrier b{1};
    const int leads = run([](weft::barrier* b) -> weft::task<int> {
        int leads = 0;
        for (int i = 0; i < 5; ++i) leads += co_await b->arrive_and_wait() ? 1 : 0;
        co_return leads;
    }(&b));
    EXPECT_EQ(leads, 5);
}

TEST_P(barrier, is_reusable_releases_no_task_before_its_whole_phase_arrived_and_has_one_leader_per_phase) {
    constexpr int parties = 6;
    const int phases = static_cast<int>(weft_test::scaled(5000));
    weft::barrier b{parties};
    std::atomic<int> arrivals{0}, early{0};
    std::vector<std::atomic<int>> leaders(static_cast<std::size_t>(phases));
    run([](weft::barrier* b, std::atomic<int>* arrivals, std::vector<std::atomic<int>>* leaders,
           std::atomic<int>* early, int phases) -> weft::task<> {
        std::vector<weft::join_handle<>> handles;
        for (int i = 0; i < parties; ++i)
            handles.push_back(weft::spawn(run_phases(b, arrivals, leaders, early, parties, phases)));
        for (auto& h : handles) co_await h;
    }(&b, &arrivals, &leaders, &early, phases));
    EXPECT_EQ(arrivals.load(), parties * phases);
    EXPECT_EQ(early.load(), 0);
    for (int p = 0; p < phases; ++p) EXPECT_EQ(leaders[static_cast<std::size_t>(p)].load(), 1) << "phase " << p;
}

TEST_P(barrier, takes_back_the_arrival_of_a_cancelled_waiter) {
    weft::barrier b{2};
    std::atomic<int> arrived{0};
    struct result {
        bool cancelled;
        int leaders;
    };
    const result r = run([](weft::barrier* b, std::atomic<int>* arrived) -> weft::task<result> {
        auto first = weft::spawn(arrive(b, arrived, counted{}));
        co_await yield_until(arrived, 1);
        first.cancel();
        const bool threw = co_await throws_cancelled(std::move(first));
        // Had the cancelled arrival counted, the second task would complete the phase alone and
        // the third would wait forever.
        auto second = weft::spawn(arrive(b, arrived, counted{}));
        auto third = weft::spawn(arrive(b, arrived, counted{}));
        const int leaders = (co_await second ? 1 : 0) + (co_await third ? 1 : 0);
        co_return result{threw, leaders};
    }(&b, &arrived));
    EXPECT_TRUE(r.cancelled);
    EXPECT_EQ(r.leaders, 1);
}
