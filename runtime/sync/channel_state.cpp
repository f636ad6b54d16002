// Scheduling the tasks a weft::channel wakes (design in weft/detail/sync/channel_state.hpp).
#include <weft/detail/sync/channel_state.hpp>

#include "scheduler/scheduler.hpp"

namespace weft::detail {

void schedule_channel_waiter(scheduler& s, std::coroutine_handle<> h) noexcept {
    // Scheduling fails only when memory is exhausted; noexcept makes that terminate, as in the
    // cancellation sweep.
    s.schedule(h);
}

void wake_channel_waiters(channel_waiter* oldest) noexcept {
    if (oldest == nullptr) return;
    // Each node is read before its task is scheduled: from then on the task may run on another
    // worker, finish its wait and free the frame that holds the node.
    if (tls_worker != nullptr) {
        // A worker's own deque is LIFO: push the newest first, so the oldest waiter runs first.
        channel_waiter* w = oldest;
        while (w->q_next != nullptr) w = w->q_next;
        while (w != nullptr) {
            channel_waiter* const older = w->q_prev;
            wake_channel_waiter(*w);
            w = older;
        }
    } else {
        // Through the runtime's shared FIFO queue: oldest first.
        for (channel_waiter* w = oldest; w != nullptr;) {
            channel_waiter* const newer = w->q_next;
            wake_channel_waiter(*w);
            w = newer;
        }
    }
}

}  // namespace weft::detail
