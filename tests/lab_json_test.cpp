// weft-lab's JSON: the writer's output parses back with the reader, the reader rejects what is
// not JSON, and a saved sweep has exactly the keys docs/lab.md documents for "weft-lab/1".
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "lab/errors.hpp"
#include "lab/json_reader.hpp"
#include "lab/json_writer.hpp"
#include "lab/result_json.hpp"
#include "lab/sweep_runner.hpp"
#include "support/lab_baselines.hpp"

namespace {

using weft::lab::json_error;
using weft::lab::json_value;
using weft::lab::parse_json;

std::set<std::string> keys_of(const json_value& object) {
    std::set<std::string> keys;
    for (const auto& [key, value] : object.members()) keys.insert(key);
    return keys;
}

// A real sweep, small: fib at 1 and 2 threads, two repetitions, the baselines.
weft::lab::sweep_result tiny_sweep() {
    weft::lab::run_request r;
    r.work = weft::lab::find_workload("fib");
    r.sizes = r.work->default_sizes();
    r.sizes.set("n", 10);
    r.threads = {1, 2};
    r.repeat = 2;
    r.baselines = weft_test::lab_test_baselines();
    return weft::lab::run_sweep(r, weft::lab::current_machine_facts("weft-lab run fib --n 10 \"quoted\""));
}

TEST(lab_json, reads_back_what_the_writer_wrote) {
    weft::lab::json_writer w;
    w.begin_object();
    w.key("text").value("quote \" backslash \\ newline \n tab \t bell \a");
    w.key("numbers").begin_array().value(0.1).value(-2.5e-300).value(std::int64_t{-9'007'199'254'740'993}).end_array();
    w.key("empty_object").begin_object().end_object();
    w.key("empty_array").begin_array().end_array();
    w.key("flags").begin_array().value(true).value(false).null().end_array();
    w.key("nested")
        .begin_object()
        .key("deeper")
        .begin_array()
        .begin_object()
        .key("x")
        .value(1)
        .end_object()
        .end_array()
        .end_object();
    w.end_object();
    const json_value v = parse_json(std::move(w).str());

    EXPECT_EQ(v.at("text").as_string(), "quote \" backslash \\ newline \n tab \t bell \a");
    const std::vector<json_value>& numbers = v.at("numbers").items();
    ASSERT_EQ(numbers.size(), 3u);
    EXPECT_EQ(numbers[0].as_number(), 0.1);
    EXPECT_EQ(numbers[1].as_number(), -2.5e-300);
    EXPECT_EQ(numbers[2].as_integer(), -9'007'199'254'740'993);
    EXPECT_TRUE(v.at("empty_object").members().empty());
    EXPECT_TRUE(v.at("empty_array").items().empty());
    EXPECT_TRUE(v.at("flags").items()[0].as_bool());
    EXPECT_FALSE(v.at("flags").items()[1].as_bool());
    EXPECT_TRUE(v.at("flags").items()[2].is_null());
    EXPECT_EQ(v.at("nested").at("deeper").items()[0].at("x").as_number(), 1);
}

TEST(lab_json, decodes_unicode_escapes_to_utf8) {
    EXPECT_EQ(parse_json(R"("\u00e9\u20ac\ud83d\ude00\/")").as_string(), "\u00e9\u20ac\U0001F600/");
}

TEST(lab_json, rejects_text_that_is_not_json) {
    for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "\"unterminated", "\"\\x\"",
                            "\"\\ud800\"", "tru", "nul", "[1] 2", "{1:2}", "\"a\nb\"", "1e999"}) {
        EXPECT_THROW(parse_json(bad), json_error) << bad;
    }
}

TEST(lab_json, refuses_nesting_deeper_than_its_limit) {
    EXPECT_THROW(parse_json(std::string(100, '[') + std::string(100, ']')), json_error);
    EXPECT_NO_THROW(parse_json(std::string(30, '[') + std::string(30, ']')));
}

TEST(lab_json, checks_the_type_and_presence_of_members) {
    const json_value v = parse_json(R"({"n": 1.5, "s": "x"})");
    EXPECT_THROW(v.at("missing"), json_error);
    EXPECT_THROW(v.at("s").as_number(), json_error);
    EXPECT_THROW(v.at("n").as_count(), json_error);
    EXPECT_THROW(v.at("n").as_integer(), json_error);
    EXPECT_THROW(v.items(), json_error);
}

TEST(lab_json, a_saved_sweep_has_every_documented_key_and_no_other) {
    const json_value doc = parse_json(weft::lab::write_result_json(tiny_sweep()));
    EXPECT_EQ(keys_of(doc), (std::set<std::string>{"schema", "machine", "date", "command_line", "workload", "repeat",
                                                   "pin_workers", "rows", "notes"}));
    EXPECT_EQ(doc.at("schema").as_string(), "weft-lab/1");
    EXPECT_EQ(keys_of(doc.at("machine")),
              (std::set<std::string>{"cpu_model", "hardware_concurrency", "compiler", "weft_version"}));
    EXPECT_EQ(doc.at("command_line").as_string(), "weft-lab run fib --n 10 \"quoted\"");
    EXPECT_EQ(keys_of(doc.at("workload")), (std::set<std::string>{"name", "sizes", "result"}));
    EXPECT_EQ(doc.at("workload").at("sizes").at("n").as_integer(), 10);
    EXPECT_EQ(doc.at("workload").at("result").as_integer(), 55);
    EXPECT_EQ(doc.at("repeat").as_count(), 2u);

    const std::vector<json_value>& rows = doc.at("rows").items();
    // work_stealing at 1 and 2 threads, serial, tbb at 1 and 2
    ASSERT_EQ(rows.size(), weft_test::lab_runs_tbb_baseline ? 5u : 3u);
    const std::set<std::string> row_keys = {"kind",    "series",     "threads",       "median_s",  "min_s",
                                            "speedup", "efficiency", "steals_per_1k", "vs_serial", "vs_tbb",
                                            "times_s", "stats",      "trace"};
    for (const json_value& row : rows) {
        EXPECT_EQ(keys_of(row), row_keys);
        EXPECT_EQ(row.at("times_s").items().size(), 2u);
        const bool weft_row = row.at("kind").as_string() == "weft";
        ASSERT_EQ(row.at("stats").items().size(), weft_row ? 2u : 0u);
        for (const json_value& stats : row.at("stats").items()) {
            EXPECT_EQ(keys_of(stats), (std::set<std::string>{"policy", "live_tasks", "spawned_remotely",
                                                             "unobserved_failures", "pending_timers", "workers"}));
            EXPECT_EQ(stats.at("workers").items().size(), row.at("threads").as_count());
            for (const json_value& worker : stats.at("workers").items())
                EXPECT_EQ(keys_of(worker),
                          (std::set<std::string>{"polled", "spawned", "steal_attempts", "steals", "tasks_stolen",
                                                 "stolen_from", "injected_taken", "parks", "wakeups", "busy_ns"}));
        }
    }
    EXPECT_EQ(rows[0].at("kind").as_string(), "weft");
    EXPECT_EQ(rows[0].at("series").as_string(), "work_stealing");
    EXPECT_EQ(rows[0].at("speedup").as_number(), 1.0);
    EXPECT_TRUE(rows[2].at("speedup").is_null());  // the serial baseline
    EXPECT_TRUE(doc.at("notes").items().empty());
}

TEST(lab_json, reads_a_saved_sweep_back_unchanged) {
    const weft::lab::sweep_result original = tiny_sweep();
    const weft::lab::sweep_result copy = weft::lab::read_result_json(weft::lab::write_result_json(original));
    EXPECT_EQ(copy.machine.cpu_model, original.machine.cpu_model);
    EXPECT_EQ(copy.machine.command_line, original.machine.command_line);
    EXPECT_EQ(copy.sizes, original.sizes);
    EXPECT_EQ(copy.answer, original.answer);
    ASSERT_EQ(copy.rows.size(), original.rows.size());
    for (std::size_t i = 0; i < copy.rows.size(); ++i) {
        ASSERT_EQ(copy.rows[i].runs.size(), original.rows[i].runs.size());
        for (std::size_t k = 0; k < copy.rows[i].runs.size(); ++k) {
            EXPECT_EQ(copy.rows[i].runs[k].seconds, original.rows[i].runs[k].seconds);
            EXPECT_EQ(copy.rows[i].runs[k].stats.has_value(), original.rows[i].runs[k].stats.has_value());
            if (copy.rows[i].runs[k].stats) {
                EXPECT_EQ(copy.rows[i].runs[k].stats->to_json(), original.rows[i].runs[k].stats->to_json());
            }
        }
    }
}

TEST(lab_json, refuses_a_file_of_another_schema) {
    EXPECT_THROW(weft::lab::read_result_json(R"({"schema": "weft-lab/0"})"), weft::lab::lab_error);
    EXPECT_THROW(weft::lab::read_result_json(R"([1, 2])"), weft::lab::lab_error);
    EXPECT_THROW(weft::lab::read_result_json(R"({"schema": "weft-lab/1"})"), json_error);
}

TEST(lab_json, refuses_a_saved_sweep_with_impossible_numbers) {
    const std::string saved = weft::lab::write_result_json(tiny_sweep());
    const auto with = [&](const std::string& from, const std::string& to) {
        std::string text = saved;
        const std::size_t at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return text.replace(at, from.size(), to);
    };
    EXPECT_NO_THROW(weft::lab::read_result_json(saved));
    EXPECT_THROW(weft::lab::read_result_json(with("\"repeat\": 2", "\"repeat\": 1000000000000")), json_error);
    EXPECT_THROW(weft::lab::read_result_json(with("\"repeat\": 2", "\"repeat\": 1")), json_error);
    EXPECT_THROW(weft::lab::read_result_json(with("\"threads\": 1", "\"threads\": 0")), json_error);
    EXPECT_THROW(weft::lab::read_result_json(with("\"kind\": \"weft\"", "\"kind\": \"other\"")), json_error);
}

}  // namespace
