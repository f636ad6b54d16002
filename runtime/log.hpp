#pragma once
// weft's logging, through spdlog: one logger named "weft", on stderr.
//
// Its level comes from the WEFT_LOG environment variable (trace, debug, info, warn, error,
// critical, off); the default is warn, so a healthy program prints nothing.
#include <exception>

#include <weft/options.hpp>

#include <spdlog/logger.h>

namespace weft::detail {

spdlog::logger& logger();

// The level WEFT_LOG names, or warn when it is unset or names no level (which is logged).
weft::log_level log_level_from_env() noexcept;

// asyncio's "Task exception was never retrieved": a detached task failed, or a finished task's
// handle was dropped without taking its exception. Returns false for weft::cancelled, which is
// how a task was asked to stop, not a failure (nothing is logged then).
bool log_unobserved_exception(const std::exception_ptr& e) noexcept;

}  // namespace weft::detail
