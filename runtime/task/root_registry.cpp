#include "task/root_registry.hpp"

#include <bit>

namespace weft::detail {

root_registry::root_registry(std::size_t workers)
    : shards_(std::make_unique<shard[]>(std::bit_ceil(workers * shards_per_worker))),
      mask_(std::bit_ceil(workers * shards_per_worker) - 1) {}

bool root_registry::insert(root_state& r, std::size_t hint) {
    r.shard_ = static_cast<std::uint32_t>(hint & mask_);
    shard& s = shards_[r.shard_];
    std::lock_guard lock(s.mutex);
    r.prev_ = nullptr;
    r.next_ = s.head;
    if (s.head != nullptr) s.head->prev_ = &r;
    s.head = &r;
    ++s.count;
    // relaxed: read under the shard lock, which drain() takes after setting the flag.
    return draining_.load(std::memory_order_relaxed);
}

bool root_registry::remove(root_state& r) {
    shard& s = shards_[r.shard_];
    std::lock_guard lock(s.mutex);
    if (r.prev_ != nullptr) r.prev_->next_ = r.next_;
    else s.head = r.next_;
    if (r.next_ != nullptr) r.next_->prev_ = r.prev_;
    r.prev_ = r.next_ = nullptr;
    --s.count;
    // relaxed: as in insert().
    return draining_.load(std::memory_order_relaxed);
}

void root_registry::drain(void (*cancel)(root_state&) noexcept) {
    // relaxed: every reader reads it under a shard lock taken after this store's thread takes
    // (and releases) that lock below, or before -- then drain() sees that reader's root.
    draining_.store(true, std::memory_order_relaxed);
    for (std::size_t i = 0; i <= mask_; ++i) {
        std::lock_guard lock(shards_[i].mutex);
        for (root_state* r = shards_[i].head; r != nullptr; r = r->next_) cancel(*r);
    }
}

bool root_registry::empty() {
    for (std::size_t i = 0; i <= mask_; ++i) {
        std::lock_guard lock(shards_[i].mutex);
        if (shards_[i].head != nullptr) return false;
    }
    return true;
}

std::size_t root_registry::size() {
    std::size_t n = 0;
    for (std::size_t i = 0; i <= mask_; ++i) {
        std::lock_guard lock(shards_[i].mutex);
        n += shards_[i].count;
    }
    return n;
}

root_state* root_registry::pop() {
    for (std::size_t i = 0; i <= mask_; ++i) {
        shard& s = shards_[i];
        std::lock_guard lock(s.mutex);
        if (root_state* r = s.head) {
            s.head = r->next_;
            if (s.head != nullptr) s.head->prev_ = nullptr;
            r->prev_ = r->next_ = nullptr;
            --s.count;
            return r;
        }
    }
    return nullptr;
}

}  // namespace weft::detail
