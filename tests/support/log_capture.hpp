#pragma once
// weft_test::log_capture: collects what weft logs, for tests that check log lines.
//
//     weft_test::log_capture logs;                 // adds a sink to weft's logger
//     weft::run(main(), {.threads = 2});
//     EXPECT_TRUE(logs.contains("runtime started"));
//
// Lines are kept as "<level>: <message>" ("warn: slow poll: ..."). contains() may be called
// from any thread while weft logs, so a task can wait for a line to appear. Create the capture
// before the runtime starts and destroy it after the runtime stopped: spdlog does not guard a
// logger's sink list against logging threads, only each sink.
#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/sinks/base_sink.h>

#include "observe/log.hpp"

namespace weft_test {

class log_capture {
public:
    log_capture() : sink_(std::make_shared<sink>()) { weft::detail::logger().sinks().push_back(sink_); }
    ~log_capture() {
        auto& sinks = weft::detail::logger().sinks();
        sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
    }
    log_capture(const log_capture&) = delete;
    log_capture& operator=(const log_capture&) = delete;

    std::vector<std::string> lines() const { return sink_->lines(); }

    // Whether some line contains `needle`.
    bool contains(std::string_view needle) const { return count(needle) > 0; }

    // How many lines contain `needle`.
    std::size_t count(std::string_view needle) const {
        const auto all = lines();
        return static_cast<std::size_t>(std::count_if(
            all.begin(), all.end(), [&](const std::string& line) { return line.find(needle) != std::string::npos; }));
    }

private:
    class sink final : public spdlog::sinks::base_sink<std::mutex> {
    public:
        std::vector<std::string> lines() {
            std::lock_guard guard(mutex_);
            return lines_;
        }

    protected:
        // Called by base_sink::log with mutex_ held.
        void sink_it_(const spdlog::details::log_msg& msg) override {
            const auto level = spdlog::level::to_string_view(msg.level);
            lines_.push_back(std::string(level.data(), level.size()) + ": " +
                             std::string(msg.payload.data(), msg.payload.size()));
        }
        void flush_() override {}

    private:
        std::vector<std::string> lines_;
    };

    std::shared_ptr<sink> sink_;
};

}  // namespace weft_test
