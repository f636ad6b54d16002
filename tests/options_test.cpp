// weft::options and weft::resolve_threads: explicit counts, the WEFT_THREADS environment variable,
// and the errors for counts that are out of range or not numbers (include/weft/options.hpp).
#include <weft/options.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <weft/runtime.hpp>

namespace {

weft::task<int> value(int v) { co_return v; }

// Sets an environment variable for the lifetime of the guard, then restores it.
class scoped_env {
public:
    scoped_env(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value != nullptr) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~scoped_env() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST(options, threads_above_max_threads_throws_invalid_argument_naming_it) {
    for (std::size_t bad : {weft::max_threads + 1, static_cast<std::size_t>(-1)}) {
        try {
            weft::runtime rt({.threads = bad});
            FAIL() << "weft::runtime accepted threads = " << bad;
        } catch (const std::invalid_argument& e) {
            EXPECT_THAT(e.what(), ::testing::HasSubstr("max_threads"));
            EXPECT_THAT(e.what(), ::testing::HasSubstr(std::to_string(bad)));
        }
        EXPECT_THROW(weft::run(value(1), {.threads = bad}), std::invalid_argument);
        EXPECT_THROW(static_cast<void>(weft::resolve_threads({.threads = bad})), std::invalid_argument);
    }
    EXPECT_EQ(weft::resolve_threads({.threads = weft::max_threads}), weft::max_threads);
}

TEST(options, explicit_threads_take_precedence_over_weft_threads) {
    scoped_env env("WEFT_THREADS", "abc");
    EXPECT_EQ(weft::resolve_threads({.threads = 2}), 2u);
    EXPECT_EQ(weft::run(value(4), {.threads = 2}), 4);
}

TEST(options, zero_threads_reads_weft_threads) {
    scoped_env env("WEFT_THREADS", "3");
    EXPECT_EQ(weft::resolve_threads({}), 3u);
    weft::runtime rt;
    EXPECT_EQ(rt.threads(), 3u);
}

TEST(options, zero_threads_without_weft_threads_uses_the_hardware_concurrency) {
    scoped_env env("WEFT_THREADS", nullptr);
    const std::size_t hw = std::thread::hardware_concurrency();
    EXPECT_EQ(weft::resolve_threads({}), hw == 0 ? 1 : std::min(hw, weft::max_threads));
}

TEST(options, invalid_weft_threads_throws_invalid_argument_quoting_it) {
    for (const char* bad : {"abc", "0", "-3", "", "99999999", "1025", "3x", "2.5"}) {
        scoped_env env("WEFT_THREADS", bad);
        try {
            static_cast<void>(weft::resolve_threads({}));
            ADD_FAILURE() << "WEFT_THREADS='" << bad << "' was accepted";
        } catch (const std::invalid_argument& e) {
            EXPECT_THAT(e.what(), ::testing::HasSubstr("WEFT_THREADS"));
            EXPECT_THAT(e.what(), ::testing::HasSubstr("'" + std::string(bad) + "'"));
        }
        EXPECT_THROW(weft::run(value(1)), std::invalid_argument) << "WEFT_THREADS='" << bad << "'";
        EXPECT_THROW(weft::runtime{}, std::invalid_argument) << "WEFT_THREADS='" << bad << "'";
    }
}
