// Parsing flag values: integers, thread lists, policy and baseline lists, workload sizes.
#include "cli_values.hpp"

#include <charconv>
#include <string>

namespace weft::lab {
namespace {

constexpr std::string_view policy_names = "work_stealing, steal_one, fifo_local, global_queue, tbb";

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// "--threads '1,a': " -- the start of every message about a list.
std::string about(std::string_view flag, std::string_view text) {
    return std::string(flag) + " " + quoted(text) + ": ";
}

// The comma-separated items of `text`, empty ones included (so "1,,2" has an empty item).
std::vector<std::string_view> split_list(std::string_view text) {
    std::vector<std::string_view> items;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        items.push_back(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos) return items;
        start = comma + 1;
    }
}

// Throws if `item` is empty (",," or a trailing comma).
void require_item(std::string_view flag, std::string_view text, std::string_view item) {
    if (item.empty()) throw usage_error(about(flag, text) + "an empty item in the list");
}

template <class T>
void reject_duplicate(const std::vector<T>& seen, const T& value, std::string_view flag, std::string_view text,
                      std::string_view item) {
    for (const T& s : seen)
        if (s == value) throw usage_error(about(flag, text) + quoted(item) + " is given twice");
}

}  // namespace

std::optional<std::int64_t> parse_integer(std::string_view text) noexcept {
    std::int64_t value = 0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    const auto [end, error] = std::from_chars(first, last, value);
    if (text.empty() || error != std::errc{} || end != last) return std::nullopt;
    return value;
}

std::vector<std::size_t> parse_thread_list(std::string_view flag, std::string_view text) {
    std::vector<std::size_t> threads;
    for (std::string_view item : split_list(text)) {
        require_item(flag, text, item);
        const std::optional<std::int64_t> n = parse_integer(item);
        if (!n || *n < 1 || *n > static_cast<std::int64_t>(weft::max_threads))
            throw usage_error(about(flag, text) + quoted(item) + " is not a thread count from 1 to " +
                              std::to_string(weft::max_threads));
        const auto t = static_cast<std::size_t>(*n);
        reject_duplicate(threads, t, flag, text, item);
        threads.push_back(t);
    }
    return threads;
}

std::size_t parse_repeat(std::string_view flag, std::string_view text) {
    const std::optional<std::int64_t> n = parse_integer(text);
    if (!n || *n < 1 || *n > max_repeat)
        throw usage_error(std::string(flag) + ": " + quoted(text) + " is not a repetition count from 1 to " +
                          std::to_string(max_repeat));
    return static_cast<std::size_t>(*n);
}

std::vector<weft::scheduling_policy> parse_policy_list(std::string_view flag, std::string_view text) {
    std::vector<weft::scheduling_policy> policies;
    for (std::string_view item : split_list(text)) {
        require_item(flag, text, item);
        const std::optional<weft::scheduling_policy> p = weft::parse_scheduling_policy(item);
        if (!p)
            throw usage_error(about(flag, text) + "unknown policy " + quoted(item) +
                              " (the policies: " + std::string(policy_names) + ")");
        reject_duplicate(policies, *p, flag, text, item);
        policies.push_back(*p);
    }
    return policies;
}

std::string_view to_string(baseline b) noexcept { return b == baseline::serial ? "serial" : "tbb"; }

std::vector<baseline> parse_baseline_list(std::string_view flag, std::string_view text) {
    std::vector<baseline> baselines;
    for (std::string_view item : split_list(text)) {
        require_item(flag, text, item);
        baseline b;
        if (item == "serial")
            b = baseline::serial;
        else if (item == "tbb")
            b = baseline::tbb;
        else
            throw usage_error(about(flag, text) + "unknown baseline " + quoted(item) + " (the baselines: serial, tbb)");
        reject_duplicate(baselines, b, flag, text, item);
        baselines.push_back(b);
    }
    return baselines;
}

std::int64_t parse_size(std::string_view workload_name, const size_flag& flag, std::string_view text) {
    const std::optional<std::int64_t> n = parse_integer(text);
    if (!n || *n < flag.min || *n > flag.max)
        throw usage_error("--" + std::string(flag.name) + ": " + quoted(text) + " is not an integer from " +
                          std::to_string(flag.min) + " to " + std::to_string(flag.max) + " (a size of " +
                          std::string(workload_name) + ")");
    return *n;
}

}  // namespace weft::lab
