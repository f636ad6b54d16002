// Waking the tasks a coordination primitive released (protocol in weft/detail/sync/wait_queue.hpp).
#include <weft/detail/sync/wait_queue.hpp>

#include "scheduler/scheduler.hpp"

namespace weft::detail {

void wake(wake_list list) noexcept {
    if (list.empty()) return;
    // Each node is read before its task is scheduled: from then on the task may run on another
    // worker, finish its wait and free the frame that holds the node.
    if (list.head->sched->on_own_worker()) {
        // push_woken puts the last one in this worker's LIFO slot and moves the one it displaces
        // to the deque, whose owner pops the newest first: push the newest first, so the oldest
        // waiter runs first and the rest follow in arrival order.
        for (sync_waiter* w = list.tail; w != nullptr;) {
            sync_waiter* const older = w->queue_prev;
            scheduler* const s = w->sched;
            if (s == tls_worker->sched) push_woken(*tls_worker, w->handle);
            else s->schedule(w->handle);
            w = older;
        }
    } else {
        // Through the runtime's shared FIFO queue: oldest first.
        for (sync_waiter* w = list.head; w != nullptr;) {
            sync_waiter* const newer = w->queue_next;
            scheduler* const s = w->sched;
            s->schedule(w->handle);
            w = newer;
        }
    }
}

}  // namespace weft::detail
