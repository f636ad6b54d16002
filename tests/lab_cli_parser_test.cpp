// weft-lab's command-line parser: requests built from good command lines, and a usage error
// naming the offending text for each bad one.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lab/cli_parser.hpp"
#include "lab/errors.hpp"
#include "support/lab_usage_errors.hpp"

namespace {

using weft::scheduling_policy;
using weft::lab::lab_command;
using weft::lab::parse_command_line;
using weft::lab::run_request;

lab_command parse(const std::vector<std::string>& args) {
    const std::vector<std::string_view> views(args.begin(), args.end());
    return parse_command_line(views);
}

run_request parse_run(const std::vector<std::string>& args) { return std::get<run_request>(parse(args)); }

TEST(lab_cli_parser, reads_every_flag_of_a_run) {
    const run_request r = parse_run({"run",        "fib",        "--threads", "1,2,4",
                                     "--repeat",   "3",          "--policy",  "steal_one,global_queue",
                                     "--baseline", "serial,tbb", "--csv",     "out.csv",
                                     "--json",     "out.json",   "--plot",    "out.svg",
                                     "--trace",    "t.json",     "--pin",     "--n",
                                     "20"});
    EXPECT_EQ(r.work->name, "fib");
    EXPECT_EQ(r.threads, (std::vector<std::size_t>{1, 2, 4}));
    EXPECT_EQ(r.repeat, 3u);
    EXPECT_EQ(r.policies, (std::vector{scheduling_policy::steal_one, scheduling_policy::global_queue}));
    EXPECT_EQ(r.baselines, (std::vector{weft::lab::baseline::serial, weft::lab::baseline::tbb}));
    EXPECT_EQ(r.csv_path, "out.csv");
    EXPECT_EQ(r.json_path, "out.json");
    EXPECT_EQ(r.plot_path, "out.svg");
    EXPECT_EQ(r.trace_path, "t.json");
    EXPECT_TRUE(r.pin);
    EXPECT_EQ(r.sizes.get("n"), 20);
}

TEST(lab_cli_parser, fills_in_the_defaults_of_a_run) {
    const run_request r = parse_run({"run", "matmul"});
    EXPECT_EQ(r.repeat, 5u);
    EXPECT_EQ(r.policies, (std::vector{scheduling_policy::work_stealing}));
    EXPECT_TRUE(r.baselines.empty());
    EXPECT_FALSE(r.pin);
    EXPECT_EQ(r.sizes, r.work->default_sizes());
    EXPECT_EQ(r.threads.front(), 1u);
    EXPECT_TRUE(r.csv_path.empty() && r.json_path.empty() && r.plot_path.empty() && r.trace_path.empty());
}

TEST(lab_cli_parser, takes_a_value_after_an_equals_sign) {
    const run_request r = parse_run({"run", "skynet", "--threads=2,1", "--depth=3"});
    EXPECT_EQ(r.threads, (std::vector<std::size_t>{2, 1}));
    EXPECT_EQ(r.sizes.get("depth"), 3);
}

TEST(lab_cli_parser, reads_the_flags_of_a_report) {
    const auto r =
        std::get<weft::lab::report_request>(parse({"report", "saved.json", "--plot", "p.svg", "--csv", "c.csv"}));
    EXPECT_EQ(r.json_path, "saved.json");
    EXPECT_EQ(r.plot_path, "p.svg");
    EXPECT_EQ(r.csv_path, "c.csv");
}

TEST(lab_cli_parser, knows_the_commands_without_arguments) {
    EXPECT_TRUE(std::holds_alternative<weft::lab::help_request>(parse({"help"})));
    EXPECT_TRUE(std::holds_alternative<weft::lab::help_request>(parse({"--help"})));
    EXPECT_TRUE(std::holds_alternative<weft::lab::help_request>(parse({"-h"})));
    EXPECT_TRUE(std::holds_alternative<weft::lab::list_request>(parse({"list"})));
    EXPECT_TRUE(std::holds_alternative<weft::lab::demo_request>(parse({"demo"})));
}

TEST(lab_cli_parser, defaults_to_powers_of_two_up_to_the_hardware_threads) {
    using counts = std::vector<std::size_t>;
    EXPECT_EQ(weft::lab::default_thread_counts(0), counts{1});
    EXPECT_EQ(weft::lab::default_thread_counts(1), counts{1});
    EXPECT_EQ(weft::lab::default_thread_counts(2), (counts{1, 2}));
    EXPECT_EQ(weft::lab::default_thread_counts(6), (counts{1, 2, 4, 6}));
    EXPECT_EQ(weft::lab::default_thread_counts(16), (counts{1, 2, 4, 8, 16}));
}

TEST(lab_cli_parser, accepts_every_size_flag_of_every_workload_at_its_default) {
    for (const weft::lab::workload& w : weft::lab::all_workloads()) {
        std::vector<std::string> args = {"run", std::string(w.name)};
        for (const weft::lab::size_flag& f : w.flags) {
            args.push_back("--" + std::string(f.name));
            args.push_back(std::to_string(f.default_value));
        }
        EXPECT_EQ(parse_run(args).sizes, w.default_sizes()) << w.name;
    }
}

class lab_cli_parser_rejects : public ::testing::TestWithParam<weft_test::lab_usage_error_case> {};

TEST_P(lab_cli_parser_rejects, the_command_line_with_a_usage_error_naming_the_problem) {
    try {
        parse(GetParam().args);
        FAIL() << "no usage error";
    } catch (const weft::lab::usage_error& e) {
        EXPECT_NE(std::string(e.what()).find(GetParam().names), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(, lab_cli_parser_rejects, ::testing::ValuesIn(weft_test::lab_usage_error_cases()),
                         weft_test::lab_usage_error_case_name);

}  // namespace
