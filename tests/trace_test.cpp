// Traces (options::trace_path): the file a runtime writes at shutdown parses as JSON, has one
// thread track per worker, a slice per poll named after its task, a flow arrow per spawn, and
// each worker's queue depth.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <weft/weft.hpp>

#include "support/json_reader.hpp"
#include "support/log_capture.hpp"
#include "support/thread_counts.hpp"

namespace {

using weft_test::json;
using weft_test::thread_counts;

// A file in the test's temporary directory, removed when the test ends.
class temp_trace {
public:
    explicit temp_trace(const std::string& stem)
        : path_(::testing::TempDir() + "weft-" + stem + "-" + std::to_string(::getpid()) + ".json") {}
    ~temp_trace() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }
    json parse() const {
        std::ifstream in(path_);
        std::stringstream text;
        text << in.rdbuf();
        return weft_test::parse_json(text.str());
    }

private:
    std::string path_;
};

std::string test_stem() {
    std::string stem = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : stem)
        if (c == '/') c = '-';
    return stem;
}

std::vector<json> events_of(const json& doc, const std::string& ph) {
    std::vector<json> out;
    for (const json& e : doc["traceEvents"].items())
        if (e["ph"].text() == ph) out.push_back(e);
    return out;
}

int leaf(int i) { return i; }

weft::task<int> child(int i) {
    co_await weft::yield();
    co_return leaf(i);
}

weft::task<int> fork_pair(int i) {
    auto [a, b] = co_await weft::gather(child(i), child(i + 1));
    co_return a + b;
}

constexpr int named_spawns = 20;
constexpr int unnamed_spawns = 20;
int unnamed_line = 0;

// Spawns named and unnamed tasks (each forking a gather) and awaits them all.
weft::task<int> workload() {
    std::vector<weft::join_handle<int>> handles;
    for (int i = 0; i < named_spawns; ++i) handles.push_back(weft::spawn(fork_pair(i), "forker"));
    unnamed_line = __LINE__ + 1;
    for (int i = 0; i < unnamed_spawns; ++i) handles.push_back(weft::spawn(child(i)));
    int sum = 0;
    for (auto& h : handles) sum += co_await h;
    co_return sum;
}

class traces : public thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(traces);

TEST_P(traces, a_trace_has_a_track_per_worker_and_a_slice_per_poll) {
    temp_trace file(test_stem());
    std::uint64_t polled = 0;
    {
        weft::runtime rt({.threads = threads(), .trace_path = file.path()});
        rt.block_on(workload());
        polled = rt.stats().total().polled;
    }
    const json doc = file.parse();
    EXPECT_EQ(doc["otherData"]["workers"].number(), static_cast<double>(threads()));
    EXPECT_FALSE(doc["otherData"]["truncated"].boolean());

    std::set<std::string> tracks;
    for (const json& m : events_of(doc, "M"))
        if (m["name"].text() == "thread_name") tracks.insert(m["args"]["name"].text());
    for (std::size_t i = 0; i < threads(); ++i) EXPECT_TRUE(tracks.count("weft-worker-" + std::to_string(i)));
    EXPECT_EQ(tracks.size(), threads() + 1);  // the workers and "external"

    const auto slices = events_of(doc, "X");
    EXPECT_EQ(slices.size(), polled);
    std::map<std::string, int> by_name;
    for (const json& x : slices) {
        EXPECT_LT(x["tid"].number(), static_cast<double>(threads()));
        EXPECT_GE(x["dur"].number(), 0.0);
        ++by_name[x["name"].text()];
    }
    EXPECT_GE(by_name["forker"], named_spawns);
    EXPECT_GE(by_name["trace_test.cpp:" + std::to_string(unnamed_line)], unnamed_spawns);
    EXPECT_GE(by_name["block_on"], 1);
}

TEST_P(traces, every_spawn_starts_one_arrow_that_ends_at_the_tasks_first_slice) {
    temp_trace file(test_stem());
    {
        weft::runtime rt({.threads = threads(), .trace_path = file.path()});
        rt.block_on(workload());
    }
    const json doc = file.parse();
    std::map<double, json> starts;
    for (const json& s : events_of(doc, "s")) EXPECT_TRUE(starts.emplace(s["id"].number(), s).second);
    const auto ends = events_of(doc, "f");
    EXPECT_EQ(starts.size(), static_cast<std::size_t>(named_spawns + unnamed_spawns));
    EXPECT_EQ(ends.size(), starts.size());
    std::set<double> ended;
    for (const json& f : ends) {
        const auto it = starts.find(f["id"].number());
        ASSERT_NE(it, starts.end());
        EXPECT_TRUE(ended.insert(f["id"].number()).second);
        EXPECT_LE(it->second["ts"].number(), f["ts"].number());
        EXPECT_EQ(f["bp"].text(), "e");
    }
}

TEST_P(traces, each_worker_has_a_queue_depth_counter) {
    temp_trace file(test_stem());
    {
        weft::runtime rt({.threads = threads(), .trace_path = file.path()});
        rt.block_on(workload());
    }
    const auto counters = events_of(file.parse(), "C");
    ASSERT_FALSE(counters.empty());
    double deepest = 0;
    for (const json& c : counters) {
        const auto tid = static_cast<std::size_t>(c["tid"].number());
        EXPECT_EQ(c["name"].text(), "weft-worker-" + std::to_string(tid) + " queue");
        EXPECT_GE(c["args"]["depth"].number(), 0.0);
        deepest = std::max(deepest, c["args"]["depth"].number());
    }
    EXPECT_GT(deepest, 0.0);  // the spawning loop queues tasks faster than they run
}

TEST_P(traces, a_spawn_from_outside_the_runtime_starts_on_the_external_track) {
    temp_trace file(test_stem());
    {
        weft::runtime rt({.threads = threads(), .trace_path = file.path()});
        auto h = rt.spawn(child(1), "outsider");
        const auto join = [](weft::join_handle<int> handle) -> weft::task<int> { co_return co_await handle; };
        EXPECT_EQ(rt.block_on(join(std::move(h))), 1);
    }
    const json doc = file.parse();
    const auto starts = events_of(doc, "s");
    ASSERT_EQ(starts.size(), 1u);
    EXPECT_EQ(starts[0]["tid"].number(), static_cast<double>(threads()));
    const auto ends = events_of(doc, "f");
    ASSERT_EQ(ends.size(), 1u);
    EXPECT_EQ(ends[0]["id"].number(), starts[0]["id"].number());
    EXPECT_LT(ends[0]["tid"].number(), static_cast<double>(threads()));
    int outside_slices = 0;
    for (const json& x : events_of(doc, "X"))
        if (x["tid"].number() == static_cast<double>(threads())) {
            EXPECT_EQ(x["name"].text(), "spawn outsider");
            ++outside_slices;
        }
    EXPECT_EQ(outside_slices, 1);
}

weft::task<> yield_many(int n) {
    for (int i = 0; i < n; ++i) co_await weft::yield();
}

TEST(trace_bounds, a_full_buffer_stops_recording_and_the_file_says_so) {
    temp_trace file(test_stem());
    weft_test::log_capture logs;
    // One poll per yield: past the 2^18 records a worker keeps.
    weft::run(yield_many(300'000), {.threads = 1, .trace_path = file.path()});
    const json doc = file.parse();
    EXPECT_TRUE(doc["otherData"]["truncated"].boolean());
    EXPECT_GT(doc["otherData"]["dropped_events"].number(), 0.0);
    EXPECT_TRUE(logs.contains("warning: trace: worker 0 stopped recording"));
}

TEST(trace_bounds, an_unwritable_path_is_logged_not_thrown) {
    weft_test::log_capture logs;
    const std::string path = ::testing::TempDir() + "no-such-directory/trace.json";
    weft::run(yield_many(1), {.threads = 1, .trace_path = path});
    EXPECT_TRUE(logs.contains("error: could not write the trace to '" + path + "'"));
}

}  // namespace
