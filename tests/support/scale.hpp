#pragma once
// How big the stress tests may be in this build.
//
// Sanitizers: every frame is several times larger and every operation an order of magnitude
// slower, so counts that take a fraction of a second in release would take minutes; sanitized
// builds use a tenth of them, which still goes through every path many times.
//
// Constant stack: a chain of awaits runs in constant stack only where the compiler turns the
// symmetric-transfer resume into a tail call (docs/pitfalls.md): clang always does, g++ only with
// -foptimize-sibling-calls, which -O2 enables and -O0, -O1 and the sanitizers do not. Elsewhere
// each nested await, each loop iteration awaiting a task that finishes at once, and each child a
// gather runs inline takes stack -- measured with g++ 12: 64, 127 and 64 bytes at -O0; 64, 207
// and 48 under TSan; 528, 2429 and 192 under ASan -- so a million of them overflow a worker's
// 8 MiB stack. There the deep tests run at depths that fit with room to spare, and check the
// results only, not constant stack. (g++ -O1 without a sanitizer would need the small depths too
// but cannot be told from -O2 by the preprocessor; it is not one of the project's presets.)
#include <cstdint>

namespace weft_test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool sanitized = true;
#else
inline constexpr bool sanitized = false;
#endif
#else
inline constexpr bool sanitized = false;
#endif

#if defined(__clang__)
inline constexpr bool constant_stack_awaits = true;
#elif defined(__OPTIMIZE__)
inline constexpr bool constant_stack_awaits = !sanitized;
#else
inline constexpr bool constant_stack_awaits = false;
#endif

// `n` in release builds, a tenth of it under sanitizers.
constexpr std::int64_t scaled(std::int64_t n) { return sanitized ? n / 10 : n; }

// Depth of an await chain (nested awaits, or a loop of awaits that finish at once): `n` scaled
// where awaits run in constant stack, `fallback` where each one takes stack.
constexpr std::int64_t await_depth(std::int64_t n, std::int64_t fallback) {
    return constant_stack_awaits ? scaled(n) : fallback;
}

}  // namespace weft_test
