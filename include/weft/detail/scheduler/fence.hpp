#pragma once
// fence<order>(): std::atomic_thread_fence, with two deliberate differences.
//
// (a) clang 14 emits `mfence` for a seq_cst fence on x86-64, which made a deque push+pop 4x
//     slower here (20 ns vs 5); a locked read-modify-write of our own stack slot is also a full
//     barrier on x86-64, and is what g++ emits.
// (b) g++ -fsanitize=thread warns (-Wtsan, an error under -Werror) at every fence, because
//     ThreadSanitizer does not model fences. The fence still executes; code that relies on one
//     for a happens-before edge that TSan must see also uses release/acquire operations (see the
//     deque's push()). The builtin used here keeps the warning in one place, silenced.
#include <atomic>

namespace weft::detail {

template <std::memory_order order>
inline void fence() noexcept {
#if defined(__clang__) && defined(__x86_64__)
    if constexpr (order == std::memory_order_seq_cst) {
        asm volatile("lock orq $0, (%%rsp)" ::: "memory", "cc");
        return;
    }
#endif
#if defined(__SANITIZE_THREAD__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtsan"
    __atomic_thread_fence(static_cast<int>(order));
#pragma GCC diagnostic pop
#else
    std::atomic_thread_fence(order);
#endif
}

}  // namespace weft::detail
