// Log levels: options::log_level wins over WEFT_LOG, WEFT_LOG names a level in any letter case,
// a WEFT_LOG that names none warns once and means warn; and what each level lets through.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <weft/weft.hpp>

#include "support/log_capture.hpp"

namespace {

using weft_test::log_capture;

// Sets WEFT_LOG (or unsets it, for nullopt) for the test's duration.
class weft_log_variable {
public:
    explicit weft_log_variable(std::optional<std::string> value) {
        if (const char* old = std::getenv("WEFT_LOG")) saved_ = old;
        if (value) ::setenv("WEFT_LOG", value->c_str(), 1);
        else ::unsetenv("WEFT_LOG");
    }
    ~weft_log_variable() {
        if (saved_) ::setenv("WEFT_LOG", saved_->c_str(), 1);
        else ::unsetenv("WEFT_LOG");
    }
    weft_log_variable(const weft_log_variable&) = delete;
    weft_log_variable& operator=(const weft_log_variable&) = delete;

private:
    std::optional<std::string> saved_;
};

weft::task<> nothing() { co_return; }

// The logger's level while a runtime with `o` runs (the level is the logger's, process-wide).
spdlog::level::level_enum level_under(weft::options o) {
    weft::runtime rt(std::move(o));
    return weft::detail::logger().level();
}

TEST(log_levels, are_warn_by_default) {
    weft_log_variable env(std::nullopt);
    EXPECT_EQ(level_under({.threads = 1}), spdlog::level::warn);
}

TEST(log_levels, come_from_weft_log_when_the_option_is_unset) {
    weft_log_variable env("info");
    log_capture logs;
    weft::run(nothing(), {.threads = 2});
    EXPECT_TRUE(logs.contains("info: runtime started: 2 worker thread(s)"));
    EXPECT_TRUE(logs.contains("info: runtime stopped: 2 worker thread(s)"));
}

TEST(log_levels, the_option_wins_over_weft_log) {
    weft_log_variable env("debug");
    EXPECT_EQ(level_under({.threads = 1, .log_level = weft::log_level::error}), spdlog::level::err);
    log_capture logs;
    weft::run(nothing(), {.threads = 1, .log_level = weft::log_level::warn});
    EXPECT_FALSE(logs.contains("runtime started"));
}

TEST(log_levels, weft_log_ignores_letter_case_and_accepts_warning) {
    {
        weft_log_variable env("DeBuG");
        EXPECT_EQ(level_under({.threads = 1}), spdlog::level::debug);
    }
    weft_log_variable env("warning");
    EXPECT_EQ(level_under({.threads = 1}), spdlog::level::warn);
}

TEST(log_levels, a_weft_log_naming_no_level_warns_once_and_means_warn) {
    weft_log_variable env("loud");
    log_capture logs;
    EXPECT_EQ(level_under({.threads = 1}), spdlog::level::warn);
    EXPECT_EQ(level_under({.threads = 1}), spdlog::level::warn);
    EXPECT_EQ(logs.count("warning: WEFT_LOG='loud' is not a log level"), 1u);
}

weft::task<> fail() {
    co_await weft::yield();
    throw std::runtime_error("the toaster is on fire");
}

// Drops the handle of a task that failed, without taking its exception.
weft::task<> drop_a_failure() {
    weft::join_handle<> h = weft::spawn(fail());
    while (!h.done()) co_await weft::yield();
}

TEST(log_levels, an_unobserved_exception_is_logged_at_warn) {
    weft_log_variable env(std::nullopt);
    log_capture logs;
    weft::run(drop_a_failure(), {.threads = 2, .log_level = weft::log_level::warn});
    EXPECT_TRUE(logs.contains("error: task exception was never retrieved: the toaster is on fire"));
}

TEST(log_levels, off_logs_nothing_not_even_an_unobserved_exception) {
    weft_log_variable env("trace");
    log_capture logs;
    weft::run(drop_a_failure(), {.threads = 2, .log_level = weft::log_level::off});
    EXPECT_TRUE(logs.lines().empty());
}

}  // namespace
