#pragma once
// weft's logging, through spdlog: one logger named "weft", on stderr.
//
// Its level comes from the WEFT_LOG environment variable (trace, debug, info, warn, error,
// critical, off); the default is warn, so a healthy program prints nothing.
#include <exception>

#include <spdlog/logger.h>

namespace weft::detail {

spdlog::logger& logger();

// asyncio's "Task exception was never retrieved": a detached task failed, or a finished task's
// handle was dropped without taking its exception.
void log_unobserved_exception(const std::exception_ptr& e) noexcept;

}  // namespace weft::detail
