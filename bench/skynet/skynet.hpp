#pragma once
// skynet as the field measures it (/work/shared/field-notes.md section 1): every node has 10
// children, depth 6, so 1,111,111 nodes; leaf i returns i and the root's sum is 499,999,500,000.
#include <cstdint>

namespace skynet_bench {

inline constexpr std::int64_t leaves = 1'000'000;  // 10^6
inline constexpr std::int64_t expected = 499'999'500'000;
inline constexpr double nodes = 1'111'111;

}  // namespace skynet_bench
