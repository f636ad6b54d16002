// weft-lab report: a sweep saved as JSON prints the same table as the run that saved it, and
// re-plots and re-exports it; the table and the CSV say what each row measured.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "lab/errors.hpp"
#include "lab/lab_main.hpp"
#include "lab/result_csv.hpp"
#include "lab/result_json.hpp"
#include "lab/result_table.hpp"
#include "lab/sweep_metrics.hpp"
#include "support/lab_baselines.hpp"
#include "support/lab_scratch_dir.hpp"

namespace {

struct command_output {
    int status;
    std::string out;
    std::string err;
};

command_output lab(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    const int status = weft::lab::lab_main(args, out, err);
    return {status, out.str(), err.str()};
}

// The text before the first "wrote ..." line: the table.
std::string table_part(const std::string& output) { return output.substr(0, output.find("wrote ")); }

// A sweep with fixed numbers, so the table's every cell is known.
weft::lab::sweep_result fixed_sweep() {
    weft::lab::sweep_result r;
    r.machine = {"Test CPU", 2, "g++ 12", "0.1.0", "2024-01-01T00:00:00Z", "weft-lab run fib --n 20"};
    r.workload = "fib";
    r.sizes.set("n", 20);
    r.answer = 6765;
    r.repeat = 3;
    weft::runtime_stats stats;
    stats.workers.resize(2);
    stats.workers[0].polled = 900;
    stats.workers[1].polled = 100;
    stats.workers[1].tasks_stolen = 20;
    r.rows.push_back(
        {weft::lab::series_kind::weft, "work_stealing", 1, {{0.010, stats}, {0.012, stats}, {0.011, stats}}, {}});
    r.rows.push_back(
        {weft::lab::series_kind::weft, "work_stealing", 2, {{0.006, stats}, {0.0055, stats}, {0.007, stats}}, {}});
    r.rows.push_back({weft::lab::series_kind::baseline, "serial", 1, {{0.001, {}}, {0.001, {}}, {0.001, {}}}, {}});
    r.rows.push_back({weft::lab::series_kind::baseline, "tbb", 1, {{0.022, {}}, {0.022, {}}, {0.022, {}}}, {}});
    r.rows.push_back({weft::lab::series_kind::baseline, "tbb", 2, {{0.012, {}}, {0.012, {}}, {0.012, {}}}, {}});
    r.notes.push_back("a note");
    return r;
}

TEST(lab_report, prints_the_table_the_run_printed) {
    weft_test::lab_scratch_dir dir("report");
    const std::string json = dir.file("fib.json");
    const command_output run = lab({"run", "fib", "--n", "14", "--threads", "1,2", "--repeat", "2", "--baseline",
                                    weft_test::lab_runs_tbb_baseline ? "serial,tbb" : "serial", "--json", json});
    ASSERT_EQ(run.status, 0) << run.err;
    const command_output report = lab({"report", json});
    ASSERT_EQ(report.status, 0) << report.err;
    EXPECT_EQ(report.out, table_part(run.out));
    EXPECT_NE(report.out.find("work_stealing"), std::string::npos);
}

TEST(lab_report, replots_and_exports_a_saved_sweep) {
    weft_test::lab_scratch_dir dir("replot");
    const std::string json = dir.file("saved.json");
    weft::lab::write_text_file(json, weft::lab::write_result_json(fixed_sweep()));
    const command_output report =
        lab({"report", json, "--plot", dir.file("again.svg"), "--csv", dir.file("again.csv")});
    ASSERT_EQ(report.status, 0) << report.err;
    EXPECT_EQ(weft::lab::read_text_file(dir.file("again.csv")), weft::lab::write_result_csv(fixed_sweep()));
    EXPECT_EQ(weft::lab::read_text_file(dir.file("again.svg")).rfind("<svg", 0), 0u);
}

TEST(lab_report, fails_with_status_1_on_a_missing_or_malformed_file) {
    weft_test::lab_scratch_dir dir("broken");
    const command_output missing = lab({"report", dir.file("none.json")});
    EXPECT_EQ(missing.status, 1);
    EXPECT_NE(missing.err.find("none.json"), std::string::npos) << missing.err;

    weft::lab::write_text_file(dir.file("broken.json"), "{\"schema\": \"weft-lab/1\", ");
    const command_output broken = lab({"report", dir.file("broken.json")});
    EXPECT_EQ(broken.status, 1);
    EXPECT_NE(broken.err.find("broken.json"), std::string::npos) << broken.err;
}

TEST(lab_report, computes_speedup_efficiency_steals_and_baseline_ratios) {
    const std::vector<weft::lab::row_metrics> m = weft::lab::compute_metrics(fixed_sweep());
    ASSERT_EQ(m.size(), 5u);
    EXPECT_DOUBLE_EQ(m[0].median_s, 0.011);
    EXPECT_DOUBLE_EQ(m[1].min_s, 0.0055);
    EXPECT_DOUBLE_EQ(*m[1].speedup, 0.011 / 0.006);
    EXPECT_DOUBLE_EQ(*m[1].efficiency, 0.011 / 0.006 / 2);
    EXPECT_DOUBLE_EQ(*m[0].steals_per_1k, 20.0);  // 3 x 20 stolen per 3 x 1000 polled
    EXPECT_DOUBLE_EQ(*m[0].vs_serial, 11.0);
    EXPECT_DOUBLE_EQ(*m[1].vs_tbb, 0.5);
    EXPECT_FALSE(m[2].speedup);    // the serial baseline has one time
    EXPECT_FALSE(m[2].vs_serial);  // and no ratios
    EXPECT_DOUBLE_EQ(*m[4].speedup, 22.0 / 12.0);
}

TEST(lab_report, lays_out_the_table_with_a_dash_where_a_value_does_not_apply) {
    const std::string table = weft::lab::render_table(fixed_sweep());
    EXPECT_NE(table.find("fib --n 20: result 6765"), std::string::npos) << table;
    EXPECT_NE(table.find("Test CPU, 2 hardware threads, g++ 12, weft 0.1.0"), std::string::npos) << table;
    EXPECT_NE(
        table.find("threads  series           median ms  min ms  speedup  efficiency  steals/1k  vs serial  vs tbb"),
        std::string::npos)
        << table;
    EXPECT_NE(
        table.find("      2  work_stealing        6.000   5.500     1.83       91.7%      20.00       6.00    0.50"),
        std::string::npos)
        << table;
    EXPECT_NE(
        table.find("      1  serial baseline      1.000   1.000        -           -          -          -       -"),
        std::string::npos)
        << table;
    EXPECT_NE(table.find("notes:\n- a note\n"), std::string::npos) << table;
}

TEST(lab_report, writes_csv_with_the_facts_a_header_and_a_line_per_row) {
    const std::string csv = weft::lab::write_result_csv(fixed_sweep());
    EXPECT_EQ(csv.rfind("# weft-lab/1 csv\n", 0), 0u);
    EXPECT_NE(csv.find("# cpu_model: Test CPU\n"), std::string::npos);
    EXPECT_NE(csv.find("# command_line: weft-lab run fib --n 20\n"), std::string::npos);
    EXPECT_NE(
        csv.find("\nkind,series,threads,median_s,min_s,speedup,efficiency,steals_per_1k,vs_serial,vs_tbb,polled,"),
        std::string::npos);
    EXPECT_NE(csv.find(",busy_ns,time_1_s,time_2_s,time_3_s\n"), std::string::npos);
    EXPECT_NE(csv.find("\nweft,work_stealing,1,0.011,0.01,1,1,20,11,0.5,3000,"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\nbaseline,serial,1,0.001,0.001,,,,,,,,,,,,,,,,0.001,0.001,0.001\n"), std::string::npos) << csv;
}

}  // namespace
