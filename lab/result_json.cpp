// write_result_json and read_result_json: the weft-lab/1 schema.
#include "result_json.hpp"

#include "cli_values.hpp"
#include "errors.hpp"
#include "json_reader.hpp"
#include "json_writer.hpp"
#include "sweep_metrics.hpp"

namespace weft::lab {
namespace {

// The counters of a worker, under the keys runtime_stats::to_json uses.
void write_worker(json_writer& w, const weft::worker_stats& s) {
    w.begin_object();
    w.key("polled").value(s.polled);
    w.key("spawned").value(s.spawned);
    w.key("steal_attempts").value(s.steal_attempts);
    w.key("steals").value(s.steals);
    w.key("tasks_stolen").value(s.tasks_stolen);
    w.key("stolen_from").value(s.stolen_from);
    w.key("injected_taken").value(s.injected_taken);
    w.key("parks").value(s.parks);
    w.key("wakeups").value(s.wakeups);
    w.key("busy_ns").value(static_cast<std::int64_t>(s.busy_time.count()));
    w.end_object();
}

weft::worker_stats read_worker(const json_value& v) {
    weft::worker_stats s;
    s.polled = v.at("polled").as_count();
    s.spawned = v.at("spawned").as_count();
    s.steal_attempts = v.at("steal_attempts").as_count();
    s.steals = v.at("steals").as_count();
    s.tasks_stolen = v.at("tasks_stolen").as_count();
    s.stolen_from = v.at("stolen_from").as_count();
    s.injected_taken = v.at("injected_taken").as_count();
    s.parks = v.at("parks").as_count();
    s.wakeups = v.at("wakeups").as_count();
    s.busy_time = std::chrono::nanoseconds(static_cast<std::int64_t>(v.at("busy_ns").as_count()));
    return s;
}

void write_stats(json_writer& w, const weft::runtime_stats& s) {
    w.begin_object();
    w.key("policy").value(weft::to_string(s.policy));
    w.key("live_tasks").value(s.live_tasks);
    w.key("spawned_remotely").value(s.spawned_remotely);
    w.key("unobserved_failures").value(s.unobserved_failures);
    w.key("pending_timers").value(s.pending_timers);
    w.key("workers").begin_array();
    for (const weft::worker_stats& worker : s.workers) write_worker(w, worker);
    w.end_array();
    w.end_object();
}

weft::runtime_stats read_stats(const json_value& v) {
    weft::runtime_stats s;
    const std::optional<weft::scheduling_policy> policy = weft::parse_scheduling_policy(v.at("policy").as_string());
    if (!policy) throw json_error("JSON: unknown policy \"" + v.at("policy").as_string() + "\" in stats");
    s.policy = *policy;
    s.live_tasks = v.at("live_tasks").as_count();
    s.spawned_remotely = v.at("spawned_remotely").as_count();
    s.unobserved_failures = v.at("unobserved_failures").as_count();
    s.pending_timers = v.at("pending_timers").as_count();
    for (const json_value& worker : v.at("workers").items()) s.workers.push_back(read_worker(worker));
    return s;
}

void write_row(json_writer& w, const measured_row& row, const row_metrics& m) {
    w.begin_object();
    w.key("kind").value(row.kind == series_kind::weft ? "weft" : "baseline");
    w.key("series").value(row.series);
    w.key("threads").value(static_cast<std::uint64_t>(row.threads));
    w.key("median_s").value(m.median_s);
    w.key("min_s").value(m.min_s);
    w.key("speedup").value(m.speedup);
    w.key("efficiency").value(m.efficiency);
    w.key("steals_per_1k").value(m.steals_per_1k);
    w.key("vs_serial").value(m.vs_serial);
    w.key("vs_tbb").value(m.vs_tbb);
    w.key("times_s").begin_array();
    for (const measured_run& run : row.runs) w.value(run.seconds);
    w.end_array();
    w.key("stats").begin_array();
    for (const measured_run& run : row.runs)
        if (run.stats) write_stats(w, *run.stats);
    w.end_array();
    w.key("trace");
    if (row.trace_path.empty())
        w.null();
    else
        w.value(row.trace_path);
    w.end_object();
}

measured_row read_row(const json_value& v) {
    measured_row row;
    const std::string& kind = v.at("kind").as_string();
    if (kind != "weft" && kind != "baseline") throw json_error("JSON: unknown row kind \"" + kind + "\"");
    row.kind = kind == "weft" ? series_kind::weft : series_kind::baseline;
    row.series = v.at("series").as_string();
    const std::uint64_t threads = v.at("threads").as_count();
    if (threads < 1 || threads > weft::max_threads)
        throw json_error("JSON: a row's \"threads\" is " + std::to_string(threads) + ", not 1 to " +
                         std::to_string(weft::max_threads));
    row.threads = static_cast<std::size_t>(threads);
    for (const json_value& t : v.at("times_s").items()) row.runs.push_back(measured_run{t.as_number(), std::nullopt});
    const std::vector<json_value>& stats = v.at("stats").items();
    if (!stats.empty() && stats.size() != row.runs.size())
        throw json_error("JSON: a row has " + std::to_string(row.runs.size()) + " times but " +
                         std::to_string(stats.size()) + " stats");
    for (std::size_t i = 0; i < stats.size(); ++i) row.runs[i].stats = read_stats(stats[i]);
    if (const json_value& trace = v.at("trace"); !trace.is_null()) row.trace_path = trace.as_string();
    return row;
}

}  // namespace

std::string write_result_json(const sweep_result& r) {
    const std::vector<row_metrics> metrics = compute_metrics(r);
    json_writer w;
    w.begin_object();
    w.key("schema").value(result_schema);
    w.key("machine").begin_object();
    w.key("cpu_model").value(r.machine.cpu_model);
    w.key("hardware_concurrency").value(r.machine.hardware_concurrency);
    w.key("compiler").value(r.machine.compiler);
    w.key("weft_version").value(r.machine.weft_version);
    w.end_object();
    w.key("date").value(r.machine.date);
    w.key("command_line").value(r.machine.command_line);
    w.key("workload").begin_object();
    w.key("name").value(r.workload);
    w.key("sizes").begin_object();
    for (const auto& [name, value] : r.sizes.entries()) w.key(name).value(value);
    w.end_object();
    w.key("result").value(r.answer);
    w.end_object();
    w.key("repeat").value(static_cast<std::uint64_t>(r.repeat));
    w.key("pin_workers").value(r.pin_workers);
    w.key("rows").begin_array();
    for (std::size_t i = 0; i < r.rows.size(); ++i) write_row(w, r.rows[i], metrics[i]);
    w.end_array();
    w.key("notes").begin_array();
    for (const std::string& note : r.notes) w.value(note);
    w.end_array();
    w.end_object();
    return std::move(w).str();
}

sweep_result read_result_json(std::string_view text) {
    const json_value doc = parse_json(text);
    const json_value* schema = doc.kind() == json_value::type::object ? doc.find("schema") : nullptr;
    if (schema == nullptr || schema->kind() != json_value::type::string || schema->as_string() != result_schema)
        throw lab_error("not a " + std::string(result_schema) +
                        " result (its \"schema\" member is missing or different)");
    sweep_result r;
    const json_value& machine = doc.at("machine");
    r.machine.cpu_model = machine.at("cpu_model").as_string();
    const std::uint64_t hardware_threads = machine.at("hardware_concurrency").as_count();
    if (hardware_threads > 1'000'000)
        throw json_error("JSON: \"hardware_concurrency\" is " + std::to_string(hardware_threads));
    r.machine.hardware_concurrency = static_cast<unsigned>(hardware_threads);
    r.machine.compiler = machine.at("compiler").as_string();
    r.machine.weft_version = machine.at("weft_version").as_string();
    r.machine.date = doc.at("date").as_string();
    r.machine.command_line = doc.at("command_line").as_string();
    const json_value& workload = doc.at("workload");
    r.workload = workload.at("name").as_string();
    for (const auto& [name, value] : workload.at("sizes").members()) r.sizes.set(name, value.as_integer());
    r.answer = workload.at("result").as_integer();
    r.repeat = static_cast<std::size_t>(doc.at("repeat").as_count());
    if (r.repeat < 1 || r.repeat > static_cast<std::size_t>(max_repeat))
        throw json_error("JSON: \"repeat\" is " + std::to_string(r.repeat) + ", not 1 to " +
                         std::to_string(max_repeat));
    r.pin_workers = doc.at("pin_workers").as_bool();
    for (const json_value& row : doc.at("rows").items()) {
        r.rows.push_back(read_row(row));
        if (r.rows.back().runs.size() > r.repeat)
            throw json_error("JSON: a row has " + std::to_string(r.rows.back().runs.size()) +
                             " times, more than \"repeat\"");
    }
    for (const json_value& note : doc.at("notes").items()) r.notes.push_back(note.as_string());
    return r;
}

}  // namespace weft::lab
