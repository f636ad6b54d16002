#pragma once
// The baselines the lab's tests ask for: serial and tbb, except under ThreadSanitizer. libtbb is
// not instrumented, so TSan cannot see the ordering oneTBB gives (a task_group's wait()
// happens-after its tasks) and reports races in the tbb baseline's task bodies that are not
// there. Release, ASan+UBSan and clang builds run the tbb baseline.
#include <vector>

#include "lab/cli_parser.hpp"

namespace weft_test {

#if defined(__SANITIZE_THREAD__)
inline constexpr bool lab_runs_tbb_baseline = false;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr bool lab_runs_tbb_baseline = false;
#else
inline constexpr bool lab_runs_tbb_baseline = true;
#endif
#else
inline constexpr bool lab_runs_tbb_baseline = true;
#endif

inline std::vector<weft::lab::baseline> lab_test_baselines() {
    if (lab_runs_tbb_baseline) return {weft::lab::baseline::serial, weft::lab::baseline::tbb};
    return {weft::lab::baseline::serial};
}

}  // namespace weft_test
