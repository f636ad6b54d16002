// plain_fib, kept out of line so every caller runs the same recursion.
#include "cpu_work.hpp"

namespace weft::lab {

[[gnu::noinline]] std::int64_t plain_fib(int n) noexcept {
    if (n < 2) return n;
    const std::int64_t a = plain_fib(n - 1);
    std::int64_t b = plain_fib(n - 2);
    // An empty asm that "modifies" b: the second call cannot become a tail call, so the compiler
    // cannot turn the recursion into a loop with an accumulator (benchmark::DoNotOptimize's trick).
    __asm__ volatile("" : "+r"(b));
    return a + b;
}

}  // namespace weft::lab
