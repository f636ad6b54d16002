#pragma once
// weft::task_group: structured concurrency (asyncio.TaskGroup, Trio's nursery).
//
//     co_await weft::with_task_group([&](weft::task_group& g) -> weft::task<> {
//         for (auto& url : urls) g.spawn(fetch(url));
//         co_await g.spawn(index());          // the handles are ordinary join handles
//     });                                      // here every child has finished
//
// with_task_group runs the body, then waits until the body and every task spawned into the
// group (from the body or from other children) has finished, so children may borrow from the
// awaiting frame, and the callable stays alive until then (a capturing lambda is safe).
//
// Failure: the first failure -- of the body or of a child -- cancels the body and every other
// child; with_task_group waits for them all, then rethrows it. When more than one task failed
// (weft::cancelled from the cancellation does not count), it throws weft::task_group_error
// instead, which holds every failure in the order they happened (first() is the first one).
// g.cancel() cancels the body and the children; cancelling the task that awaits the group does
// too. Either way with_task_group then throws weft::cancelled.
//
// Yields the body's result. Spawning into a group that has finished is a std::logic_error.
//
// g++ 12 bug: a lambda *temporary* with by-value captures of non-trivial types (a std::string,
// a shared_ptr) inside a co_await expression is copied bitwise and destroyed twice. Name such a
// lambda first (`auto body = [s](task_group& g) -> task<> {...}; co_await with_task_group(body);`);
// `[&]` captures are unaffected. See docs/pitfalls.md.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <weft/detail/cancel/task_group_state.hpp>
#include <weft/spawn.hpp>
#include <weft/task.hpp>

namespace weft {

class task_group;
namespace detail {
template <class F>
using group_body_result_t = typename std::invoke_result_t<F&, task_group&>::value_type;
}  // namespace detail

template <class F>
task<detail::group_body_result_t<F>> with_task_group(F body);

// Several tasks of a group failed: every failure, in the order they happened.
class task_group_error : public std::runtime_error {
public:
    explicit task_group_error(std::vector<std::exception_ptr> failures);
    const std::vector<std::exception_ptr>& failures() const noexcept { return failures_; }
    std::exception_ptr first() const noexcept { return failures_.front(); }

private:
    std::vector<std::exception_ptr> failures_;
};

class task_group {
public:
    task_group(const task_group&) = delete;
    task_group& operator=(const task_group&) = delete;

    // Schedules `t` as a child of the group; returns its handle (dropping it is fine: the group
    // still waits for the task and sees its failure). Traces and slow-poll logs call the task by
    // its spawn site, or by `name` (see weft::spawn).
    template <class T>
    join_handle<T> spawn(task<T> t, spawn_site site = spawn_site::here()) {
        return spawn_labelled(t, site.file, site.line);
    }
    template <class T>
    join_handle<T> spawn(task<T> t, std::string_view name) {
        return spawn_labelled(t, detail::intern_task_name(name), 0);
    }

    // Cancels the body and every child. Any thread, any number of times.
    void cancel() { state_.cancel(); }

private:
    template <class F>
    friend task<detail::group_body_result_t<F>> with_task_group(F body);
    task_group() = default;

    template <class T>
    join_handle<T> spawn_labelled(task<T>& t, const char* label, std::uint32_t line) {
        detail::check_startable(detail::task_access::handle(t), "weft::task_group::spawn");
        auto* root = new detail::root_state(detail::root_state::kind::spawned, state_.owner(), label, line);
        auto frame = detail::task_access::release(t);
        root->frame_ = frame;
        root->promise_ = &frame.promise();
        frame.promise().completion_ = detail::completion::root;
        frame.promise().target_.root = root;
        state_.adopt(*root);  // throws (and frees root) if the group has finished
        return join_handle<T>(root);
    }

    detail::task_group_state state_;
};

// Runs `body(group)` and waits for the body and all of the group's children; see above.
template <class F>
task<detail::group_body_result_t<F>> with_task_group(F body) {
    using T = detail::group_body_result_t<F>;
    task_group g;
    g.state_.open();
    std::optional<detail::stored_value_t<T>> result;
    try {
        auto t = std::invoke(body, g);
        if constexpr (std::is_void_v<T>) {
            co_await g.state_.run_body(t);
        } else {
            result.emplace(co_await g.state_.run_body(t));
        }
    } catch (...) {
        g.state_.body_failed(std::current_exception());
    }
    co_await g.state_.join();
    g.state_.finish();  // rethrows as described above
    if constexpr (!std::is_void_v<T>) co_return std::move(*result);
}

}  // namespace weft
