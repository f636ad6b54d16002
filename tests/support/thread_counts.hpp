#pragma once
// The thread counts every behavioural test runs at: 1 (one worker, the calling thread, a
// deterministic order), 2 (the smallest runtime with stealing) and 8 (more workers than this
// machine has cores, so workers are preempted in the middle of the protocols).
//
//     class gather : public weft_test::thread_counts {};
//     WEFT_TEST_AT_THREAD_COUNTS(gather);
//     TEST_P(gather, yields_results_in_argument_order) { ... run(body()) ... }
//
// Tests are named `suite.sentence/threads_N`.
#include <cstddef>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include <weft/options.hpp>
#include <weft/runtime.hpp>
#include <weft/task.hpp>

namespace weft_test {

class thread_counts : public ::testing::TestWithParam<std::size_t> {
protected:
    std::size_t threads() const { return GetParam(); }
    weft::options options() const { return weft::options{.threads = GetParam()}; }

    // weft::run at this test's thread count.
    template <class T>
    T run(weft::task<T> main) const {
        return weft::run(std::move(main), options());
    }
};

inline std::string thread_count_name(const ::testing::TestParamInfo<std::size_t>& info) {
    return "threads_" + std::to_string(info.param);
}

}  // namespace weft_test

#define WEFT_TEST_AT_THREAD_COUNTS(suite)                                                          \
    INSTANTIATE_TEST_SUITE_P(, suite, ::testing::Values(std::size_t{1}, std::size_t{2}, std::size_t{8}), \
                             ::weft_test::thread_count_name)
