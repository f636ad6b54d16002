// Task names: spawn(t, "name") names a task, an unnamed one is called by its spawn site, and
// every frame of a task's strands -- gather children included -- is called by the task's name.
// A task reads its own label the way the poll observer does (runtime/task/task_label.hpp).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include <weft/weft.hpp>

#include "support/thread_counts.hpp"
#include "task/task_label.hpp"

namespace {

using weft_test::thread_counts;

// The label of the task running the caller, as traces and slow-poll logs spell it.
std::string own_label() {
    return weft::detail::to_string(weft::detail::label_of(
        static_cast<weft::detail::root_state*>(weft::detail::tls_cancel->domain)));
}

weft::task<std::string> label_task() { co_return own_label(); }

weft::task<std::pair<std::string, std::string>> gathered_labels() {
    auto [a, b] = co_await weft::gather(label_task(), label_task());
    co_return std::pair{a, b};
}

class task_names : public thread_counts {};
WEFT_TEST_AT_THREAD_COUNTS(task_names);

TEST_P(task_names, a_named_spawn_is_called_by_its_name) {
    const auto body = []() -> weft::task<std::string> { co_return co_await weft::spawn(label_task(), "brewer"); };
    EXPECT_EQ(run(body()), "brewer");
}

TEST_P(task_names, an_unnamed_spawn_is_called_by_its_file_and_line) {
    int line = 0;
    const auto body = [&line]() -> weft::task<std::string> {
        line = __LINE__ + 1;
        co_return co_await weft::spawn(label_task());
    };
    const std::string label = run(body());
    EXPECT_EQ(label, "task_name_test.cpp:" + std::to_string(line));
}

TEST_P(task_names, gather_children_are_called_by_the_spawned_task_they_belong_to) {
    const auto body = []() -> weft::task<std::pair<std::string, std::string>> {
        co_return co_await weft::spawn(gathered_labels(), "gatherer");
    };
    EXPECT_EQ(run(body()), (std::pair<std::string, std::string>{"gatherer", "gatherer"}));
}

TEST_P(task_names, task_group_children_take_names_and_spawn_sites_too) {
    int line = 0;
    const auto body = [&line]() -> weft::task<std::pair<std::string, std::string>> {
        std::pair<std::string, std::string> labels;
        co_await weft::with_task_group([&](weft::task_group& g) -> weft::task<> {
            labels.first = co_await g.spawn(label_task(), "grouped");
            line = __LINE__ + 1;
            labels.second = co_await g.spawn(label_task());
        });
        co_return labels;
    };
    const auto labels = run(body());
    EXPECT_EQ(labels.first, "grouped");
    EXPECT_EQ(labels.second, "task_name_test.cpp:" + std::to_string(line));
}

TEST_P(task_names, runtime_spawn_names_tasks_from_outside_threads) {
    weft::runtime rt(options());
    auto named = rt.spawn(label_task(), "from outside");
    const int line = __LINE__ + 1;
    auto unnamed = rt.spawn(label_task());
    const auto join = [](weft::join_handle<std::string> a,
                         weft::join_handle<std::string> b) -> weft::task<std::pair<std::string, std::string>> {
        std::string first = co_await a;
        co_return std::pair{std::move(first), co_await b};
    };
    const auto labels = rt.block_on(join(std::move(named), std::move(unnamed)));
    EXPECT_EQ(labels.first, "from outside");
    EXPECT_EQ(labels.second, "task_name_test.cpp:" + std::to_string(line));
}

TEST_P(task_names, run_and_block_on_roots_are_called_main_and_block_on) {
    EXPECT_EQ(run(label_task()), "main");
    weft::runtime rt(options());
    EXPECT_EQ(rt.block_on(label_task()), "block_on");
}

TEST(task_name_table, equal_names_are_interned_once_and_outlive_the_string_given) {
    const char* first = nullptr;
    {
        std::string name = "worker";
        first = weft::detail::intern_task_name(name);
        name.assign("overwritten");
    }
    weft::detail::intern_task_name("something else");
    EXPECT_EQ(weft::detail::intern_task_name(std::string("wor") + "ker"), first);
    EXPECT_STREQ(first, "worker");
}

TEST(task_name_table, a_label_names_the_file_without_its_directories) {
    EXPECT_EQ(weft::detail::to_string({"/src/app/main.cpp", 42}), "main.cpp:42");
    EXPECT_EQ(weft::detail::to_string({"fetch", 0}), "fetch");
}

}  // namespace
