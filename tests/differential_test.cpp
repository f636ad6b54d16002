// Differential test: random programs built from spawn, gather (tuple and vector), yield, short
// sleeps, timeouts (some that fire, some that do not), a shared weft::mutex and channel pipelines
// compute a checksum that combines every child's result in order. Whatever the thread count and
// however the children were scheduled, stolen or interleaved, the checksum must equal that of a
// plain recursive evaluation of the same program -- and the sum the locked nodes accumulate under
// the mutex must be exact.
#include <chrono>
#include <optional>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <weft/channel.hpp>
#include <weft/gather.hpp>
#include <weft/mutex.hpp>
#include <weft/timeout.hpp>
#include <weft/spawn.hpp>
#include <weft/runtime.hpp>
#include <weft/sleep.hpp>
#include <weft/yield.hpp>

namespace {

enum class op : std::uint8_t {
    leaf,
    spawn,
    gather2,
    gather3,
    gather_vector,
    yield,
    sleep,
    timeout_in_time,   // timeout(1h, child): the child's result
    timeout_expires,   // try_timeout(1ms, an hour's sleep): nullopt, then the child
    locked,            // adds its value to the shared sum under the mutex, then the child
    channel_pipeline,  // a spawned producer sends the children's results through a channel
};

struct node {
    op kind = op::leaf;
    std::uint64_t value = 0;
    std::chrono::microseconds pause{0};  // for op::sleep: 0 to 2 ms
    std::size_t capacity = 1;            // for op::channel_pipeline: 1 to 3
    std::vector<std::size_t> children;
};

// A random program: nodes[0] is the root; a node's children come after it.
struct program {
    std::vector<node> nodes;
};

std::uint64_t combine(std::uint64_t h, std::uint64_t x) {
    return h ^ (x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

class generator {
public:
    explicit generator(std::uint64_t seed) : rng_(seed) {}

    program make() {
        program p;
        add(p, 0);
        return p;
    }

private:
    static constexpr int max_depth = 7;
    static constexpr std::size_t max_nodes = 400;

    std::size_t add(program& p, int depth) {
        const std::size_t index = p.nodes.size();
        p.nodes.emplace_back();
        node n;
        n.value = rng_();
        // The root fans out to 8 children, so that every program has work to spread.
        if (depth == 0) n.kind = op::gather_vector;
        else if (depth >= max_depth || p.nodes.size() >= max_nodes) n.kind = op::leaf;
        else n.kind = pick();
        std::size_t arity = 0;
        switch (n.kind) {
            case op::leaf:
                break;
            case op::spawn:
            case op::yield:
            case op::timeout_in_time:
            case op::timeout_expires:
            case op::locked:
                arity = 1;
                break;
            case op::channel_pipeline:
                arity = std::uniform_int_distribution<std::size_t>(1, 5)(rng_);
                n.capacity = std::uniform_int_distribution<std::size_t>(1, 3)(rng_);
                break;
            case op::sleep:
                arity = 1;
                n.pause = std::chrono::microseconds(std::uniform_int_distribution<int>(0, 2000)(rng_));
                break;
            case op::gather2:
                arity = 2;
                break;
            case op::gather3:
                arity = 3;
                break;
            case op::gather_vector:
                arity = depth == 0 ? 8 : std::uniform_int_distribution<std::size_t>(0, 6)(rng_);
                break;
        }
        for (std::size_t i = 0; i < arity; ++i) n.children.push_back(add(p, depth + 1));
        p.nodes[index] = std::move(n);
        return index;
    }

    op pick() {
        // Mostly fan-out, so that programs are wide; sleeps rare, so that they stay fast.
        const int r = std::uniform_int_distribution<int>(0, 99)(rng_);
        if (r < 10) return op::leaf;
        if (r < 24) return op::spawn;
        if (r < 36) return op::gather2;
        if (r < 48) return op::gather3;
        if (r < 64) return op::gather_vector;
        if (r < 72) return op::yield;
        if (r < 76) return op::sleep;
        if (r < 82) return op::timeout_in_time;
        if (r < 85) return op::timeout_expires;
        if (r < 94) return op::locked;
        return op::channel_pipeline;
    }

    std::mt19937_64 rng_;
};

std::uint64_t reference(const program& p, std::size_t index) {
    const node& n = p.nodes[index];
    std::uint64_t h = combine(n.value, static_cast<std::uint64_t>(n.kind));
    if (n.kind == op::timeout_expires) h = combine(h, 1);
    for (std::size_t child : n.children) h = combine(h, reference(p, child));
    return h;
}

// The sum every op::locked node adds under the mutex.
std::uint64_t reference_locked_sum(const program& p) {
    std::uint64_t sum = 0;
    for (const node& n : p.nodes)
        if (n.kind == op::locked) sum += n.value;
    return sum;
}

// What the nodes share while a program runs.
struct shared_state {
    weft::mutex mutex;
    std::uint64_t locked_sum = 0;  // guarded by mutex
};

weft::task<> sleep_an_hour() { co_await weft::sleep_for(std::chrono::hours(1)); }

weft::task<std::uint64_t> evaluate(const program* p, std::size_t index, shared_state* shared);

weft::task<> produce(const program* p, std::vector<std::size_t> children, shared_state* shared,
                     weft::channel<std::uint64_t> out) {
    for (std::size_t child : children) co_await out.send(co_await evaluate(p, child, shared));
    out.close();
}

weft::task<std::uint64_t> evaluate(const program* p, std::size_t index, shared_state* shared) {
    const node& n = p->nodes[index];
    std::uint64_t h = combine(n.value, static_cast<std::uint64_t>(n.kind));
    switch (n.kind) {
        case op::leaf:
            break;
        case op::spawn: {
            weft::join_handle<std::uint64_t> child = weft::spawn(evaluate(p, n.children[0], shared));
            co_await weft::yield();
            h = combine(h, co_await child);
            break;
        }
        case op::gather2: {
            auto [a, b] = co_await weft::gather(evaluate(p, n.children[0], shared), evaluate(p, n.children[1], shared));
            h = combine(combine(h, a), b);
            break;
        }
        case op::gather3: {
            auto [a, b, c] = co_await weft::gather(evaluate(p, n.children[0], shared), evaluate(p, n.children[1], shared),
                                                   evaluate(p, n.children[2], shared));
            h = combine(combine(combine(h, a), b), c);
            break;
        }
        case op::gather_vector: {
            std::vector<weft::task<std::uint64_t>> children;
            for (std::size_t child : n.children) children.push_back(evaluate(p, child, shared));
            for (std::uint64_t r : co_await weft::gather(std::move(children))) h = combine(h, r);
            break;
        }
        case op::yield:
            co_await weft::yield();
            h = combine(h, co_await evaluate(p, n.children[0], shared));
            break;
        case op::sleep:
            co_await weft::sleep_for(n.pause);
            h = combine(h, co_await evaluate(p, n.children[0], shared));
            break;
        case op::timeout_in_time:
            h = combine(h, co_await weft::timeout(std::chrono::hours(1), evaluate(p, n.children[0], shared)));
            break;
        case op::timeout_expires: {
            const bool finished = co_await weft::try_timeout(std::chrono::milliseconds(1), sleep_an_hour());
            h = combine(h, finished ? 0 : 1);
            h = combine(h, co_await evaluate(p, n.children[0], shared));
            break;
        }
        case op::locked: {
            {
                auto guard = co_await shared->mutex.lock();
                shared->locked_sum += n.value;
                co_await weft::yield();  // hold it across a suspension, so others queue up
            }
            h = combine(h, co_await evaluate(p, n.children[0], shared));
            break;
        }
        case op::channel_pipeline: {
            weft::channel<std::uint64_t> ch{n.capacity};
            weft::join_handle<> producer = weft::spawn(produce(p, n.children, shared, ch));
            while (std::optional<std::uint64_t> v = co_await ch.recv()) h = combine(h, *v);
            co_await producer;
            break;
        }
    }
    co_return h;
}

struct outcome_of_run {
    std::uint64_t checksum;
    std::uint64_t locked_sum;
};

weft::task<outcome_of_run> evaluate_program(const program* p) {
    shared_state shared;
    const std::uint64_t checksum = co_await evaluate(p, 0, &shared);
    co_return outcome_of_run{checksum, shared.locked_sum};
}

class differential : public ::testing::TestWithParam<int> {};

std::string seed_name(const ::testing::TestParamInfo<int>& info) { return "seed_" + std::to_string(info.param); }

INSTANTIATE_TEST_SUITE_P(, differential, ::testing::Range(1, 21), seed_name);

}  // namespace

TEST_P(differential, random_program_gives_the_reference_checksum_at_every_thread_count) {
    const program p = generator(static_cast<std::uint64_t>(GetParam())).make();
    ASSERT_GT(p.nodes.size(), 8u);
    const std::uint64_t expected = reference(p, 0);
    const std::uint64_t expected_sum = reference_locked_sum(p);
    for (std::size_t threads : {1, 2, 8}) {
        const outcome_of_run r = weft::run(evaluate_program(&p), {.threads = threads});
        EXPECT_EQ(r.checksum, expected) << "at threads = " << threads;
        EXPECT_EQ(r.locked_sum, expected_sum) << "at threads = " << threads;
    }
}

TEST_P(differential, random_program_gives_the_reference_checksum_under_every_scheduling_policy) {
    const program p = generator(static_cast<std::uint64_t>(GetParam())).make();
    const std::uint64_t expected = reference(p, 0);
    const std::uint64_t expected_sum = reference_locked_sum(p);
    for (weft::scheduling_policy policy :
         {weft::scheduling_policy::steal_one, weft::scheduling_policy::fifo_local,
          weft::scheduling_policy::global_queue, weft::scheduling_policy::tbb}) {
        for (std::size_t threads : {1, 2, 8}) {
            const outcome_of_run r = weft::run(evaluate_program(&p), {.threads = threads, .policy = policy});
            EXPECT_EQ(r.checksum, expected) << "policy " << weft::to_string(policy) << ", threads = " << threads;
            EXPECT_EQ(r.locked_sum, expected_sum) << "policy " << weft::to_string(policy) << ", threads = " << threads;
        }
    }
}
