#pragma once
// root_registry: every spawned task that has not finished, so shutdown can destroy it.
//
// A pending task may be suspended on anything -- a timer, a join handle, a gather, later a
// channel nobody will ever send on -- so following queues would not find them all. Instead each
// spawned root is linked into an intrusive list when spawned and unlinked when it finishes,
// as Tokio's OwnedTasks does. The list is split into shards with a lock each, so that workers
// spawning and finishing tasks at the same time rarely meet on one lock.
//
// Draining (shutdown step 1): `draining_` is set once, before the first shard is scanned, and
// read by insert() and remove() inside their shard's lock. So a root that finishes after the
// drain scanned its shard sees the flag (the lock orders it), and checks empty() itself: the
// last root to finish always learns that it was the last.
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>

#include <weft/detail/task/root_state.hpp>

namespace weft::detail {

class root_registry {
public:
    explicit root_registry(std::size_t workers);

    // Links `r` into the shard picked by `hint` (the spawning worker's index, or anything).
    // Returns whether the registry is draining (the new root must be cancelled at birth).
    bool insert(root_state& r, std::size_t hint);
    // Unlinks `r`; returns whether the registry is draining.
    bool remove(root_state& r);
    // Starts draining and calls `cancel` on every root linked now, each under its shard's lock
    // (so it cannot finish and be freed meanwhile).
    void drain(void (*cancel)(root_state&) noexcept);
    bool empty();
    // How many roots are linked (each shard's count read under its lock).
    std::size_t size();
    // Unlinks and returns some root, or null when none is left. Shutdown only.
    root_state* pop();

private:
    // One shard per cache line; 4 shards per worker keeps the chance that two workers
    // finishing tasks meet on one lock low (Tokio sizes its OwnedTasks shards the same way).
    static constexpr std::size_t shards_per_worker = 4;
    struct alignas(64) shard {
        std::mutex mutex;
        root_state* head = nullptr;
        std::size_t count = 0;
    };
    std::unique_ptr<shard[]> shards_;
    std::size_t mask_;
    std::atomic<bool> draining_{false};
};

}  // namespace weft::detail
