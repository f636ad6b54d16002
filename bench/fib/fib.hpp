#pragma once
// fib(30) as the field measures it (docs/benchmarks.md, /work/shared/field-notes.md section 1):
// every call with n >= 2 forks fib(n-1) and fib(n-2), no cutoff.
#include <cstdint>

namespace fib_bench {

inline constexpr int n = 30;
inline constexpr std::int64_t expected = 832'040;
inline constexpr double calls = 2'692'537;  // calls of fib made by fib(30)

}  // namespace fib_bench
