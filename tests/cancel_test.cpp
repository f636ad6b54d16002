// Cancellation (include/weft/cancel.hpp, join_handle::cancel): a cancelled task throws
// weft::cancelled at its next checkpoint, a suspended one wakes at once, cancellation reaches
// the children a task awaits, and the races with completion and wake-up lose nothing.
#include <weft/cancel.hpp>

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <weft/gather.hpp>
#include <weft/spawn.hpp>
#include <weft/runtime.hpp>
#include <weft/sleep.hpp>
#include <weft/yield.hpp>

#include "scheduler/scheduler.hpp"
#include "support/counted.hpp"
#include "support/scale.hpp"
#include "support/sync_helpers.hpp"
#include "support/thread_counts.hpp"

namespace {

using namespace std::chrono_literals;
using weft_test::counted;

// Sleeps an hour, noting that it started and, if so, that cancellation unwound it.
weft::task<int> sleep_an_hour(std::atomic<int>* started, std::atomic<int>* unwound, counted c) {
    static_cast<void>(c);
    started->fetch_add(1);
    try {
        co_await weft::sleep_for(1h);
    } catch (const weft::cancelled&) {
        unwound->fetch_add(1);
        throw;
    }
    co_return 1;
}

using weft_test::throws_cancelled;
using weft_test::yield_until;

weft::task<int> spin_on_checkpoints(std::atomic<int>* iterations) {
    for (;;) {
        iterations->fetch_add(1, std::memory_order_relaxed);
        co_await weft::checkpoint();
    }
}

// A stand-in primitive that opens the windows of the slot protocol (cancel_tree.hpp, A1-A6).
// Its link() either waits until a sweep has claimed the waiter -- so the cancellation arrives
// after registering and before linking -- then links, declines (the primitive turned out ready)
// or throws; or (wakes) completes the wait at once, handing the task to any worker, and on
// several workers returns only once the woken task is inside its await_resume.
enum class link_outcome { links, declines, throws, wakes };

struct gate {
    std::atomic<void*> waiter{nullptr};  // the linked coroutine
    std::atomic<bool> link_called{false};
    std::atomic<bool> resuming{false};
    bool wait_for_resume = false;
};

class gate_awaiter : weft::detail::cancel_waiter {
public:
    gate_awaiter(gate& g, link_outcome o) noexcept : gate_(&g), outcome_(o) {}
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) {
        return weft::detail::suspend_cancellable(*this, &abort_wait, [this, h] {
            gate_->link_called.store(true);
            if (outcome_ == link_outcome::wakes) {
                weft::detail::tls_worker->sched->inject(h);
                while (gate_->wait_for_resume && !gate_->resuming.load()) std::this_thread::yield();
                return true;
            }
            const auto& slot = weft::detail::tls_cancel->domain->root_slot;
            while ((slot.load() & weft::detail::cancel_domain::slot_swept) == 0) std::this_thread::yield();
            if (outcome_ == link_outcome::throws) throw std::runtime_error("link failed");
            if (outcome_ == link_outcome::declines) return false;
            gate_->waiter.store(h.address());
            return true;
        });
    }
    void await_resume() {
        gate_->resuming.store(true);
        weft::detail::resume_cancellable(*this);
    }

private:
    static std::coroutine_handle<> abort_wait(weft::detail::cancel_waiter& w) noexcept {
        void* h = static_cast<gate_awaiter&>(w).gate_->waiter.exchange(nullptr);
        return h != nullptr ? std::coroutine_handle<>::from_address(h) : std::coroutine_handle<>();
    }

    gate* gate_;
    link_outcome outcome_;
};

// What a task that awaited a gate saw: 1 the co_await returned, 2 it threw the link's error,
// 3 it threw weft::cancelled; then whether its domain's slot was left swept.
struct gate_report {
    std::atomic<weft::detail::cancel_domain*> domain{nullptr};
    int ended_by = 0;
    bool slot_swept = false;
};

weft::task<> await_gate(gate* g, link_outcome o, gate_report* r) {
    weft::detail::cancel_domain* d = weft::detail::tls_cancel->domain;
    r->domain.store(d);
    try {
        co_await gate_awaiter(*g, o);
        r->ended_by = 1;
    } catch (const std::runtime_error&) {
        r->ended_by = 2;
    } catch (const weft::cancelled&) {
        r->ended_by = 3;
    }
    r->slot_swept = d->root_slot.load() == weft::detail::cancel_domain::slot_swept;
    co_await weft::yield();  // a checkpoint: throws weft::cancelled in every case
}

}  // namespace

class cancellation : public weft_test::thread_counts {
protected:
    void SetUp() override { counted::reset(); }
    void TearDown() override {
        EXPECT_EQ(counted::alive(), 0);
        EXPECT_EQ(counted::double_destructions, 0);
    }
};
WEFT_TEST_AT_THREAD_COUNTS(cancellation);

TEST_P(cancellation, wakes_a_sleeping_task_at_once_and_its_await_throws_cancelled) {
    std::atomic<int> started{0}, unwound{0};
    const bool cancelled = run([](std::atomic<int>* started, std::atomic<int>* unwound) -> weft::task<bool> {
        auto h = weft::spawn(sleep_an_hour(started, unwound, counted{}));
        co_await yield_until(started, 1);
        h.cancel();
        co_return co_await throws_cancelled(std::move(h));
    }(&started, &unwound));
    EXPECT_TRUE(cancelled);
    EXPECT_EQ(unwound.load(), 1);
}

TEST_P(cancellation, of_a_task_that_has_not_started_skips_its_body) {
    std::atomic<int> started{0}, unwound{0};
    const bool cancelled = run([](std::atomic<int>* started, std::atomic<int>* unwound) -> weft::task<bool> {
        auto h = weft::spawn(sleep_an_hour(started, unwound, counted{}));
        h.cancel();
        co_return co_await throws_cancelled(std::move(h));
    }(&started, &unwound));
    EXPECT_TRUE(cancelled);
    EXPECT_EQ(started.load(), unwound.load()) << "a task that started was woken and unwound";
    if (threads() == 1) {
        EXPECT_EQ(started.load(), 0) << "one worker cannot have started it before the cancel";
    }
}

TEST_P(cancellation, of_a_finished_task_changes_nothing) {
    const int v = run([]() -> weft::task<int> {
        auto h = weft::spawn([]() -> weft::task<int> { co_return 7; }());
        while (!h.done()) co_await weft::yield();
        h.cancel();
        co_return co_await h;
    }());
    EXPECT_EQ(v, 7);
}

TEST_P(cancellation, of_an_empty_handle_is_a_logic_error) {
    weft::join_handle<int> h;
    EXPECT_THROW(h.cancel(), std::logic_error);
}

TEST_P(cancellation, is_seen_by_is_cancelled_and_stops_a_loop_at_its_checkpoint) {
    std::atomic<int> iterations{0};
    const bool cancelled = run([](std::atomic<int>* iterations) -> weft::task<bool> {
        EXPECT_FALSE(weft::is_cancelled());
        auto h = weft::spawn(spin_on_checkpoints(iterations));
        // On one worker the loop gives way at its budget, because this task is waiting.
        while (iterations->load() < 1000) co_await weft::yield();
        h.cancel();
        co_return co_await throws_cancelled(std::move(h));
    }(&iterations));
    EXPECT_TRUE(cancelled);
}

TEST_P(cancellation, is_sticky_is_cancelled_reports_it_and_every_later_checkpoint_throws) {
    std::atomic<int> started{0};
    struct seen {
        bool is_cancelled_after_catch = false;
        int checkpoints_that_threw = 0;
    };
    const seen s = run([](std::atomic<int>* started) -> weft::task<seen> {
        auto h = weft::spawn([](std::atomic<int>* started) -> weft::task<seen> {
            seen s;
            started->fetch_add(1);
            try {
                co_await weft::sleep_for(1h);
            } catch (const weft::cancelled&) {
                s.is_cancelled_after_catch = weft::is_cancelled();
            }
            // Swallowing weft::cancelled does not undo it (docs/pitfalls.md).
            try {
                co_await weft::yield();
            } catch (const weft::cancelled&) {
                ++s.checkpoints_that_threw;
            }
            try {
                co_await weft::checkpoint();
            } catch (const weft::cancelled&) {
                ++s.checkpoints_that_threw;
            }
            co_return s;
        }(started));
        co_await yield_until(started, 1);
        h.cancel();
        co_return co_await h;
    }(&started));
    EXPECT_TRUE(s.is_cancelled_after_catch);
    EXPECT_EQ(s.checkpoints_that_threw, 2);
}

TEST_P(cancellation, checkpoint_lets_a_due_timer_run_even_on_one_worker) {
    // The loop never suspends by itself; it ends only if the sleeper gets to run.
    const long spins = run([]() -> weft::task<long> {
        std::atomic<bool> woke{false};
        auto sleeper = weft::spawn([](std::atomic<bool>* woke) -> weft::task<> {
            co_await weft::sleep_for(1ms);
            woke->store(true);
        }(&woke));
        long n = 0;
        while (!woke.load()) {
            ++n;
            co_await weft::checkpoint();
        }
        co_await sleeper;
        co_return n;
    }());
    EXPECT_GT(spins, 0);
}

TEST_P(cancellation, reaches_every_child_of_a_nested_gather) {
    std::atomic<int> started{0}, unwound{0};
    const bool cancelled = run([](std::atomic<int>* started, std::atomic<int>* unwound) -> weft::task<bool> {
        auto h = weft::spawn([](std::atomic<int>* started, std::atomic<int>* unwound) -> weft::task<> {
            auto inner = [](std::atomic<int>* started, std::atomic<int>* unwound) -> weft::task<> {
                co_await weft::gather(sleep_an_hour(started, unwound, counted{}),
                                      sleep_an_hour(started, unwound, counted{}));
            };
            co_await weft::gather(sleep_an_hour(started, unwound, counted{}), inner(started, unwound),
                                  inner(started, unwound));
        }(started, unwound));
        co_await yield_until(started, 5);
        h.cancel();
        co_return co_await throws_cancelled(std::move(h));
    }(&started, &unwound));
    EXPECT_TRUE(cancelled);
    EXPECT_EQ(unwound.load(), 5);
}

TEST_P(cancellation, of_a_handle_awaiter_stops_the_wait_but_not_the_awaited_task) {
    std::atomic<int> started{0}, unwound{0};
    const int result = run([](std::atomic<int>* started, std::atomic<int>* unwound) -> weft::task<int> {
        std::atomic<bool> release{false};
        auto target = weft::spawn([](std::atomic<bool>* release) -> weft::task<int> {
            while (!release->load()) co_await weft::yield();
            co_return 42;
        }(&release));
        auto waiter = weft::spawn([](weft::join_handle<int>* target, std::atomic<int>* started) -> weft::task<int> {
            started->fetch_add(1);
            co_return co_await *target;
        }(&target, started));
        co_await yield_until(started, 1);
        waiter.cancel();
        const bool waiter_cancelled = co_await throws_cancelled(std::move(waiter));
        EXPECT_TRUE(waiter_cancelled);
        EXPECT_FALSE(target.done());
        release.store(true);
        static_cast<void>(unwound);
        co_return co_await target;  // the handle is still usable after the cancelled wait
    }(&started, &unwound));
    EXPECT_EQ(result, 42);
}

TEST_P(cancellation, racing_completion_yields_either_the_value_or_cancelled_and_leaks_nothing) {
    const int n = static_cast<int>(weft_test::scaled(2000));
    const auto [values, cancels] = run([](int n) -> weft::task<std::pair<int, int>> {
        std::vector<weft::join_handle<long>> handles;
        for (int i = 0; i < n; ++i) {
            handles.push_back(weft::spawn([](int rounds, counted c) -> weft::task<long> {
                for (int r = 0; r < rounds; ++r) co_await weft::yield();
                co_return c.id();
            }(i % 3, counted{})));
        }
        for (int i = 0; i < n; i += 2) handles[static_cast<std::size_t>(i)].cancel();
        int values = 0, cancels = 0;
        for (auto& h : handles) {
            try {
                co_await h;
                ++values;
            } catch (const weft::cancelled&) {
                ++cancels;
            }
        }
        co_return std::pair{values, cancels};
    }(n));
    EXPECT_EQ(values + cancels, n);
    EXPECT_GE(values, n / 2) << "only every other task was cancelled";
}

TEST_P(cancellation, racing_timer_wake_ups_yields_either_and_leaks_nothing) {
    const int n = static_cast<int>(weft_test::scaled(1000));
    const int ended = run([](int n) -> weft::task<int> {
        std::vector<weft::join_handle<>> handles;
        for (int i = 0; i < n; ++i) {
            handles.push_back(weft::spawn([](counted c) -> weft::task<> {
                static_cast<void>(c);
                co_await weft::sleep_for(1ms);
            }(counted{})));
        }
        co_await weft::sleep_for(1ms);
        for (auto& h : handles) h.cancel();
        int ended = 0;
        for (auto& h : handles) {
            try {
                co_await h;
            } catch (const weft::cancelled&) {
            }
            ++ended;
        }
        co_return ended;
    }(n));
    EXPECT_EQ(ended, n);
}

TEST_P(cancellation, lets_a_catch_block_await_a_cleanup_task_that_reaches_no_checkpoint) {
    std::atomic<int> started{0};
    const bool cleaned = run([](std::atomic<int>* started) -> weft::task<bool> {
        auto h = weft::spawn([](std::atomic<int>* started) -> weft::task<bool> {
            started->fetch_add(1);
            try {
                co_await weft::sleep_for(1h);
            } catch (const weft::cancelled&) {
            }
            // Awaiting a task is not a checkpoint: the cleanup runs although the task is cancelled.
            co_return co_await []() -> weft::task<bool> { co_return true; }();
        }(started));
        co_await yield_until(started, 1);
        h.cancel();
        co_return co_await h;
    }(&started));
    EXPECT_TRUE(cleaned);
}

TEST_P(cancellation, still_reaches_a_task_that_awaited_a_handle_that_had_already_finished) {
    // Awaiting a finished handle does not suspend; the task must keep its cancel node anyway,
    // or its later sleep would not be registered and cancel() could not wake it.
    std::atomic<int> started{0};
    const bool cancelled = run([](std::atomic<int>* started) -> weft::task<bool> {
        auto finished = weft::spawn([]() -> weft::task<int> { co_return 1; }());
        while (!finished.done()) co_await weft::yield();
        auto h = weft::spawn([](weft::join_handle<int> finished, std::atomic<int>* started) -> weft::task<> {
            co_await finished;  // already done: no suspension
            started->fetch_add(1);
            co_await weft::sleep_for(1h);
        }(std::move(finished), started));
        co_await yield_until(started, 1);
        h.cancel();
        co_return co_await throws_cancelled(std::move(h));
    }(&started));
    EXPECT_TRUE(cancelled);
}

TEST_P(cancellation, arriving_between_registration_and_link_waits_for_the_link_and_then_settles_the_wait) {
    for (const link_outcome o : {link_outcome::links, link_outcome::declines, link_outcome::throws}) {
        gate g;
        gate_report r;
        const bool cancelled = run([](gate* g, link_outcome o, gate_report* r) -> weft::task<bool> {
            auto h = weft::spawn(await_gate(g, o, r));
            std::atomic<bool> cancel_returned{false};
            // A plain thread cancels once the task is registered in its slot; its sweep then
            // waits for the link, which waits for the sweep's claim.
            std::thread canceller([&h, r, &cancel_returned] {
                while (r->domain.load() == nullptr) std::this_thread::yield();
                const auto& slot = r->domain.load()->root_slot;
                while (slot.load() == weft::detail::cancel_domain::slot_empty) std::this_thread::yield();
                h.cancel();
                cancel_returned.store(true);
            });
            while (!cancel_returned.load()) co_await weft::yield();
            canceller.join();
            co_return co_await throws_cancelled(std::move(h));
        }(&g, o, &r));
        EXPECT_TRUE(cancelled);
        EXPECT_TRUE(g.link_called.load());
        EXPECT_EQ(g.waiter.load(), nullptr) << "an aborted wait was unlinked";
        EXPECT_EQ(r.ended_by, o == link_outcome::links ? 3 : o == link_outcome::declines ? 1 : 2)
            << "aborted when linked; a link that needed no wait completes; a link's error propagates";
        EXPECT_TRUE(r.slot_swept);
    }
}

TEST_P(cancellation, before_a_wait_registers_keeps_the_task_from_linking_or_suspending) {
    gate g;
    gate_report r;
    struct self {
        std::atomic<const weft::join_handle<>*> handle{nullptr};
    } me;
    const bool cancelled = run([](gate* g, gate_report* r, self* me) -> weft::task<bool> {
        auto h = weft::spawn([](gate* g, gate_report* r, self* me) -> weft::task<> {
            while (me->handle.load() == nullptr) co_await weft::yield();
            me->handle.load()->cancel();  // a gate's await_ready does not check: A1 does
            co_await await_gate(g, link_outcome::links, r);
        }(g, r, me));
        me->handle = &h;
        try {
            co_await h;
        } catch (const weft::cancelled&) {
            co_return true;
        }
        co_return false;
    }(&g, &r, &me));
    EXPECT_TRUE(cancelled);
    EXPECT_FALSE(g.link_called.load());
    EXPECT_EQ(r.ended_by, 3);
    EXPECT_TRUE(r.slot_swept);
}

TEST_P(cancellation, a_task_woken_before_its_link_returned_waits_for_the_suspender_to_let_go) {
    // On several workers the woken task reaches its await_resume while the suspending thread is
    // still inside link(): it must not go on (and free the awaiter) before that thread's last
    // store. On one worker this is an ordinary wake-up.
    const int n = static_cast<int>(weft_test::scaled(200));
    const int returned = run([](int n, bool several) -> weft::task<int> {
        int returned = 0;
        for (int i = 0; i < n; ++i) {
            gate g;
            g.wait_for_resume = several;
            gate_report r;
            auto h = weft::spawn([](gate* g, gate_report* r) -> weft::task<> {
                co_await gate_awaiter(*g, link_outcome::wakes);
                r->ended_by = 1;
            }(&g, &r));
            co_await h;
            returned += r.ended_by;
        }
        co_return returned;
    }(n, threads() > 1));
    EXPECT_EQ(returned, n);
}
