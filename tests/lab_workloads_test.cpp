// weft-lab's workloads: at small sizes, every version (weft, serial, oneTBB) of every workload
// gives the known answer at 1, 2 and 8 threads (the oneTBB one not under ThreadSanitizer:
// support/lab_baselines.hpp); a wrong answer and a runtime that cannot start
// are errors that say what happened.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "lab/errors.hpp"
#include "lab/sweep_runner.hpp"
#include "lab/workload.hpp"
#include "support/lab_baselines.hpp"

namespace {

using weft::lab::run_request;
using weft::lab::series_kind;
using weft::lab::sweep_result;

struct small_workload {
    std::string name;
    std::vector<std::pair<std::string, std::int64_t>> sizes;
};

// Sizes that take milliseconds, also under the sanitizers, and whose trees have at most about a
// thousand tasks: where the compiler does not make symmetric transfer a tail call (the sanitizer
// builds, support/scale.hpp), each task a gather runs inline takes stack, up to 2.4 KiB under
// ASan, and a worker has 8 MiB.
std::vector<small_workload> small_workloads() {
    return {
        {"fib", {{"n", 12}}},
        {"skynet", {{"depth", 3}}},
        {"nqueens", {{"n", 6}}},
        {"matmul", {{"n", 64}, {"base", 8}}},
        {"uts", {{"depth", 4}, {"seed", 5}}},
        {"sleep-fanout", {{"tasks", 50}, {"sleep-ms", 1}}},
        {"mixed", {{"tasks", 6}, {"rounds", 2}, {"work", 12}, {"sleep-ms", 1}}},
        {"pipeline", {{"items", 500}, {"stages", 2}, {"workers", 2}, {"work", 4}, {"capacity", 4}}},
        {"breakfast", {{"guests", 3}, {"coffee-ms", 2}, {"bagel-ms", 1}, {"juice", 12}}},
    };
}

// gtest's name for a parameter in messages.
void PrintTo(const small_workload& w, std::ostream* out) { *out << w.name; }

run_request small_request(const small_workload& w, std::size_t threads) {
    run_request r;
    r.work = weft::lab::find_workload(w.name);
    r.sizes = r.work->default_sizes();
    for (const auto& [flag, value] : w.sizes) r.sizes.set(flag, value);
    r.threads = {threads};
    r.repeat = 1;
    r.baselines = weft_test::lab_test_baselines();
    return r;
}

using workload_at_threads = std::tuple<small_workload, std::size_t>;

class lab_workload : public ::testing::TestWithParam<workload_at_threads> {};

TEST_P(lab_workload, gives_the_known_answer_in_every_version) {
    const auto& [work, threads] = GetParam();
    const run_request request = small_request(work, threads);
    const sweep_result r = weft::lab::run_sweep(request, weft::lab::current_machine_facts("test"));

    EXPECT_EQ(r.answer, request.work->make(request.sizes)->expected());
    const bool serial = request.work->no_serial.empty();
    const bool tbb_asked = weft_test::lab_runs_tbb_baseline;
    const bool tbb = tbb_asked && request.work->no_tbb.empty();
    ASSERT_EQ(r.rows.size(), 1u + (serial ? 1 : 0) + (tbb ? 1 : 0));
    EXPECT_EQ(r.rows[0].kind, series_kind::weft);
    EXPECT_EQ(r.rows[0].threads, threads);
    for (const weft::lab::measured_row& row : r.rows) {
        ASSERT_EQ(row.runs.size(), 1u);
        EXPECT_EQ(row.runs[0].stats.has_value(), row.kind == series_kind::weft);
    }
    // A version the workload does not have is a note, not a row.
    EXPECT_EQ(r.notes.size(), (serial ? 0u : 1u) + (tbb_asked && !tbb ? 1u : 0u));
}

INSTANTIATE_TEST_SUITE_P(, lab_workload,
                         ::testing::Combine(::testing::ValuesIn(small_workloads()),
                                            ::testing::Values(std::size_t{1}, std::size_t{2}, std::size_t{8})),
                         [](const ::testing::TestParamInfo<workload_at_threads>& info) {
                             std::string name = std::get<0>(info.param).name;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name + "_threads_" + std::to_string(std::get<1>(info.param));
                         });

TEST(lab_workloads, are_all_covered_by_this_test) {
    const std::vector<small_workload> tested = small_workloads();
    for (const weft::lab::workload& w : weft::lab::all_workloads())
        EXPECT_TRUE(std::any_of(tested.begin(), tested.end(), [&](const small_workload& s) {
            return s.name == w.name;
        })) << w.name;
}

// A workload whose weft version gets the answer wrong.
class off_by_one final : public weft::lab::workload_instance {
public:
    std::int64_t expected() override { return 42; }
    weft::task<std::int64_t> run_weft() override { co_return 41; }
    std::int64_t run_serial() override { return 42; }
    std::int64_t run_tbb() override { return 42; }
};

const weft::lab::workload off_by_one_workload{
    .name = "off-by-one",
    .description = "answers 41 instead of 42",
    .flags = {},
    .no_serial = {},
    .no_tbb = {},
    .check_sizes = nullptr,
    .make = [](const weft::lab::workload_sizes&) -> std::unique_ptr<weft::lab::workload_instance> {
        return std::make_unique<off_by_one>();
    },
};

TEST(lab_workloads, a_wrong_result_is_an_error_naming_the_workload_and_both_values) {
    run_request r;
    r.work = &off_by_one_workload;
    r.threads = {1};
    r.repeat = 1;
    try {
        weft::lab::run_sweep(r, weft::lab::current_machine_facts("test"));
        FAIL() << "no error";
    } catch (const weft::lab::lab_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("off-by-one"), std::string::npos) << what;
        EXPECT_NE(what.find("41"), std::string::npos) << what;
        EXPECT_NE(what.find("42"), std::string::npos) << what;
    }
}

TEST(lab_workloads, a_runtime_that_cannot_start_is_an_error_naming_the_policy) {
    run_request r = small_request(small_workloads().front(), weft::max_threads);
    r.policies = {weft::scheduling_policy::steal_one};
    r.pin = true;  // more workers than this process has CPUs: the runtime refuses to start
    try {
        weft::lab::run_sweep(r, weft::lab::current_machine_facts("test"));
        FAIL() << "no error";
    } catch (const weft::lab::lab_error& e) {
        EXPECT_NE(std::string(e.what()).find("policy steal_one"), std::string::npos) << e.what();
    }
}

}  // namespace
