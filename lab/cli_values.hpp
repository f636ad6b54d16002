#pragma once
// The values weft-lab's flags take, parsed strictly: every malformed, out-of-range or repeated
// value throws usage_error with a message that quotes the flag and the offending text.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <weft/options.hpp>

#include "cli_parser.hpp"
#include "workload.hpp"

namespace weft::lab {

// A decimal integer, optionally negative, and nothing else; nullopt otherwise (also on overflow).
std::optional<std::int64_t> parse_integer(std::string_view text) noexcept;

// "1,2,4": each a thread count from 1 to weft::max_threads, none twice.
std::vector<std::size_t> parse_thread_list(std::string_view flag, std::string_view text);

// A repetition count from 1 to max_repeat.
inline constexpr std::int64_t max_repeat = 1000;
std::size_t parse_repeat(std::string_view flag, std::string_view text);

// "work_stealing,global_queue": policy names as weft::parse_scheduling_policy reads them.
std::vector<weft::scheduling_policy> parse_policy_list(std::string_view flag, std::string_view text);

// "serial,tbb".
std::vector<baseline> parse_baseline_list(std::string_view flag, std::string_view text);
std::string_view to_string(baseline b) noexcept;

// A size flag's value, within the flag's range.
std::int64_t parse_size(std::string_view workload_name, const size_flag& flag, std::string_view text);

}  // namespace weft::lab
