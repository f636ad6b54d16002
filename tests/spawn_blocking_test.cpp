// weft::spawn_blocking (include/weft/spawn_blocking.hpp) and its pool (runtime/blocking/blocking_pool.hpp):
// results and exceptions come back, calls run off the workers and leave them free, the thread
// cap and the FIFO queue hold, cancellation wakes the waiter at once without losing or leaking
// the call, and shutdown neither hangs on a call that never returns nor runs queued ones.
//
// No test sleeps to synchronise: blocked calls wait on latches the test opens, and waits for a
// pool thread to finish poll a counter (weft_test::counted) or a flag.
#include <weft/spawn_blocking.hpp>

#include <atomic>
#include <barrier>
#include <chrono>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <weft/gather.hpp>
#include <weft/spawn.hpp>
#include <weft/runtime.hpp>
#include <weft/yield.hpp>

#include "blocking/blocking_pool.hpp"
#include "scheduler/scheduler.hpp"
#include "support/counted.hpp"
#include "support/scale.hpp"
#include "support/thread_counts.hpp"

namespace {

using namespace std::chrono_literals;
using weft_test::counted;

// What a blocking call shares with the test. Owned through shared_ptr copies, one of them in
// the call's callable, because a call may outlive the runtime (and the frames) that started it.
struct call_state {
    std::latch release{1};
    std::atomic<bool> started{false};
    std::atomic<bool> returned{false};
};

// A callable that blocks until `st->release` opens, owning a counted, and returns another.
auto blocked_call(std::shared_ptr<call_state> st) {
    return [st = std::move(st), c = counted{}] {
        st->started.store(true);
        st->release.wait();
        st->returned.store(true);
        return counted{};
    };
}

// Awaits blocked_call(st); the task a test cancels or leaves behind at shutdown.
weft::task<counted> await_blocked_call(std::shared_ptr<call_state> st) {
    co_return co_await weft::spawn_blocking(blocked_call(std::move(st)));
}

template <class T>
weft::task<bool> throws_cancelled(weft::join_handle<T>& h) {
    try {
        co_await h;
    } catch (const weft::cancelled&) {
        co_return true;
    }
    co_return false;
}

// Every counted object is gone: the pool thread has destroyed what it still held.
weft::task<> yield_until_no_counted_alive() {
    while (counted::alive() != 0) co_await weft::yield();
}

void wait_until_no_counted_alive() {
    while (counted::alive() != 0) std::this_thread::yield();
}

// Busy-waits `n` rounds: jitter between two racing steps.
void spin(int n) {
    std::atomic<int> sink{0};
    // relaxed: only a delay; nothing is ordered by it.
    for (int i = 0; i < n; ++i) sink.fetch_add(1, std::memory_order_relaxed);
}

struct rvalue_callable {
    std::unique_ptr<int> value;
    int operator()() && { return *value * 2; }
};

}  // namespace

class spawn_blocking : public weft_test::thread_counts {
protected:
    void SetUp() override { counted::reset(); }
    void TearDown() override {
        EXPECT_EQ(counted::alive(), 0);
        EXPECT_EQ(counted::double_destructions, 0);
    }
};
WEFT_TEST_AT_THREAD_COUNTS(spawn_blocking);

TEST_P(spawn_blocking, yields_the_value_the_call_returns) {
    EXPECT_EQ(run([]() -> weft::task<int> { co_return co_await weft::spawn_blocking([] { return 42; }); }()), 42);
}

TEST_P(spawn_blocking, rethrows_the_exception_the_call_throws) {
    try {
        run([]() -> weft::task<> {
            co_await weft::spawn_blocking([] { throw std::runtime_error("disk on fire"); });
        }());
        FAIL() << "the exception was lost";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "disk on fire");
    }
}

TEST_P(spawn_blocking, runs_the_call_on_a_pool_thread_not_on_a_worker) {
    struct seen {
        std::thread::id task, call;
        std::optional<std::size_t> call_worker;
    };
    const seen s = run([]() -> weft::task<seen> {
        seen s;
        s.task = std::this_thread::get_id();
        std::tie(s.call, s.call_worker) = co_await weft::spawn_blocking(
            [] { return std::pair(std::this_thread::get_id(), weft::worker_index()); });
        co_return s;
    }());
    EXPECT_NE(s.call, s.task);
    EXPECT_EQ(s.call_worker, std::nullopt) << "the call ran on a worker thread";
}

TEST_P(spawn_blocking, leaves_the_worker_free_to_run_the_task_that_unblocks_the_call) {
    // On one worker this finishes only if the worker runs `opener` while the call blocks.
    std::latch gate{1};
    const int v = run([](std::latch* gate) -> weft::task<int> {
        auto opener = weft::spawn([](std::latch* gate) -> weft::task<> {
            gate->count_down();
            co_return;
        }(gate));
        const int v = co_await weft::spawn_blocking([gate] {
            gate->wait();
            return 7;
        });
        co_await opener;
        co_return v;
    }(&gate));
    EXPECT_EQ(v, 7);
}

TEST_P(spawn_blocking, never_runs_more_calls_at_once_than_max_blocking_threads) {
    struct shared {
        std::atomic<int> running{0}, high_water{0}, finished{0};
        std::barrier<> pair{2};  // with a cap of 2, passes only if two calls run at once
    } s;
    weft::options o = options();
    o.max_blocking_threads = 2;
    weft::run([](shared* s) -> weft::task<> {
        std::vector<weft::task<>> calls;
        for (int i = 0; i < 10; ++i)
            calls.push_back([](shared* s) -> weft::task<> {
                co_await weft::spawn_blocking([s] {
                    const int now = s->running.fetch_add(1) + 1;
                    int high = s->high_water.load();
                    while (now > high && !s->high_water.compare_exchange_weak(high, now)) {
                    }
                    s->pair.arrive_and_wait();
                    s->running.fetch_sub(1);
                    s->finished.fetch_add(1);
                });
            }(s));
        co_await weft::gather(std::move(calls));
    }(&s), o);
    EXPECT_EQ(s.finished.load(), 10);
    EXPECT_EQ(s.high_water.load(), 2);
}

TEST_P(spawn_blocking, with_one_blocking_thread_runs_every_call_on_it_one_at_a_time) {
    struct shared {
        std::atomic<int> running{0}, high_water{0};
        std::mutex mutex;
        std::vector<std::thread::id> ids;
    } s;
    weft::options o = options();
    o.max_blocking_threads = 1;
    weft::run([](shared* s) -> weft::task<> {
        std::vector<weft::task<>> calls;
        for (int i = 0; i < 10; ++i)
            calls.push_back([](shared* s) -> weft::task<> {
                co_await weft::spawn_blocking([s] {
                    const int now = s->running.fetch_add(1) + 1;
                    int high = s->high_water.load();
                    while (now > high && !s->high_water.compare_exchange_weak(high, now)) {
                    }
                    {
                        std::lock_guard lock(s->mutex);
                        s->ids.push_back(std::this_thread::get_id());
                    }
                    s->running.fetch_sub(1);
                });
            }(s));
        co_await weft::gather(std::move(calls));
    }(&s), o);
    EXPECT_EQ(s.high_water.load(), 1);
    ASSERT_EQ(s.ids.size(), 10u);
    for (const auto& id : s.ids) EXPECT_EQ(id, s.ids.front());
}

TEST_P(spawn_blocking, reuses_an_idle_thread_for_the_next_call) {
    // The pool thread injects the waiter and goes idle in one critical section, so the next
    // call, which needs that lock, always finds it idle.
    const std::vector<std::thread::id> ids = run([]() -> weft::task<std::vector<std::thread::id>> {
        std::vector<std::thread::id> ids;
        for (int i = 0; i < 5; ++i) ids.push_back(co_await weft::spawn_blocking([] { return std::this_thread::get_id(); }));
        co_return ids;
    }());
    for (const auto& id : ids) EXPECT_EQ(id, ids.front());
}

TEST_P(spawn_blocking, supports_void_move_only_and_reference_results) {
    int referent = 5;
    run([](int* referent) -> weft::task<> {
        bool ran = false;
        co_await weft::spawn_blocking([&ran] { ran = true; });
        EXPECT_TRUE(ran);

        std::unique_ptr<int> p = co_await weft::spawn_blocking([] { return std::make_unique<int>(3); });
        EXPECT_EQ(*p, 3);

        int& r = co_await weft::spawn_blocking([referent]() -> int& { return *referent; });
        EXPECT_EQ(&r, referent);
    }(&referent));
}

// Lambdas and aggregates holding non-trivial values are named before the co_await: g++ 12
// miscompiles such temporaries inside a co_await expression (docs/pitfalls.md).
TEST_P(spawn_blocking, accepts_move_only_callables_and_invokes_them_as_rvalues) {
    const int v = run([]() -> weft::task<int> {
        auto owns = [u = std::make_unique<int>(4)]() mutable { return *u; };
        const int a = co_await weft::spawn_blocking(std::move(owns));
        rvalue_callable twice{std::make_unique<int>(5)};
        const int b = co_await weft::spawn_blocking(std::move(twice));
        co_return a + b;
    }());
    EXPECT_EQ(v, 14);
}

TEST_P(spawn_blocking, passes_arguments_by_value_to_the_call) {
    const std::string s = run([]() -> weft::task<std::string> {
        std::string name = "weft";
        auto greet = [](const std::string& greeting, const std::string& who, std::unique_ptr<int> n) {
            return greeting + ", " + who + " " + std::to_string(*n);
        };
        std::string r = co_await weft::spawn_blocking(greet, std::string("hello"), name, std::make_unique<int>(3));
        EXPECT_EQ(name, "weft") << "an lvalue argument is copied, not moved from";
        co_return r;
    }());
    EXPECT_EQ(s, "hello, weft 3");
}

TEST_P(spawn_blocking, destroys_the_callable_and_the_result_exactly_once) {
    const long alive_after = run([]() -> weft::task<long> {
        auto make = [](const counted&) { return counted{}; };
        counted result = co_await weft::spawn_blocking(make, counted{});
        static_cast<void>(result);
        // The callable died on the pool thread before the waiter resumed, and the job's
        // moved-from result with the awaiter: only `result` is left.
        co_return counted::alive();
    }());
    EXPECT_EQ(alive_after, 1);
}

TEST_P(spawn_blocking, a_cancelled_waiter_wakes_at_once_while_its_call_still_blocks) {
    auto st = std::make_shared<call_state>();
    run([](std::shared_ptr<call_state> st) -> weft::task<> {
        auto h = weft::spawn(await_blocked_call(st));
        while (!st->started.load()) co_await weft::yield();
        h.cancel();
        // Released only after the waiter woke: waking must not wait for the call.
        EXPECT_TRUE(co_await throws_cancelled(h));
        EXPECT_FALSE(st->returned.load());
        st->release.count_down();
        // The pool destroys the callable and the abandoned result once the call returns.
        co_await yield_until_no_counted_alive();
    }(st));
    EXPECT_TRUE(st->returned.load());
}

TEST_P(spawn_blocking, a_call_still_queued_when_its_waiter_is_cancelled_never_runs) {
    auto first = std::make_shared<call_state>();
    auto second = std::make_shared<call_state>();
    weft::options o = options();
    o.max_blocking_threads = 1;
    weft::run([](std::shared_ptr<call_state> first, std::shared_ptr<call_state> second) -> weft::task<> {
        {
            auto h1 = weft::spawn(await_blocked_call(first));
            while (!first->started.load()) co_await weft::yield();
            auto h2 = weft::spawn(await_blocked_call(second));  // queued behind `first`
            for (int i = 0; i < 100; ++i) co_await weft::yield();
            h2.cancel();
            EXPECT_TRUE(co_await throws_cancelled(h2));
            first->release.count_down();
            second->release.count_down();  // were it to run, it would not block
            static_cast<void>(co_await h1);
            // FIFO: had `second` stayed queued as live work, it would run before this call.
            co_await weft::spawn_blocking([] {});
        }  // the handles go, and with them the finished tasks' frames
        co_await yield_until_no_counted_alive();
    }(first, second), o);
    EXPECT_FALSE(second->started.load());
}

TEST_P(spawn_blocking, a_task_cancelled_before_the_await_throws_cancelled_and_the_call_never_runs) {
    std::atomic<weft::join_handle<>*> self{nullptr};
    std::atomic<bool> ran{false};
    const bool cancelled = run([](std::atomic<weft::join_handle<>*>* self, std::atomic<bool>* ran) -> weft::task<bool> {
        auto h = weft::spawn([](std::atomic<weft::join_handle<>*>* self, std::atomic<bool>* ran) -> weft::task<> {
            weft::join_handle<>* me = nullptr;
            while ((me = self->load()) == nullptr) std::this_thread::yield();
            me->cancel();  // the task has started: it cancels itself
            co_await weft::spawn_blocking([ran] { ran->store(true); });
        }(self, ran));
        self->store(&h);
        co_return co_await throws_cancelled(h);
    }(&self, &ran));
    EXPECT_TRUE(cancelled);
    EXPECT_FALSE(ran.load());
}

TEST_P(spawn_blocking, cancelling_as_the_call_completes_loses_nothing_and_leaks_nothing) {
    const std::int64_t rounds = weft_test::scaled(2000);
    const auto tally = run([](std::int64_t rounds) -> weft::task<std::pair<int, int>> {
        int values = 0, cancels = 0;
        for (std::int64_t i = 0; i < rounds; ++i) {
            const int jitter = static_cast<int>(i % 64) * 16;
            auto h = weft::spawn([](int jitter) -> weft::task<counted> {
                auto call = [](int jitter, const counted&) {
                    spin(jitter);
                    return counted{};
                };
                co_return co_await weft::spawn_blocking(call, jitter, counted{});
            }(jitter));
            co_await weft::yield();  // on one worker, lets the task submit its call first
            spin(static_cast<int>((i * 7) % 64) * 16);
            h.cancel();
            try {
                static_cast<void>(co_await h);
                ++values;
            } catch (const weft::cancelled&) {
                ++cancels;
            }
        }
        co_await yield_until_no_counted_alive();
        co_return std::pair(values, cancels);
    }(rounds));
    EXPECT_EQ(tally.first + tally.second, rounds);
}

TEST_P(spawn_blocking, shutdown_stops_waiting_for_a_call_still_running_after_the_grace_period) {
    auto st = std::make_shared<call_state>();
    weft::options o = options();
    o.shutdown_grace = 50ms;
    weft::run([](std::shared_ptr<call_state> st) -> weft::task<> {
        weft::spawn(await_blocked_call(st));  // detached: shutdown cancels it
        while (!st->started.load()) co_await weft::yield();
    }(st), o);
    // run() returned with the call still blocked; let it finish so its thread exits.
    EXPECT_FALSE(st->returned.load());
    st->release.count_down();
    wait_until_no_counted_alive();
    EXPECT_TRUE(st->returned.load());
}

TEST_P(spawn_blocking, shutdown_of_a_runtime_stops_waiting_for_a_call_still_running) {
    auto st = std::make_shared<call_state>();
    {
        weft::options o = options();
        o.shutdown_grace = 0ms;
        weft::runtime rt(o);
        auto h = rt.spawn(await_blocked_call(st));
        while (!st->started.load()) std::this_thread::yield();
    }
    EXPECT_FALSE(st->returned.load());
    st->release.count_down();
    wait_until_no_counted_alive();
}

TEST_P(spawn_blocking, shutdown_drops_a_call_still_queued_without_running_it) {
    auto first = std::make_shared<call_state>();
    auto second = std::make_shared<call_state>();
    weft::options o = options();
    o.max_blocking_threads = 1;
    o.shutdown_grace = 50ms;
    weft::run([](std::shared_ptr<call_state> first, std::shared_ptr<call_state> second) -> weft::task<> {
        weft::spawn(await_blocked_call(first));
        while (!first->started.load()) co_await weft::yield();
        weft::spawn(await_blocked_call(second));  // queued behind `first`
        for (int i = 0; i < 100; ++i) co_await weft::yield();
    }(first, second), o);
    second->release.count_down();
    first->release.count_down();
    wait_until_no_counted_alive();
    EXPECT_TRUE(first->returned.load());
    EXPECT_FALSE(second->started.load());
}

TEST_P(spawn_blocking, can_be_named_before_the_await_and_awaiting_it_twice_is_a_logic_error) {
    const bool threw = run([]() -> weft::task<bool> {
        auto call = weft::spawn_blocking([] { return 1; });
        EXPECT_EQ(co_await call, 1);
        try {
            co_await call;
        } catch (const std::logic_error& e) {
            EXPECT_THAT(e.what(), ::testing::HasSubstr("awaited twice"));
            co_return true;
        }
        co_return false;
    }());
    EXPECT_TRUE(threw);
}

TEST(spawn_blocking_off_runtime, throws_logic_error_naming_the_problem) {
    bool ran = false;
    try {
        static_cast<void>(weft::spawn_blocking([&ran] { ran = true; }));
        FAIL() << "spawn_blocking accepted a call off the runtime";
    } catch (const std::logic_error& e) {
        EXPECT_THAT(e.what(), ::testing::HasSubstr("weft::spawn_blocking"));
        EXPECT_THAT(e.what(), ::testing::HasSubstr("no current runtime"));
    }
    EXPECT_FALSE(ran);
}

TEST(spawn_blocking_options, max_blocking_threads_above_the_limit_throws_invalid_argument_naming_it) {
    for (std::size_t bad : {weft::detail::blocking_threads_limit + 1, static_cast<std::size_t>(-1)}) {
        try {
            weft::runtime rt({.threads = 1, .max_blocking_threads = bad});
            FAIL() << "weft::runtime accepted max_blocking_threads = " << bad;
        } catch (const std::invalid_argument& e) {
            EXPECT_THAT(e.what(), ::testing::HasSubstr("max_blocking_threads"));
            EXPECT_THAT(e.what(), ::testing::HasSubstr(std::to_string(bad)));
        }
        EXPECT_THROW(weft::run([]() -> weft::task<> { co_return; }(), {.threads = 1, .max_blocking_threads = bad}),
                     std::invalid_argument);
    }
    weft::runtime at_limit({.threads = 1, .max_blocking_threads = weft::detail::blocking_threads_limit});
    EXPECT_EQ(at_limit.block_on([]() -> weft::task<int> { co_return co_await weft::spawn_blocking([] { return 1; }); }()),
              1);
}

TEST(spawn_blocking_options, zero_max_blocking_threads_means_the_default) {
    const int v = weft::run([]() -> weft::task<int> { co_return co_await weft::spawn_blocking([] { return 2; }); }(),
                            {.threads = 1, .max_blocking_threads = 0});
    EXPECT_EQ(v, 2);
}

// The pool on its own, with a scheduler to resume waiters on (std::noop_coroutine stands in
// for the waiting task).
namespace {

struct test_job final : weft::detail::blocking_job {
    explicit test_job(std::function<void()> f) : body(std::move(f)) { waiter = std::noop_coroutine(); }
    void run() noexcept override { body(); }
    std::function<void()> body;
};

}  // namespace

// Each test declares what the calls touch before the scheduler, whose shutdown waits for the
// pool's threads to exit, so no thread outlives it.
TEST(blocking_pool, runs_queued_calls_in_fifo_order) {
    std::latch gate{1}, finished{5};
    std::mutex mutex;
    std::vector<int> order;
    std::vector<test_job*> jobs;
    weft::detail::scheduler s({.threads = 1, .max_blocking_threads = 1});
    for (int i = 0; i < 5; ++i) {
        jobs.push_back(new test_job([&, i] {
            if (i == 0) gate.wait();
            {
                std::lock_guard lock(mutex);
                order.push_back(i);
            }
            finished.count_down();
        }));
        s.blocking().submit(*jobs.back());
    }
    EXPECT_EQ(s.blocking().threads(), 1u);
    gate.count_down();
    finished.wait();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
    for (test_job* j : jobs) j->release();  // the waiter's reference
}

TEST(blocking_pool, an_idle_thread_exits_after_the_keep_alive) {
    std::latch finished{1};
    weft::detail::scheduler s({.threads = 1, .max_blocking_threads = 1});
    weft::detail::blocking_pool pool(s, 4, 1ms);
    auto* job = new test_job([&] { finished.count_down(); });
    pool.submit(*job);
    finished.wait();
    job->release();
    while (pool.threads() != 0) std::this_thread::yield();
    EXPECT_EQ(pool.threads(), 0u);
}

TEST(blocking_pool, shutdown_makes_idle_threads_exit) {
    std::latch finished{3};
    std::latch gate{1};
    weft::detail::scheduler s({.threads = 1, .max_blocking_threads = 1});
    weft::detail::blocking_pool pool(s, 4);
    std::vector<test_job*> jobs;
    for (int i = 0; i < 3; ++i) {
        jobs.push_back(new test_job([&] {
            finished.count_down();
            gate.wait();  // three calls at once: three threads
        }));
        pool.submit(*jobs.back());
    }
    finished.wait();
    EXPECT_EQ(pool.threads(), 3u);
    gate.count_down();
    for (test_job* j : jobs) j->release();
    pool.shutdown(std::chrono::steady_clock::now() + 1h);  // returns once all three have exited
    EXPECT_EQ(pool.threads(), 0u);
}

TEST(blocking_pool, submit_after_shutdown_is_a_logic_error_and_keeps_the_job) {
    weft::detail::scheduler s({.threads = 1, .max_blocking_threads = 1});
    weft::detail::blocking_pool pool(s, 4);
    pool.shutdown(std::chrono::steady_clock::now());
    test_job job([] {});
    EXPECT_THROW(pool.submit(job), std::logic_error);
}
