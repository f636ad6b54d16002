// weft::runtime_stats: adding up, printing and serialising a snapshot; policy names.
#include <weft/stats.hpp>

#include <array>
#include <cstdio>
#include <ostream>

namespace weft {
namespace {

constexpr std::array<std::string_view, 5> policy_names = {"work_stealing", "steal_one", "fifo_local", "global_queue",
                                                          "tbb"};

// One counter column: its header, and how to read it from a worker_stats.
struct column {
    const char* header;
    const char* json_key;
    std::uint64_t (*read)(const worker_stats&);
};

constexpr std::array<column, 10> columns = {{
    {"polled", "polled", [](const worker_stats& w) { return w.polled; }},
    {"spawned", "spawned", [](const worker_stats& w) { return w.spawned; }},
    {"steal tries", "steal_attempts", [](const worker_stats& w) { return w.steal_attempts; }},
    {"steals", "steals", [](const worker_stats& w) { return w.steals; }},
    {"stolen", "tasks_stolen", [](const worker_stats& w) { return w.tasks_stolen; }},
    {"stolen from", "stolen_from", [](const worker_stats& w) { return w.stolen_from; }},
    {"injected", "injected_taken", [](const worker_stats& w) { return w.injected_taken; }},
    {"parks", "parks", [](const worker_stats& w) { return w.parks; }},
    {"wakeups", "wakeups", [](const worker_stats& w) { return w.wakeups; }},
    {"busy ms", "busy_ns",
     [](const worker_stats& w) { return static_cast<std::uint64_t>(w.busy_time.count()); }},
}};

void append_row(std::string& out, const char* label, const worker_stats& w) {
    char cell[32];
    std::snprintf(cell, sizeof cell, "%-8s", label);
    out += cell;
    for (const column& c : columns) {
        if (std::string_view(c.json_key) == "busy_ns")
            std::snprintf(cell, sizeof cell, " %12.1f", static_cast<double>(w.busy_time.count()) / 1e6);
        else
            std::snprintf(cell, sizeof cell, " %12llu", static_cast<unsigned long long>(c.read(w)));
        out += cell;
    }
    out += '\n';
}

}  // namespace

std::string_view to_string(scheduling_policy p) noexcept {
    const auto i = static_cast<std::size_t>(p);
    return i < policy_names.size() ? policy_names[i] : std::string_view("unknown");
}

std::optional<scheduling_policy> parse_scheduling_policy(std::string_view name) noexcept {
    for (std::size_t i = 0; i < policy_names.size(); ++i)
        if (policy_names[i] == name) return static_cast<scheduling_policy>(i);
    return std::nullopt;
}

worker_stats& worker_stats::operator+=(const worker_stats& o) noexcept {
    polled += o.polled;
    spawned += o.spawned;
    steal_attempts += o.steal_attempts;
    steals += o.steals;
    tasks_stolen += o.tasks_stolen;
    stolen_from += o.stolen_from;
    injected_taken += o.injected_taken;
    parks += o.parks;
    wakeups += o.wakeups;
    busy_time += o.busy_time;
    return *this;
}

worker_stats runtime_stats::total() const noexcept {
    worker_stats sum;
    for (const worker_stats& w : workers) sum += w;
    return sum;
}

std::string runtime_stats::to_table() const {
    std::string out = "policy " + std::string(to_string(policy)) + ", " + std::to_string(workers.size()) +
                      " worker(s)\n";
    char cell[32];
    std::snprintf(cell, sizeof cell, "%-8s", "worker");
    out += cell;
    for (const column& c : columns) {
        std::snprintf(cell, sizeof cell, " %12s", c.header);
        out += cell;
    }
    out += '\n';
    for (std::size_t i = 0; i < workers.size(); ++i) append_row(out, std::to_string(i).c_str(), workers[i]);
    append_row(out, "total", total());
    out += "live tasks " + std::to_string(live_tasks) + ", spawned remotely " + std::to_string(spawned_remotely) +
           ", unobserved failures " + std::to_string(unobserved_failures) + ", pending timers " +
           std::to_string(pending_timers) + "\n";
    return out;
}

std::string runtime_stats::to_json() const {
    std::string out = "{\"policy\": \"" + std::string(to_string(policy)) + "\"";
    out += ", \"live_tasks\": " + std::to_string(live_tasks);
    out += ", \"spawned_remotely\": " + std::to_string(spawned_remotely);
    out += ", \"unobserved_failures\": " + std::to_string(unobserved_failures);
    out += ", \"pending_timers\": " + std::to_string(pending_timers);
    out += ", \"workers\": [";
    for (std::size_t i = 0; i < workers.size(); ++i) {
        out += i == 0 ? "{" : ", {";
        for (std::size_t k = 0; k < columns.size(); ++k) {
            if (k != 0) out += ", ";
            out += "\"" + std::string(columns[k].json_key) + "\": " + std::to_string(columns[k].read(workers[i]));
        }
        out += "}";
    }
    out += "]}";
    return out;
}

std::ostream& operator<<(std::ostream& out, const runtime_stats& s) { return out << s.to_table(); }

}  // namespace weft
