#include "scheduler/idle_workers.hpp"

#include "scheduler/scheduler.hpp"

namespace weft::detail {

idle_workers::idle_workers(std::size_t workers)
    : asleep_(std::make_unique<bool[]>(workers)), parkers_(std::make_unique<parker[]>(workers)) {
    sleepers_.reserve(workers);
}

void idle_workers::wake_one() noexcept {
    std::uint32_t index;
    {
        std::lock_guard lock(mutex_);
        if (sleepers_.empty()) return;
        index = sleepers_.back();
        sleepers_.pop_back();
        asleep_[index] = false;
        // relaxed: under the lock; the woken worker starts out searching (Tokio's rule, so the
        // next push does not wake a second worker for the same work).
        activity_.fetch_add(searching_unit - parked_unit, std::memory_order_relaxed);
    }
    parkers_[index].unpark();
}

void idle_workers::wake_all() noexcept {
    std::vector<std::uint32_t> woken;
    {
        std::lock_guard lock(mutex_);
        woken.swap(sleepers_);
        for (std::uint32_t index : woken) asleep_[index] = false;
        // relaxed: under the lock, as in wake_one().
        activity_.fetch_add(static_cast<std::uint32_t>(woken.size()) * (searching_unit - parked_unit),
                            std::memory_order_relaxed);
    }
    for (std::uint32_t index : woken) parkers_[index].unpark();
}

void wake_parked_worker(scheduler& s) noexcept { s.idle().wake_one(); }

}  // namespace weft::detail
