#pragma once
// Coroutine frame allocation: per-thread size-class free lists.
//
// Every `weft::task` call allocates a coroutine frame, and glibc's malloc+free of a 64-256 byte
// block costs 10-11 ns on the development machine (field notes, section 1): more than all the
// scheduling work of a fork-join step. So frames are recycled: each thread keeps one singly
// linked free list per 64-byte size class, and a frame freed on a thread goes onto that thread's
// list (it may have been allocated on another; memory migrates between threads, which is fine
// because the lists only hold raw blocks). Allocation pops, deallocation pushes: two plain loads
// and stores, no atomic, no lock.
//
// Bounds. A list keeps at most `frame_cache_limit` blocks; past that, blocks go back to the
// global heap, so a producer/consumer pattern (allocate on A, free on B) cannot hoard memory on
// B. Frames larger than `frame_classes * frame_granule` bytes bypass the cache.
//
// Thread exit. The cache is a trivially destructible `constinit thread_local`, so the hot path
// pays no TLS guard. The first time a thread caches a block it registers a cleanup
// (runtime/task/frame_allocator.cpp) that returns every cached block to the heap when the thread
// exits, and then sets the counts to the limit so later frees on that thread bypass the cache.
//
// Sanitizers. Under AddressSanitizer the cache is compiled out, so a use of a freed frame is
// reported instead of being hidden by recycling.
#include <cstddef>
#include <cstdint>
#include <new>

namespace weft::detail {

// One cache line per class step. g++ 12 makes 96-160 byte frames for small tasks (field notes).
inline constexpr std::size_t frame_granule = 64;
// Classes cover frames up to 1 KiB; larger frames are rare and go straight to the heap.
inline constexpr std::size_t frame_classes = 16;
// Blocks kept per class per thread: deep enough for fib/skynet recursion and bursts of spawns,
// small enough (at most 16 x 4096 x 1 KiB in the worst case, 4 MiB typical) to not hoard memory.
inline constexpr std::uint32_t frame_cache_limit = 4096;

#if defined(__SANITIZE_ADDRESS__)
#define WEFT_FRAME_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WEFT_FRAME_CACHE 0
#endif
#endif
#ifndef WEFT_FRAME_CACHE
#define WEFT_FRAME_CACHE 1
#endif

struct free_block {
    free_block* next;
};

struct frame_cache {
    free_block* heads[frame_classes];
    std::uint32_t counts[frame_classes];
    bool cleanup_registered;
};

inline constinit thread_local frame_cache tls_frame_cache{};

// Registers the thread-exit drain of tls_frame_cache (compiled; called once per thread).
void register_frame_cache_cleanup() noexcept;

constexpr std::size_t frame_class_of(std::size_t size) noexcept { return (size - 1) / frame_granule; }

// Returns a block to the global heap. clang 14 leaves sized deallocation off by default, and
// libstdc++ then does not declare the sized operator delete.
inline void free_to_heap(void* p, [[maybe_unused]] std::size_t size) noexcept {
#if defined(__cpp_sized_deallocation)
    ::operator delete(p, size);
#else
    ::operator delete(p);
#endif
}

inline void* allocate_frame(std::size_t size) {
#if WEFT_FRAME_CACHE
    const std::size_t c = frame_class_of(size);
    if (c < frame_classes) [[likely]] {
        frame_cache& cache = tls_frame_cache;
        if (free_block* block = cache.heads[c]) {
            cache.heads[c] = block->next;
            --cache.counts[c];
            return block;
        }
        return ::operator new((c + 1) * frame_granule);
    }
#endif
    return ::operator new(size);
}

inline void deallocate_frame(void* p, std::size_t size) noexcept {
#if WEFT_FRAME_CACHE
    const std::size_t c = frame_class_of(size);
    if (c < frame_classes) [[likely]] {
        frame_cache& cache = tls_frame_cache;
        if (cache.counts[c] < frame_cache_limit) [[likely]] {
            if (!cache.cleanup_registered) [[unlikely]]
                register_frame_cache_cleanup();
            // safety: p is a block of this class's size that nobody references any more.
            auto* block = static_cast<free_block*>(p);
            block->next = cache.heads[c];
            cache.heads[c] = block;
            ++cache.counts[c];
            return;
        }
        free_to_heap(p, (c + 1) * frame_granule);
        return;
    }
#endif
    free_to_heap(p, size);
}

}  // namespace weft::detail
