#pragma once
// CPU work shared by the workloads: the plain recursive Fibonacci function (fib's serial
// baseline, and the "crunching" inside mixed and breakfast), and SplitMix64, the hash behind
// uts's tree shape and pipeline's per-item work.
#include <cstdint>

namespace weft::lab {

// fib(n) by plain recursion, two real calls per node: the floor the coroutine versions are
// compared with (about 1.5 ns per call with g++ on the development machine).
std::int64_t plain_fib(int n) noexcept;

// fib(n) by iteration: the known answer the recursive versions are checked against.
constexpr std::int64_t fib_by_iteration(int n) noexcept {
    std::int64_t a = 0;
    std::int64_t b = 1;
    for (int i = 0; i < n; ++i) {
        const std::int64_t next = a + b;
        a = b;
        b = next;
    }
    return a;
}

// SplitMix64's output function (Steele, Lea, Flood 2014; Vigna's splitmix64.c): a bijective
// 64-bit mix whose every output bit depends on every input bit.
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// SplitMix64's state increment (2^64 / golden ratio, odd).
inline constexpr std::uint64_t splitmix64_gamma = 0x9e3779b97f4a7c15ULL;

// The i-th value of the SplitMix64 stream seeded with `seed`: mix(seed + (i + 1) * gamma).
// Splittable: a child's seed is its parent's i-th value, so any node of a tree can be recomputed
// from its path alone, on any thread, in any order.
constexpr std::uint64_t splitmix64_at(std::uint64_t seed, std::uint64_t i) noexcept {
    return splitmix64_mix(seed + (i + 1) * splitmix64_gamma);
}

// `rounds` chained SplitMix64 mixes of `v`: a unit of CPU work that cannot be skipped (each
// round needs the previous one) and whose result a check can recompute.
constexpr std::uint64_t mix_rounds(std::uint64_t v, std::int64_t rounds) noexcept {
    for (std::int64_t r = 0; r < rounds; ++r) v = splitmix64_mix(v + splitmix64_gamma);
    return v;
}

}  // namespace weft::lab
