#pragma once
// weft's logging, through spdlog: one logger named "weft", on stderr.
//
// Its level is the runtime's (scheduler_config::level), set when a runtime starts; the logger is
// process-wide, so the runtime started last decides. A runtime's level is options::log_level
// if set, otherwise the one the WEFT_LOG environment variable names (trace, debug, info, warn,
// error, critical, off, and spdlog's "warning" and "err", in any letter case), otherwise warn:
// a healthy program prints nothing. A WEFT_LOG that names no level means warn, and says so once.
//
// What is logged: runtime start and stop (info), slow polls (warn, slow_poll_monitor.hpp), task
// exceptions nobody retrieved (error), trace files written (info) or not (error).
#include <exception>

#include <weft/options.hpp>

#include <spdlog/logger.h>

namespace weft::detail {

spdlog::logger& logger();

// The level WEFT_LOG names, or warn when it is unset or names no level (which is logged as a
// warning, once per process). Any thread.
weft::log_level log_level_from_env() noexcept;

// asyncio's "Task exception was never retrieved": a detached task failed, or a finished task's
// handle was dropped without taking its exception. Returns false for weft::cancelled, which is
// how a task was asked to stop, not a failure (nothing is logged then).
bool log_unobserved_exception(const std::exception_ptr& e) noexcept;

}  // namespace weft::detail
