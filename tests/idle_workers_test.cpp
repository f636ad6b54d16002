// The parking protocol of runtime/scheduler/idle_workers.hpp, driven directly (no scheduler), so that the
// interleavings that matter happen on purpose rather than by chance.
#include <thread>

#include <gtest/gtest.h>

#include "scheduler/idle_workers.hpp"

TEST(idle_workers, a_waker_racing_with_the_recheck_leaves_no_stale_token) {
    using namespace weft::detail;
    idle_workers idle(1);
    std::thread waker;
    // 1. The worker parks; while it re-checks the queues (step 4), a pusher wakes it.
    idle.begin_search();
    idle.park(0, [&] {
        idle.wake_one();
        return true;
    });
    EXPECT_EQ(idle.activity().load(), searching_unit);
    // 2. It finds nothing and parks for real: it must sleep until woken (here by `waker`).
    idle.park(0, [&] {
        waker = std::thread([&] { idle.wake_one(); });
        return false;
    });
    // 3. It parks again; while re-checking, exactly one worker is parked and none searches.
    std::uint32_t seen = 0;
    idle.park(0, [&] {
        seen = idle.activity().load();
        return true;
    });
    waker.join();
    EXPECT_EQ(seen, parked_unit) << std::hex << "activity word 0x" << seen;
}
