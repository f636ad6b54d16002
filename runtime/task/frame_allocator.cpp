// The thread-exit half of detail/task/frame_allocator.hpp: returns a thread's cached frames to the
// heap when the thread ends.
#include <weft/detail/task/frame_allocator.hpp>

namespace weft::detail {
namespace {

struct frame_cache_drain {
    ~frame_cache_drain() {
        frame_cache& cache = tls_frame_cache;
        for (std::size_t c = 0; c < frame_classes; ++c) {
            while (free_block* block = cache.heads[c]) {
                cache.heads[c] = block->next;
                free_to_heap(block, (c + 1) * frame_granule);
            }
            // Frames freed later on this thread (by other thread_local destructors) bypass the
            // cache: a full count sends them straight to the heap.
            cache.counts[c] = frame_cache_limit;
        }
    }
};

thread_local frame_cache_drain tls_drain;

}  // namespace

void register_frame_cache_cleanup() noexcept {
    tls_frame_cache.cleanup_registered = true;
    // Odr-using the thread_local constructs it, which registers its destructor for thread exit.
    [[maybe_unused]] frame_cache_drain& drain = tls_drain;
}

}  // namespace weft::detail
