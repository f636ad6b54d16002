// weft::sleep_for and weft::sleep_until: never early, in deadline order, and a deadline already
// passed behaves like weft::yield (include/weft/sleep.hpp).
#include <weft/sleep.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <weft/spawn.hpp>
#include <weft/runtime.hpp>
#include <weft/yield.hpp>

#include "support/event_log.hpp"
#include "support/thread_counts.hpp"

namespace {

using namespace std::chrono_literals;
using std::chrono::steady_clock;

using trace = weft_test::event_log<std::string>;

weft::task<> record(trace* t, std::string event) {
    t->add(std::move(event));
    co_return;
}

enum class pause_kind { yield, sleep_zero, sleep_negative, sleep_until_past, sleep_until_min };

weft::task<> pause_once(pause_kind how) {
    switch (how) {
        case pause_kind::yield:
            co_await weft::yield();
            break;
        case pause_kind::sleep_zero:
            co_await weft::sleep_for(0ms);
            break;
        case pause_kind::sleep_negative:
            co_await weft::sleep_for(-5s);
            break;
        case pause_kind::sleep_until_past:
            co_await weft::sleep_until(steady_clock::now() - 1h);
            break;
        case pause_kind::sleep_until_min:
            co_await weft::sleep_until(steady_clock::time_point::min());
            break;
    }
}

// Spawns three tasks, pauses `how`, and records when it resumed.
weft::task<> others_then_pause(trace* t, pause_kind how) {
    std::vector<weft::join_handle<>> others;
    for (const char* name : {"a", "b", "c"}) others.push_back(weft::spawn(record(t, name)));
    co_await pause_once(how);
    t->add("resumed");
    for (auto& h : others) co_await h;
}

// The order in which sleepers woke, and whether each slept until its deadline.
struct wake_log {
    std::mutex mutex;
    std::vector<int> order;
    bool all_registered_in_time = true;
    int early = 0;
};

weft::task<> sleep_and_log(int index, steady_clock::time_point deadline, wake_log* log) {
    // Registered with a tick to spare: the order is only defined among timers that were all
    // linked before the first of them was due.
    const bool in_time = steady_clock::now() + 1ms < deadline;
    co_await weft::sleep_until(deadline);
    const bool early = steady_clock::now() < deadline;
    std::lock_guard lock(log->mutex);
    log->order.push_back(index);
    log->all_registered_in_time = log->all_registered_in_time && in_time;
    log->early += early ? 1 : 0;
}

// Spawns one sleeper per deadline offset (in the given order) and waits for all of them.
weft::task<> sleep_all(std::vector<int> offsets_ms, steady_clock::duration lead, wake_log* log) {
    const steady_clock::time_point base = steady_clock::now() + lead;
    std::vector<weft::join_handle<>> handles;
    for (int offset : offsets_ms) handles.push_back(weft::spawn(sleep_and_log(offset, base + offset * 1ms, log)));
    for (auto& h : handles) co_await h;
}

weft::task<int> sleep_for_and_check(steady_clock::duration d) {
    const steady_clock::time_point before = steady_clock::now();
    co_await weft::sleep_for(d);
    co_return steady_clock::now() >= before + d ? 0 : 1;
}

weft::task<int> count_early_wakes(int sleepers) {
    std::vector<weft::join_handle<int>> handles;
    std::mt19937 rng(7);
    for (int i = 0; i < sleepers; ++i) {
        const auto d = std::chrono::microseconds(std::uniform_int_distribution<int>(1, 20'000)(rng));
        handles.push_back(weft::spawn(sleep_for_and_check(d)));
    }
    int early = 0;
    for (auto& h : handles) early += co_await h;
    co_return early;
}

}  // namespace

class sleep_for : public weft_test::thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(sleep_for);
class sleep_until : public weft_test::thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(sleep_until);

// Runs others_then_pause with `how` and checks it behaved like weft::yield().
void expect_behaves_like_yield(std::size_t threads, pause_kind how) {
    trace t;
    weft::run(others_then_pause(&t, how), {.threads = threads});
    const std::vector<std::string> events = t.events();
    EXPECT_THAT(events, ::testing::UnorderedElementsAre("a", "b", "c", "resumed"));
    if (threads == 1) {
        // Every task ready at the pause runs before the pausing task resumes.
        EXPECT_EQ(events.back(), "resumed") << "pause kind " << static_cast<int>(how);
    }
}

TEST_P(sleep_for, zero_or_negative_durations_behave_like_yield) {
    for (pause_kind how : {pause_kind::yield, pause_kind::sleep_zero, pause_kind::sleep_negative})
        expect_behaves_like_yield(threads(), how);
}

TEST_P(sleep_for, never_resumes_before_the_duration_elapsed) {
    EXPECT_EQ(run(count_early_wakes(200)), 0);
}

TEST_P(sleep_for, of_one_millisecond_resumes) { EXPECT_EQ(run(sleep_for_and_check(1ms)), 0); }

TEST_P(sleep_until, a_past_time_point_behaves_like_yield) {
    for (pause_kind how : {pause_kind::sleep_until_past, pause_kind::sleep_until_min})
        expect_behaves_like_yield(threads(), how);
}

TEST_P(sleep_until, fires_every_timer_and_none_before_its_deadline) {
    std::vector<int> offsets(50);
    std::iota(offsets.begin(), offsets.end(), 0);
    std::shuffle(offsets.begin(), offsets.end(), std::mt19937(42));
    wake_log log;
    run(sleep_all(offsets, 5ms, &log));
    EXPECT_EQ(log.order.size(), offsets.size());
    EXPECT_EQ(log.early, 0);
}

// With several workers, timers that fire together resume in parallel, so their order is only
// observable on one thread.
TEST(sleep_until_on_one_thread, fires_timers_in_deadline_order) {
    std::vector<int> offsets(20);
    for (int i = 0; i < 20; ++i) offsets[static_cast<std::size_t>(i)] = 2 * i;
    std::shuffle(offsets.begin(), offsets.end(), std::mt19937(1234));
    // If the machine stalled so long that a sleeper registered less than a tick before its
    // deadline, the order is undefined: run again with more lead time.
    for (auto lead = 20ms; lead <= 640ms; lead *= 2) {
        wake_log log;
        weft::run(sleep_all(offsets, lead, &log), {.threads = 1});
        EXPECT_EQ(log.early, 0);
        if (!log.all_registered_in_time) continue;
        std::vector<int> sorted = offsets;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(log.order, sorted);
        return;
    }
    FAIL() << "sleepers could not even register within 640 ms";
}
