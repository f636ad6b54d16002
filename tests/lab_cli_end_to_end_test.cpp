// The built weft-lab program: every usage error exits with status 2 and names the problem on
// stderr; a tiny sweep succeeds and writes its JSON and SVG; list and help work.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lab/errors.hpp"
#include "lab/json_reader.hpp"
#include "support/lab_scratch_dir.hpp"
#include "support/lab_usage_errors.hpp"

extern char** environ;

namespace {

#ifndef WEFT_LAB_PROGRAM
#error "lab/CMakeLists.txt defines WEFT_LAB_PROGRAM as the path of the built weft-lab"
#endif

struct program_output {
    int status;  // the exit status, or -1 if the program did not exit normally
    std::string out;
    std::string err;
};

// Runs weft-lab with `args`, its stdout and stderr going to files in `dir`.
program_output run_weft_lab(const std::vector<std::string>& args, const weft_test::lab_scratch_dir& dir) {
    const std::string out_path = dir.file("stdout.txt");
    const std::string err_path = dir.file("stderr.txt");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);

    std::vector<std::string> argv_strings = {WEFT_LAB_PROGRAM};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);

    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, WEFT_LAB_PROGRAM, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return {-1, "", "posix_spawn failed"};
    int wait_status = 0;
    while (waitpid(pid, &wait_status, 0) == -1) {
    }
    return {WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1, weft::lab::read_text_file(out_path),
            weft::lab::read_text_file(err_path)};
}

class lab_program_rejects : public ::testing::TestWithParam<weft_test::lab_usage_error_case> {};

TEST_P(lab_program_rejects, the_command_line_with_status_2_and_names_the_problem) {
    weft_test::lab_scratch_dir dir("usage");
    const program_output result = run_weft_lab(GetParam().args, dir);
    EXPECT_EQ(result.status, 2) << result.err;
    EXPECT_NE(result.err.find(GetParam().names), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("usage: weft-lab"), std::string::npos) << result.err;
    EXPECT_EQ(result.out, "");
}

INSTANTIATE_TEST_SUITE_P(, lab_program_rejects, ::testing::ValuesIn(weft_test::lab_usage_error_cases()),
                         weft_test::lab_usage_error_case_name);

TEST(lab_program, runs_a_tiny_sweep_and_writes_its_json_and_svg) {
    weft_test::lab_scratch_dir dir("tiny");
    const std::string json = dir.file("fib.json");
    const std::string svg = dir.file("fib.svg");
    const program_output result = run_weft_lab(
        {"run", "fib", "--n", "15", "--threads", "1,2", "--repeat", "1", "--json", json, "--plot", svg}, dir);
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_NE(result.out.find("work_stealing"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("wrote " + json), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("wrote " + svg), std::string::npos) << result.out;

    const weft::lab::json_value doc = weft::lab::parse_json(weft::lab::read_text_file(json));
    EXPECT_EQ(doc.at("schema").as_string(), "weft-lab/1");
    EXPECT_EQ(doc.at("rows").items().size(), 2u);
    const std::string chart = weft::lab::read_text_file(svg);
    EXPECT_EQ(chart.rfind("<svg", 0), 0u);
    EXPECT_TRUE(chart.ends_with("</svg>\n"));
}

TEST(lab_program, lists_every_workload) {
    weft_test::lab_scratch_dir dir("list");
    const program_output result = run_weft_lab({"list"}, dir);
    ASSERT_EQ(result.status, 0) << result.err;
    for (const char* name :
         {"fib", "skynet", "nqueens", "matmul", "uts", "sleep-fanout", "mixed", "pipeline", "breakfast"})
        EXPECT_NE(result.out.find(std::string("\n") + name + ": "), std::string::npos) << name;
}

TEST(lab_program, prints_help_with_status_0) {
    weft_test::lab_scratch_dir dir("help");
    for (const char* flag : {"help", "--help", "-h"}) {
        const program_output result = run_weft_lab({flag}, dir);
        EXPECT_EQ(result.status, 0) << flag;
        EXPECT_NE(result.out.find("weft-lab run WORKLOAD"), std::string::npos) << flag;
    }
}

TEST(lab_program, refuses_to_start_a_sweep_whose_output_cannot_be_written) {
    weft_test::lab_scratch_dir dir("unwritable");
    const std::string json = dir.file("no-such-directory/fib.json");
    const program_output result = run_weft_lab({"run", "fib", "--n", "5", "--threads", "1", "--json", json}, dir);
    EXPECT_EQ(result.status, 1);
    EXPECT_NE(result.err.find(json), std::string::npos) << result.err;
    EXPECT_EQ(result.out, "");  // nothing ran
}

TEST(lab_program, reports_a_missing_result_file_with_status_1) {
    weft_test::lab_scratch_dir dir("missing");
    const program_output result = run_weft_lab({"report", dir.file("nothing-here.json")}, dir);
    EXPECT_EQ(result.status, 1);
    EXPECT_NE(result.err.find("nothing-here.json"), std::string::npos) << result.err;
}

}  // namespace
