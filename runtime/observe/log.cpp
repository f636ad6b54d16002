// The "weft" logger and the level WEFT_LOG names (log.hpp).
#include "observe/log.hpp"

#include <weft/errors.hpp>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

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
    return log;
}

bool same_ignoring_case(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// The level `text` names (log.hpp lists the spellings), if it names one.
std::optional<weft::log_level> parse_level(std::string_view text) noexcept {
    using enum weft::log_level;
    constexpr std::pair<std::string_view, weft::log_level> names[] = {
        {"trace", trace},  {"debug", debug}, {"info", info}, {"warn", warn},         {"warning", warn},
        {"error", error},  {"err", error},   {"critical", critical}, {"off", off}};
    for (const auto& [name, level] : names)
        if (same_ignoring_case(text, name)) return level;
    return std::nullopt;
}

}  // namespace

spdlog::logger& logger() {
    static const std::shared_ptr<spdlog::logger> instance = make_logger();
    return *instance;
}

weft::log_level log_level_from_env() noexcept {
    const char* text = std::getenv("WEFT_LOG");
    if (text == nullptr) return weft::log_level::warn;
    if (const auto level = parse_level(text)) return *level;
    static std::atomic<bool> warned{false};
    // relaxed: only makes the warning once per process; nothing is published through it.
    if (!warned.exchange(true, std::memory_order_relaxed))
        logger().warn("WEFT_LOG='{}' is not a log level (trace, debug, info, warn, error, critical, off); using warn",
                      text);
    return weft::log_level::warn;
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
