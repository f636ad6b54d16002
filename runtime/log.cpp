#include "log.hpp"

#include <weft/errors.hpp>

#include <cstdlib>
#include <memory>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace weft::detail {

static_assert(static_cast<int>(weft::log_level::trace) == spdlog::level::trace &&
                  static_cast<int>(weft::log_level::warn) == spdlog::level::warn &&
                  static_cast<int>(weft::log_level::off) == spdlog::level::off,
              "weft::log_level mirrors spdlog::level::level_enum (they convert by value)");

namespace {

std::shared_ptr<spdlog::logger> make_logger() {
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    auto log = std::make_shared<spdlog::logger>("weft", std::move(sink));
    log->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [weft] [%^%l%$] [thread %t] %v");
    log->set_level(spdlog::level::warn);
    if (const char* level = std::getenv("WEFT_LOG")) {
        const auto parsed = spdlog::level::from_str(level);
        // from_str answers `off` for names it does not know; only honour an explicit "off".
        if (parsed != spdlog::level::off || std::string(level) == "off") log->set_level(parsed);
        else log->warn("WEFT_LOG='{}' is not a log level (trace, debug, info, warn, error, critical, off)", level);
    }
    return log;
}

}  // namespace

spdlog::logger& logger() {
    static const std::shared_ptr<spdlog::logger> instance = make_logger();
    return *instance;
}

weft::log_level log_level_from_env() noexcept {
    const char* text = std::getenv("WEFT_LOG");
    if (text == nullptr) return weft::log_level::warn;
    const auto parsed = spdlog::level::from_str(text);
    if (parsed == spdlog::level::off && std::string(text) != "off") return weft::log_level::warn;
    return static_cast<weft::log_level>(parsed);
}

bool log_unobserved_exception(const std::exception_ptr& e) noexcept {
    try {
        std::rethrow_exception(e);
    } catch (const weft::cancelled&) {
        return false;
    } catch (const std::exception& ex) {
        logger().error("task exception was never retrieved: {}", ex.what());
    } catch (...) {
        logger().error("task exception was never retrieved (not derived from std::exception)");
    }
    return true;
}

}  // namespace weft::detail
