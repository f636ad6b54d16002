// Tests for weft::detail::work_stealing_deque, single-thread semantics. The concurrent tests
// (owner against thieves) are in work_stealing_deque_stress_test.cpp.
#include <weft/detail/scheduler/work_stealing_deque.hpp>

#include <gtest/gtest.h>

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace {

using weft::detail::work_stealing_deque;

TEST(work_stealing_deque, pop_returns_items_in_lifo_order) {
    work_stealing_deque<int> dq;
    for (int i = 0; i < 10; ++i) dq.push(i);
    for (int i = 9; i >= 0; --i) EXPECT_EQ(dq.pop(), i);
    EXPECT_EQ(dq.pop(), std::nullopt);
}

TEST(work_stealing_deque, steal_returns_items_in_fifo_order) {
    work_stealing_deque<int> dq;
    for (int i = 0; i < 10; ++i) dq.push(i);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(dq.steal(), i);
    EXPECT_EQ(dq.steal(), std::nullopt);
}

TEST(work_stealing_deque, a_new_deque_is_empty_and_returns_nothing) {
    work_stealing_deque<int> dq;
    EXPECT_TRUE(dq.empty());
    EXPECT_EQ(dq.size(), 0u);
    EXPECT_EQ(dq.pop(), std::nullopt);
    EXPECT_EQ(dq.steal(), std::nullopt);
    EXPECT_EQ(dq.pop(), std::nullopt);  // a failed pop leaves the deque consistent
    dq.push(7);
    EXPECT_EQ(dq.size(), 1u);
    EXPECT_EQ(dq.steal(), 7);
    EXPECT_EQ(dq.pop(), std::nullopt);
    EXPECT_TRUE(dq.empty());
}

TEST(work_stealing_deque, pop_and_steal_take_from_opposite_ends_when_interleaved) {
    work_stealing_deque<int> dq(4);
    dq.push(1);
    dq.push(2);
    dq.push(3);
    EXPECT_EQ(dq.steal(), 1);
    EXPECT_EQ(dq.pop(), 3);
    dq.push(4);
    dq.push(5);
    EXPECT_EQ(dq.steal(), 2);
    EXPECT_EQ(dq.pop(), 5);
    EXPECT_EQ(dq.pop(), 4);
    EXPECT_EQ(dq.pop(), std::nullopt);
    EXPECT_EQ(dq.steal(), std::nullopt);
    dq.push(6);
    EXPECT_EQ(dq.pop(), 6);  // the last item, taken through the CAS path
    EXPECT_TRUE(dq.empty());
}

TEST(work_stealing_deque, growth_past_the_initial_capacity_preserves_order) {
    work_stealing_deque<int> dq(2);
    // Move top away from zero first, so the live range wraps around the small buffer.
    for (int i = 0; i < 3; ++i) {
        dq.push(-1);
        EXPECT_EQ(dq.steal(), -1);
    }
    for (int i = 0; i < 1000; ++i) dq.push(i);
    EXPECT_EQ(dq.size(), 1000u);
    for (int i = 0; i < 500; ++i) EXPECT_EQ(dq.steal(), i);
    for (int i = 999; i >= 500; --i) EXPECT_EQ(dq.pop(), i);
    EXPECT_TRUE(dq.empty());
    // The grown buffer keeps working after wrapping around.
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 700; ++i) dq.push(i);
        for (int i = 0; i < 700; ++i) EXPECT_EQ(dq.steal(), i);
    }
}

TEST(work_stealing_deque, a_zero_initial_capacity_still_works) {
    work_stealing_deque<int> dq(0);
    for (int i = 0; i < 5; ++i) dq.push(i);
    EXPECT_EQ(dq.steal(), 0);
    EXPECT_EQ(dq.pop(), 4);
    EXPECT_EQ(dq.size(), 3u);
}

TEST(work_stealing_deque, size_counts_items_pushed_and_not_yet_taken) {
    work_stealing_deque<int> dq(2);
    EXPECT_EQ(dq.size(), 0u);
    for (int i = 0; i < 5; ++i) dq.push(i);
    EXPECT_EQ(dq.size(), 5u);
    EXPECT_FALSE(dq.empty());
    (void)dq.pop();
    (void)dq.steal();
    EXPECT_EQ(dq.size(), 3u);
    while (dq.pop()) {}
    EXPECT_EQ(dq.size(), 0u);
    EXPECT_TRUE(dq.empty());
}

TEST(work_stealing_deque, pushing_back_a_popped_item_leaves_the_deque_unchanged) {
    work_stealing_deque<int> dq(2);
    dq.push(1);
    dq.push(2);  // the buffer is now full: pushing back must not need to grow
    auto item = dq.pop();
    ASSERT_EQ(item, 2);
    dq.push(*item);
    EXPECT_EQ(dq.steal(), 1);
    item = dq.pop();  // last item: through the CAS
    ASSERT_EQ(item, 2);
    dq.push(*item);
    EXPECT_EQ(dq.size(), 1u);
    EXPECT_EQ(dq.steal(), 2);
}

TEST(work_stealing_deque, stores_coroutine_handles) {
    work_stealing_deque<std::coroutine_handle<>> dq;
    const std::coroutine_handle<> h = std::noop_coroutine();
    dq.push(h);
    dq.push(h);
    EXPECT_EQ(dq.pop()->address(), h.address());
    EXPECT_EQ(dq.steal()->address(), h.address());
}

}  // namespace
