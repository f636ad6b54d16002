// weft::channel<T> (include/weft/channel.hpp): FIFO order, the bounded buffer, try_send and
// try_recv, close (pending senders and receivers, buffered values), misuse, move-only values,
// handles, many producers and consumers, and the races of cancellation with a hand-off.
#include <weft/channel.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <weft/cancel.hpp>
#include <weft/event.hpp>
#include <weft/spawn.hpp>
#include <weft/runtime.hpp>
#include <weft/sleep.hpp>
#include <weft/yield.hpp>

#include "support/counted.hpp"
#include "support/event_log.hpp"
#include "support/scale.hpp"
#include "support/thread_counts.hpp"

namespace {

using weft_test::counted;

// A value that proves, through counted, that it is destroyed exactly once. Not an aggregate:
// g++ 12 destroys a member of an aggregate temporary twice when the temporary is built in a
// co_await operand (`co_await ch.send(item{p, i, counted{}})`; clang is right).
struct item {
    item(int p, int s) noexcept : producer(p), seq(s) {}
    int producer;
    int seq;
    counted c;
};

weft::task<> yield_until(const std::atomic<int>* counter, int target) {
    while (counter->load() < target) co_await weft::yield();
}

template <class T>
weft::task<bool> throws_cancelled(weft::join_handle<T> h) {
    try {
        co_await h;
    } catch (const weft::cancelled&) {
        co_return true;
    }
    co_return false;
}

weft::task<> send_range(weft::channel<int> ch, int from, int to, std::atomic<int>* sent) {
    for (int i = from; i < to; ++i) {
        co_await ch.send(i);
        sent->fetch_add(1);
    }
}

// Receives until the channel is closed and drained.
weft::task<std::vector<int>> recv_all(weft::channel<int> ch) {
    std::vector<int> out;
    while (std::optional<int> v = co_await ch.recv()) out.push_back(*v);
    co_return out;
}

// Counts itself in `arrived`, then sends; logs `id` if the send threw channel_closed.
weft::task<> send_expecting_close(weft::channel<counted> ch, std::atomic<int>* arrived,
                                  weft_test::event_log<int>* closed, int id) {
    arrived->fetch_add(1);
    try {
        co_await ch.send(counted{});
    } catch (const weft::channel_closed&) {
        closed->add(id);
    }
}

using recv_log = weft_test::event_log<std::pair<int, int>>;

// Counts itself in `arrived`, then receives once; logs {id, the value} (-1 for nullopt).
weft::task<> recv_once(weft::channel<int> ch, std::atomic<int>* arrived, recv_log* log, int id = 0) {
    arrived->fetch_add(1);
    std::optional<int> v = co_await ch.recv();
    log->add({id, v ? *v : -1});
}

// Busy-waits `n` rounds: jitter between two racing steps.
void spin(int n) {
    std::atomic<int> sink{0};
    // relaxed: only a delay; nothing is ordered by it.
    for (int i = 0; i < n; ++i) sink.fetch_add(1, std::memory_order_relaxed);
}

// A plain thread that cancels `h` `jitter` rounds after construction returns, racing with
// whatever the constructing task does next; the destructor joins it. A thread rather than a
// task, so that the race is real on one worker too and does not depend on work stealing.
class canceller {
public:
    template <class T>
    canceller(const weft::join_handle<T>& h, int jitter)
        : thread_([this, &h, jitter] {
              ready_.store(true);
              while (!go_.load()) {
              }
              spin(jitter);
              h.cancel();
          }) {
        while (!ready_.load()) std::this_thread::yield();  // let the new thread have a core
        go_.store(true);
    }
    canceller(const canceller&) = delete;
    canceller& operator=(const canceller&) = delete;
    ~canceller() { thread_.join(); }

private:
    std::atomic<bool> ready_{false};
    std::atomic<bool> go_{false};
    std::thread thread_;
};

template <class T>
weft::task<bool> throws_cancelled_ref(weft::join_handle<T>* h) {
    try {
        co_await *h;
    } catch (const weft::cancelled&) {
        co_return true;
    }
    co_return false;
}

weft::task<> produce_items(weft::channel<item> ch, int producer, int n) {
    for (int i = 0; i < n; ++i) co_await ch.send(item(producer, i));
}

weft::task<std::vector<std::pair<int, int>>> consume_items(weft::channel<item> ch) {
    std::vector<std::pair<int, int>> got;
    while (std::optional<item> v = co_await ch.recv()) got.emplace_back(v->producer, v->seq);
    co_return got;
}

// Cancels `h` from a plain thread once started, `jitter` rounds after the constructing task
// next runs, while that task goes on (yielding: on one worker the cancelled tasks run only
// then); wait() yields until the cancel returned, then joins.
class background_cancel {
public:
    template <class T>
    background_cancel(const weft::join_handle<T>& h, int jitter)
        : thread_([this, &h, jitter] {
              spin(jitter);
              h.cancel();
              done_.store(true);
          }) {}
    background_cancel(const background_cancel&) = delete;
    background_cancel& operator=(const background_cancel&) = delete;
    ~background_cancel() {
        if (thread_.joinable()) thread_.join();
    }
    weft::task<> wait() {
        while (!done_.load()) co_await weft::yield();
        thread_.join();
    }

private:
    std::atomic<bool> done_{false};
    std::thread thread_;
};

// One side of a ping-pong that counts what went through: `in` counts the values received,
// `out` the sends that completed. The player (echo == false) sends first, the echo answers.
struct pong_counts {
    std::atomic<int> in{0};
    std::atomic<int> out{0};
};

weft::task<> pong_side(weft::channel<int> in, weft::channel<int> out, pong_counts* n, bool echo, int rounds) {
    try {
        for (int k = 0; k < rounds; ++k) {
            if (!echo) {
                co_await out.send(k);
                n->out.fetch_add(1);
            }
            const std::optional<int> v = co_await in.recv();
            if (!v) co_return;
            n->in.fetch_add(1);
            if (echo) {
                co_await out.send(*v);
                n->out.fetch_add(1);
            }
        }
    } catch (const weft::channel_closed&) {
    }
}

// Hands a value to `out` and waits for the answer on `in` until `stop` is set; `started` is set
// after the first round trip. Returns the round trips made. On one worker every hand-off wakes
// the other side into the worker's LIFO slot (worker_context.hpp).
weft::task<int> rally_until(weft::channel<int> out, weft::channel<int> in, weft::event* started,
                            const std::atomic<bool>* stop) {
    int rounds = 0;
    while (!stop->load()) {
        co_await out.send(rounds);
        (void)co_await in.recv();
        if (++rounds == 1) started->set();
    }
    out.close();
    co_return rounds;
}

weft::task<> echo_until_closed(weft::channel<int> in, weft::channel<int> out) {
    while (std::optional<int> v = co_await in.recv()) co_await out.send(*v);
}

weft::task<> stop_once_started(weft::event* started, std::atomic<bool>* stop) {
    co_await started->wait();
    stop->store(true);
}

weft::task<> stop_after_a_millisecond(weft::event*, std::atomic<bool>* stop) {
    co_await weft::sleep_for(std::chrono::milliseconds(1));
    stop->store(true);
}

// A rally beside a spawned `stopper` that ends it; returns the rally's round trips.
weft::task<int> rally_beside(weft::task<> (*stopper)(weft::event*, std::atomic<bool>*), std::atomic<bool>* stop) {
    weft::channel<int> ping{1}, pong{1};
    weft::event started;
    auto echo = weft::spawn(echo_until_closed(ping, pong));
    auto stopping = weft::spawn(stopper(&started, stop));
    const int rounds = co_await rally_until(ping, pong, &started, stop);
    co_await stopping;
    co_await echo;
    co_return rounds;
}

int drain(weft::channel<int>& ch) {
    int n = 0;
    while (ch.try_recv()) ++n;
    return n;
}

}  // namespace

class channel : public weft_test::thread_counts {
protected:
    void SetUp() override { counted::reset(); }
    void TearDown() override {
        EXPECT_EQ(counted::alive(), 0) << "every value is destroyed exactly once";
        EXPECT_EQ(counted::double_destructions, 0);
    }
};
WEFT_TEST_AT_THREAD_COUNTS(channel);

TEST_P(channel, delivers_values_in_the_order_they_were_sent) {
    const int n = static_cast<int>(weft_test::scaled(20000));
    weft::channel<int> ch{3};
    std::atomic<int> sent{0};
    const std::vector<int> got = run([](weft::channel<int> ch, int n, std::atomic<int>* sent)
                                         -> weft::task<std::vector<int>> {
        auto producer = weft::spawn(send_range(ch, 0, n, sent));
        auto consumer = weft::spawn(recv_all(ch));
        co_await producer;
        ch.close();
        co_return co_await consumer;
    }(ch, n, &sent));
    std::vector<int> expected(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) expected[static_cast<std::size_t>(i)] = i;
    EXPECT_EQ(got, expected);
}

TEST_P(channel, a_send_waits_while_the_buffer_is_full) {
    weft::channel<int> ch{2};
    std::atomic<int> sent{0};
    run([](weft::channel<int> ch, std::atomic<int>* sent) -> weft::task<> {
        auto producer = weft::spawn(send_range(ch, 0, 3, sent));
        co_await yield_until(sent, 2);
        // Nobody receives, so the third send cannot complete however long we look.
        for (int i = 0; i < 100; ++i) co_await weft::yield();
        EXPECT_EQ(sent->load(), 2);
        EXPECT_EQ(ch.size(), 2U);
        EXPECT_FALSE(producer.done());
        EXPECT_FALSE(ch.try_send(7)) << "full: try_send refuses";
        EXPECT_EQ(co_await ch.recv(), std::optional<int>(0));
        co_await producer;  // the freed slot let the third send through
        EXPECT_EQ(sent->load(), 3);
        EXPECT_EQ(ch.try_recv(), std::optional<int>(1));
        EXPECT_EQ(ch.try_recv(), std::optional<int>(2));
        EXPECT_EQ(ch.try_recv(), std::nullopt);
    }(ch, &sent));
}

TEST_P(channel, waiting_senders_and_receivers_are_served_in_arrival_order) {
    constexpr int waiters = 6;
    weft::channel<int> ch{1};
    std::atomic<int> arrived{0};
    recv_log log;
    std::vector<int> got = run([](weft::channel<int> ch, std::atomic<int>* arrived,
                                  recv_log* log) -> weft::task<std::vector<int>> {
        // Receivers queue on the empty channel, then get 0..5 in the order they queued.
        std::vector<weft::join_handle<>> receivers;
        for (int i = 0; i < waiters; ++i) {
            receivers.push_back(weft::spawn(recv_once(ch, arrived, log, i)));
            co_await yield_until(arrived, i + 1);
        }
        for (int i = 0; i < waiters; ++i) co_await ch.send(i);
        for (auto& h : receivers) co_await h;
        // Senders queue on the full channel; the buffered value comes out first, then theirs.
        std::atomic<int> sent{0};
        co_await ch.send(100);
        std::vector<weft::join_handle<>> senders;
        for (int i = 0; i < waiters; ++i) {
            senders.push_back(weft::spawn(send_range(ch, 101 + i, 102 + i, &sent)));
            for (int k = 0; k < 10; ++k) co_await weft::yield();
        }
        std::vector<int> got;
        for (int i = 0; i <= waiters; ++i) got.push_back(*co_await ch.recv());
        for (auto& h : senders) co_await h;
        co_return got;
    }(ch, &arrived, &log));
    std::vector<std::pair<int, int>> handed = log.events();  // {receiver, value}
    std::sort(handed.begin(), handed.end());
    const std::vector<std::pair<int, int>> expected_handed{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}};
    std::vector<int> expected_got{100, 101, 102, 103, 104, 105, 106};
    if (threads() == 1) {
        EXPECT_EQ(handed, expected_handed) << "one worker: each task queued before the next was spawned";
        EXPECT_EQ(got, expected_got);
    } else {
        std::vector<int> values;
        for (auto [receiver, v] : handed) values.push_back(v);
        std::sort(values.begin(), values.end());
        EXPECT_EQ(values, (std::vector<int>{0, 1, 2, 3, 4, 5}));
        EXPECT_EQ(got.front(), 100);
        std::sort(got.begin(), got.end());
        EXPECT_EQ(got, expected_got);
    }
}

TEST_P(channel, try_send_and_try_recv_never_wait) {
    weft::channel<int> ch{2};
    EXPECT_EQ(ch.capacity(), 2U);
    EXPECT_EQ(ch.try_recv(), std::nullopt);
    EXPECT_TRUE(ch.try_send(1));
    const int two = 2;
    EXPECT_TRUE(ch.try_send(two));
    EXPECT_FALSE(ch.try_send(3));
    EXPECT_EQ(ch.size(), 2U);
    EXPECT_EQ(ch.try_recv(), std::optional<int>(1));
    EXPECT_EQ(ch.try_recv(), std::optional<int>(2));
    EXPECT_EQ(ch.try_recv(), std::nullopt);
    // A try_send hands its value straight to a waiting receiver.
    const int got = run([](weft::channel<int> ch) -> weft::task<int> {
        std::atomic<int> arrived{0};
        recv_log log;
        auto receiver = weft::spawn(recv_once(ch, &arrived, &log));
        co_await yield_until(&arrived, 1);
        while (!ch.try_send(42)) co_await weft::yield();
        co_await receiver;
        co_return log.events().at(0).second;
    }(ch));
    EXPECT_EQ(got, 42);
    EXPECT_EQ(ch.size(), 0U);
}

TEST_P(channel, close_wakes_waiting_senders_with_channel_closed_and_drops_their_values) {
    constexpr int senders = 4;
    weft::channel<counted> ch{1};
    std::atomic<int> arrived{0};
    weft_test::event_log<int> closed;
    const long buffered_id = run([](weft::channel<counted> ch, std::atomic<int>* arrived,
                                    weft_test::event_log<int>* closed) -> weft::task<long> {
        co_await ch.send(counted{});  // fills the buffer
        std::vector<weft::join_handle<>> handles;
        for (int i = 0; i < senders; ++i) handles.push_back(weft::spawn(send_expecting_close(ch, arrived, closed, i)));
        co_await yield_until(arrived, senders);
        co_await weft::yield();
        ch.close();
        for (auto& h : handles) co_await h;
        std::optional<counted> v = co_await ch.recv();
        EXPECT_EQ(co_await ch.recv(), std::nullopt) << "closed and drained";
        co_return v ? v->id() : -1;
    }(ch, &arrived, &closed));
    EXPECT_EQ(buffered_id, 0) << "the value buffered before close is still received";
    EXPECT_EQ(closed.events().size(), std::size_t{senders});
    EXPECT_TRUE(ch.is_closed());
    EXPECT_EQ(ch.size(), 0U) << "no waiting sender's value was enqueued";
}

TEST_P(channel, close_wakes_waiting_receivers_with_nullopt_once_drained) {
    constexpr int receivers = 4;
    weft::channel<int> ch{4};
    std::atomic<int> arrived{0};
    recv_log log;
    std::thread closer;
    run([](weft::channel<int> ch, std::atomic<int>* arrived, recv_log* log,
           std::thread* closer) -> weft::task<> {
        std::vector<weft::join_handle<>> handles;
        for (int i = 0; i < receivers; ++i) handles.push_back(weft::spawn(recv_once(ch, arrived, log)));
        co_await yield_until(arrived, receivers);
        co_await ch.send(7);
        *closer = std::thread([ch]() mutable { ch.close(); });  // close works on any thread
        for (auto& h : handles) co_await h;
    }(ch, &arrived, &log, &closer));
    closer.join();
    std::vector<int> got;
    for (auto [receiver, v] : log.events()) got.push_back(v);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<int>{-1, -1, -1, 7}));
}

TEST_P(channel, values_buffered_before_close_are_received_and_later_sends_throw) {
    weft::channel<counted> ch{4};
    const std::vector<long> ids = run([](weft::channel<counted> ch) -> weft::task<std::vector<long>> {
        for (int i = 0; i < 3; ++i) co_await ch.send(counted{});
        ch.close();
        ch.close();  // idempotent
        counted late;
        EXPECT_THROW(co_await ch.send(late), weft::channel_closed);
        EXPECT_THROW(co_await ch.send(counted{}), weft::channel_closed);
        EXPECT_THROW(ch.try_send(counted{}), weft::channel_closed);
        std::vector<long> ids;
        while (std::optional<counted> v = co_await ch.recv()) ids.push_back(v->id());
        EXPECT_EQ(co_await ch.recv(), std::nullopt) << "stays drained";
        EXPECT_EQ(ch.try_recv(), std::nullopt);
        co_return ids;
    }(ch));
    EXPECT_EQ(ids, (std::vector<long>{0, 1, 2}));
}

TEST_P(channel, rejects_capacity_zero_and_an_await_off_the_runtime) {
    EXPECT_THROW(weft::channel<int>{0}, std::invalid_argument);
    weft::channel<int> ch{1};
    // This test's thread is not a worker: awaiting here is a logic error (try_* are fine).
    auto recv = ch.recv();
    EXPECT_THROW(static_cast<void>(recv.await_ready()), std::logic_error);
    int one = 1;
    auto send = ch.send(std::move(one));
    EXPECT_THROW(static_cast<void>(send.await_ready()), std::logic_error);
    EXPECT_EQ(ch.size(), 0U);
}

TEST_P(channel, carries_move_only_values_and_a_failed_send_keeps_the_callers_value) {
    weft::channel<std::unique_ptr<counted>> ch{1};
    run([](weft::channel<std::unique_ptr<counted>> ch) -> weft::task<> {
        auto p = std::make_unique<counted>();
        co_await ch.send(std::move(p));
        EXPECT_EQ(p, nullptr) << "a completed send takes the value";
        auto q = std::make_unique<counted>();
        EXPECT_FALSE(ch.try_send(std::move(q)));
        EXPECT_NE(q, nullptr) << "a refused try_send leaves it";
        std::optional<std::unique_ptr<counted>> got = co_await ch.recv();
        EXPECT_TRUE(got && *got);
        ch.close();
        EXPECT_THROW(co_await ch.send(std::move(q)), weft::channel_closed);
        EXPECT_NE(q, nullptr) << "a send that threw leaves it";
    }(ch));
}

TEST_P(channel, handles_share_one_queue_which_destroys_what_it_still_holds) {
    {
        weft::channel<counted> a{8};
        weft::channel<counted> b = a;
        weft::channel<counted> c{1};
        EXPECT_TRUE(a == b);
        EXPECT_FALSE(a == c);
        c = b;
        EXPECT_TRUE(a == c);
        weft::channel<counted> d = std::move(c);
        EXPECT_TRUE(d == a);
        EXPECT_TRUE(b.try_send(counted{}));
        EXPECT_TRUE(d.try_send(counted{}));
        EXPECT_EQ(a.size(), 2U);
        EXPECT_TRUE(a.try_recv().has_value());
        // One value left in the buffer when the last handle goes.
    }
    EXPECT_EQ(counted::alive(), 0);
}

TEST_P(channel, many_producers_and_consumers_deliver_every_value_exactly_once) {
    constexpr int producers = 4;
    constexpr int consumers = 4;
    const int per_producer = static_cast<int>(weft_test::scaled(20000));
    weft::channel<item> ch{8};
    const auto got = run([](weft::channel<item> ch, int per_producer)
                             -> weft::task<std::vector<std::vector<std::pair<int, int>>>> {
        std::vector<weft::join_handle<std::vector<std::pair<int, int>>>> cs;
        for (int i = 0; i < consumers; ++i) cs.push_back(weft::spawn(consume_items(ch)));
        std::vector<weft::join_handle<>> ps;
        for (int i = 0; i < producers; ++i) ps.push_back(weft::spawn(produce_items(ch, i, per_producer)));
        for (auto& h : ps) co_await h;
        ch.close();
        std::vector<std::vector<std::pair<int, int>>> got;
        for (auto& h : cs) got.push_back(co_await h);
        co_return got;
    }(ch, per_producer));
    std::vector<std::pair<int, int>> all;
    for (const auto& per_consumer : got) {
        // Each consumer sees each producer's values in the order they were sent.
        std::vector<int> last(producers, -1);
        for (auto [p, seq] : per_consumer) {
            EXPECT_GT(seq, last[static_cast<std::size_t>(p)]);
            last[static_cast<std::size_t>(p)] = seq;
        }
        all.insert(all.end(), per_consumer.begin(), per_consumer.end());
    }
    std::sort(all.begin(), all.end());
    std::vector<std::pair<int, int>> expected;
    for (int p = 0; p < producers; ++p)
        for (int i = 0; i < per_producer; ++i) expected.emplace_back(p, i);
    EXPECT_EQ(all, expected) << "the multiset received equals the multiset sent";
}

TEST_P(channel, passing_values_back_and_forth_loses_no_wake_up) {
    const int rounds = static_cast<int>(weft_test::scaled(50000));
    weft::channel<int> ping{1}, pong{1};
    const int last = run([](weft::channel<int> ping, weft::channel<int> pong, int rounds) -> weft::task<int> {
        auto echo = weft::spawn([](weft::channel<int> in, weft::channel<int> out) -> weft::task<> {
            while (std::optional<int> v = co_await in.recv()) co_await out.send(*v + 1);
        }(ping, pong));
        int v = 0;
        for (int i = 0; i < rounds; ++i) {
            co_await ping.send(v);
            v = *co_await pong.recv() + 1;
        }
        ping.close();
        co_await echo;
        co_return v;
    }(ping, pong, rounds));
    EXPECT_EQ(last, 2 * rounds);
}

TEST_P(channel, a_cancelled_waiting_receiver_throws_at_once_and_the_value_stays_for_the_next) {
    weft::channel<int> ch{1};
    std::atomic<int> arrived{0};
    recv_log log;
    const bool threw = run([](weft::channel<int> ch, std::atomic<int>* arrived, recv_log* log) -> weft::task<bool> {
        auto receiver = weft::spawn(recv_once(ch, arrived, log));
        co_await yield_until(arrived, 1);
        receiver.cancel();
        // Nothing was sent: its await can only end by throwing.
        const bool threw = co_await throws_cancelled(std::move(receiver));
        co_await ch.send(5);
        EXPECT_EQ(ch.try_recv(), std::optional<int>(5));
        co_return threw;
    }(ch, &arrived, &log));
    EXPECT_TRUE(threw);
    EXPECT_TRUE(log.events().empty());
}

TEST_P(channel, tasks_still_waiting_at_shutdown_are_cancelled_and_leave_the_channel_usable) {
    weft::channel<counted> full{1}, empty{1};
    EXPECT_TRUE(full.try_send(counted{}));
    std::atomic<int> arrived{0}, unwound{0};
    {
        weft::runtime rt({.threads = threads()});
        auto wait_on = [](weft::channel<counted> ch, bool sending, std::atomic<int>* arrived,
                          std::atomic<int>* unwound) -> weft::task<> {
            arrived->fetch_add(1);
            try {
                if (sending) co_await ch.send(counted{});
                else static_cast<void>(co_await ch.recv());
            } catch (const weft::cancelled&) {
                unwound->fetch_add(1);
                throw;
            }
        };
        for (int i = 0; i < 3; ++i) {
            rt.spawn(wait_on(full, true, &arrived, &unwound));  // detached
            rt.spawn(wait_on(empty, false, &arrived, &unwound));
        }
        rt.block_on(yield_until(&arrived, 6));
    }  // shutdown cancels the waiters; they unwind and leave the channels' queues
    EXPECT_EQ(unwound.load(), 6);
    EXPECT_EQ(full.size(), 1U) << "no cancelled sender's value was enqueued";
    EXPECT_TRUE(empty.try_send(counted{})) << "buffered: no receiver is left to hand it to";
    EXPECT_EQ(empty.size(), 1U);
    full.close();
    empty.close();
}

TEST_P(channel, send_and_recv_are_checkpoints_even_when_they_need_not_wait) {
    weft::channel<int> ch{4};
    ch.try_send(1);
    struct self {
        std::atomic<const weft::join_handle<int>*> handle{nullptr};
    } me;
    // The task cancels itself, then tries a send (room) and a recv (a value buffered).
    auto body = [](weft::channel<int> ch, self* me, bool sending) -> weft::task<int> {
        while (me->handle.load() == nullptr) co_await weft::yield();
        me->handle.load()->cancel();
        if (sending) co_await ch.send(2);
        else static_cast<void>(co_await ch.recv());
        co_return 1;
    };
    const int cancelled = run([](weft::channel<int> ch, self* me, decltype(body) body) -> weft::task<int> {
        int cancelled = 0;
        for (bool sending : {true, false}) {
            me->handle = nullptr;
            auto h = weft::spawn(body(ch, me, sending));
            me->handle = &h;
            cancelled += co_await throws_cancelled_ref(&h) ? 1 : 0;
        }
        co_return cancelled;
    }(ch, &me, body));
    EXPECT_EQ(cancelled, 2);
    EXPECT_EQ(ch.try_recv(), std::optional<int>(1)) << "neither the send nor the recv happened";
    EXPECT_EQ(ch.try_recv(), std::nullopt);
}

TEST_P(channel, a_receiver_cancelled_as_a_value_is_handed_to_it_loses_nothing) {
    // Both orders, deterministically, then real races with a canceller thread (each costs a
    // thread start, so fewer).
    const int ordered = static_cast<int>(weft_test::scaled(2000));
    const int iterations = ordered + static_cast<int>(weft_test::scaled(500));
    struct totals {
        int received = 0;
        int left_in_channel = 0;
        int lost_or_duplicated = 0;
    };
    const totals t = run([](int ordered, int iterations) -> weft::task<totals> {
        totals t;
        for (int i = 0; i < iterations; ++i) {
            weft::channel<int> ch{1};
            std::atomic<int> arrived{0};
            recv_log log;
            auto receiver = weft::spawn(recv_once(ch, &arrived, &log));
            co_await yield_until(&arrived, 1);
            if (i % 4 == 0) co_await weft::yield();
            switch (i < ordered ? i % 2 : 2) {
            case 0:  // handed over, then cancelled before it runs: completed wins
                co_await ch.send(i);
                receiver.cancel();
                break;
            case 1:  // cancelled while waiting (on one worker), then sent: the value stays
                receiver.cancel();
                EXPECT_TRUE(ch.try_send(i));
                break;
            default: {  // another thread cancels while this task sends
                canceller c(receiver, i % 7 * 13);
                spin(i % 499);
                if (i % 2 == 0) co_await ch.send(i);  // room or a receiver: it does not wait
                else EXPECT_TRUE(ch.try_send(i));
            }
            }
            co_await throws_cancelled(std::move(receiver));
            const std::vector<std::pair<int, int>> received = log.events();
            const std::optional<int> left = ch.try_recv();
            const int copies = static_cast<int>(std::count(received.begin(), received.end(), std::pair{0, i})) +
                               (left == i ? 1 : 0);
            if (copies != 1 || received.size() > 1) ++t.lost_or_duplicated;
            if (left) ++t.left_in_channel;
            else ++t.received;
        }
        co_return t;
    }(ordered, iterations));
    EXPECT_EQ(t.lost_or_duplicated, 0) << "every value is received exactly once or stays in the channel";
    EXPECT_EQ(t.received + t.left_in_channel, iterations);
    RecordProperty("received", t.received);
    RecordProperty("left_in_channel", t.left_in_channel);
}

TEST_P(channel, a_cancelled_sender_enqueues_its_value_only_if_its_send_completed) {
    // Both orders, deterministically, then real races with a canceller thread (each costs a
    // thread start, so fewer).
    const int ordered = static_cast<int>(weft_test::scaled(2000));
    const int iterations = ordered + static_cast<int>(weft_test::scaled(500));
    struct totals {
        int completed = 0;
        int cancelled = 0;
        int mismatched = 0;
    };
    const totals t = run([](int ordered, int iterations) -> weft::task<totals> {
        totals t;
        for (int i = 0; i < iterations; ++i) {
            weft::channel<std::unique_ptr<int>> ch{1};
            EXPECT_TRUE(ch.try_send(std::make_unique<int>(-1)));  // full
            std::atomic<int> arrived{0};
            std::atomic<int> kept{0};
            auto sender = weft::spawn([](weft::channel<std::unique_ptr<int>> ch, std::atomic<int>* arrived,
                                         std::atomic<int>* kept, int i) -> weft::task<> {
                auto p = std::make_unique<int>(i);
                arrived->store(1);
                try {
                    co_await ch.send(std::move(p));
                } catch (const weft::cancelled&) {
                    if (p != nullptr && *p == i) kept->store(1);  // not moved from
                    throw;
                }
            }(ch, &arrived, &kept, i));
            co_await yield_until(&arrived, 1);
            if (i % 4 == 0) co_await weft::yield();
            std::optional<std::unique_ptr<int>> filler;  // taking it may pull the sender's value in
            switch (i < ordered ? i % 2 : 2) {
            case 0:  // its value taken, then cancelled before it runs: completed wins
                filler = ch.try_recv();
                sender.cancel();
                break;
            case 1:  // cancelled while waiting (on one worker): its value is not enqueued
                sender.cancel();
                filler = ch.try_recv();
                break;
            default: {  // another thread cancels while this task receives
                canceller c(sender, i % 7 * 13);
                spin(i % 499);
                filler = ch.try_recv();
            }
            }
            const bool was_cancelled = co_await throws_cancelled(std::move(sender));
            const std::optional<std::unique_ptr<int>> left = ch.try_recv();
            const bool enqueued = left && *left && **left == i;
            if (!filler || **filler != -1 || enqueued == was_cancelled || (was_cancelled && kept.load() != 1))
                ++t.mismatched;
            ++(was_cancelled ? t.cancelled : t.completed);
        }
        co_return t;
    }(ordered, iterations));
    EXPECT_EQ(t.mismatched, 0) << "enqueued exactly when the send completed; a cancelled send keeps its value";
    EXPECT_EQ(t.completed + t.cancelled, iterations);
    RecordProperty("completed", t.completed);
    RecordProperty("cancelled", t.cancelled);
}

TEST_P(channel, cancel_racing_a_ping_pong_at_any_point_loses_no_value_and_ends_both_tasks) {
    // Every wait here registers in its task's slot (cancel_tree.hpp, protocol A): the cancel
    // lands before a registration, between registering and linking, on a linked waiter, or as
    // a transfer completes it; sometimes on the echo (a receiver first), sometimes on the player.
    const int iterations = static_cast<int>(weft_test::scaled(400));
    const int mismatches = run([](int iterations) -> weft::task<int> {
        int mismatches = 0;
        for (int i = 0; i < iterations; ++i) {
            weft::channel<int> ping{1}, pong{1};
            pong_counts player_n, echo_n;
            auto echo = weft::spawn(pong_side(ping, pong, &echo_n, true, 1 << 30));
            auto player = weft::spawn(pong_side(pong, ping, &player_n, false, 1 << 30));
            const bool cancel_echo = i % 2 == 0;
            background_cancel c(cancel_echo ? echo : player, i % 61 * 37);
            co_await c.wait();
            co_await throws_cancelled(std::move(cancel_echo ? echo : player));
            ping.close();
            pong.close();
            co_await (cancel_echo ? player : echo);
            const int in_ping = drain(ping), in_pong = drain(pong);
            if (player_n.out.load() != echo_n.in.load() + in_ping) ++mismatches;
            if (echo_n.out.load() != player_n.in.load() + in_pong) ++mismatches;
        }
        co_return mismatches;
    }(iterations));
    EXPECT_EQ(mismatches, 0) << "every completed send was received exactly once or stayed in its channel";
}

TEST_P(channel, two_tasks_handing_values_back_and_forth_do_not_starve_a_task_woken_beside_them) {
    // The stopper is woken onto the worker's deque while the rally runs; on one worker only the
    // LIFO slot's bound (scheduler::next_task) lets it run, and a starved stopper never returns.
    std::atomic<bool> stop{false};
    EXPECT_GE(run(rally_beside(stop_once_started, &stop)), 1);
}

TEST_P(channel, a_timer_fires_while_two_tasks_hand_values_back_and_forth) {
    // The timer's wake-up goes to the shared queue, which the slot's bound lets through.
    std::atomic<bool> stop{false};
    EXPECT_GE(run(rally_beside(stop_after_a_millisecond, &stop)), 1);
}
