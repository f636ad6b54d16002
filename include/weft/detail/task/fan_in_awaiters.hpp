#pragma once
// The awaiters behind gather, gather_settled and when_any: own the child tasks, start them on a
// fan_in_join (fan_in_join.hpp) in the join mode that names the operation, and build the
// result once every child finished.
//
//   join_mode::all      gather          values in argument order, or the first failure rethrown
//   join_mode::settled  gather_settled  an outcome<T> per child, never throws for a child
//   join_mode::any      when_any        the first child to finish: its value (which child it
//                                       was travels with it) or its exception
//   join_mode::race     timeout         as any, but an outcome<T> per child, like settled
//
// Starting any of them is a checkpoint: a cancelled task throws weft::cancelled and its
// children never start. Results are returned once all children finished, so the children may
// borrow from the awaiting frame.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <weft/detail/task/frame_allocator.hpp>
#include <weft/detail/task/fan_in_join.hpp>
#include <weft/outcome.hpp>
#include <weft/task.hpp>

namespace weft::detail {

template <class T>
gather_value_t<T> take_gather_value(task<T>& t) {
    if constexpr (std::is_void_v<T>) {
        return std::monostate{};
    } else {
        return task_access::handle(t).promise().take();
    }
}

template <class T>
outcome<T> take_outcome(task<T>& t) {
    auto& p = task_access::handle(t).promise();
    if (p.exception_) return outcome<T>(p.exception_);
    if constexpr (std::is_void_v<T>) {
        return outcome<void>();
    } else {
        return outcome<T>(std::in_place, p.take());
    }
}

template <class T>
stored_value_t<T> take_stored_value(task<T>& t) {
    if constexpr (std::is_void_v<T>) {
        return std::monostate{};
    } else {
        return task_access::handle(t).promise().take();
    }
}

inline std::size_t child_index(const fan_in_child* children, const promise_base* p) {
    std::size_t i = 0;
    while (children[i].promise != p) ++i;
    return i;
}

template <join_mode Mode, class... T>
class [[nodiscard]] tuple_fan_in {
public:
    tuple_fan_in(const char* what, task<T>&&... tasks) : what_(what), tasks_(std::move(tasks)...) {}
    tuple_fan_in(const tuple_fan_in&) = delete;
    tuple_fan_in& operator=(const tuple_fan_in&) = delete;

    bool await_ready() const {
        std::apply([&](const auto&... t) { (check_startable(task_access::handle(t), what_), ...); }, tasks_);
        check_cancelled();
        return sizeof...(T) == 0;
    }

    std::coroutine_handle<> await_suspend(std::coroutine_handle<> parent) {
        worker_context& w = current_worker(what_);
        std::size_t i = 0;
        std::apply(
            [&](auto&... t) {
                ((children_[i].promise = &task_access::handle(t).promise(),
                  children_[i].handle = task_access::handle(t), ++i),
                 ...);
            },
            tasks_);
        return join_.start(parent, children_.data(), sizeof...(T), w);
    }

    auto await_resume() {
        if constexpr (sizeof...(T) > 0) tls_cancel = join_.parent_node();
        if constexpr (Mode == join_mode::all) {
            if (promise_base* failed = join_.first()) std::rethrow_exception(failed->exception_);
            return std::apply([](auto&... t) { return std::tuple<gather_value_t<T>...>(take_gather_value(t)...); },
                              tasks_);
        } else if constexpr (Mode == join_mode::settled || Mode == join_mode::race) {
            return std::apply([](auto&... t) { return std::tuple<outcome<T>...>(take_outcome(t)...); }, tasks_);
        } else {
            promise_base* winner = join_.first();
            if (winner->exception_) std::rethrow_exception(winner->exception_);
            return take_winner(child_index(children_.data(), winner), std::index_sequence_for<T...>{});
        }
    }

private:
    template <std::size_t... I>
    std::variant<stored_value_t<T>...> take_winner(std::size_t winner, std::index_sequence<I...>) {
        std::optional<std::variant<stored_value_t<T>...>> out;
        ((winner == I ? (out.emplace(std::in_place_index<I>, take_stored_value(std::get<I>(tasks_))), 0) : 0), ...);
        return std::move(*out);
    }

    const char* what_;
    std::tuple<task<T>...> tasks_;
    std::array<fan_in_child, sizeof...(T)> children_{};
    fan_in_join join_{Mode};
};

template <join_mode Mode, class T>
class [[nodiscard]] vector_fan_in {
public:
    static_assert(Mode != join_mode::race, "race is tuple-only (timeout)");
    vector_fan_in(const char* what, std::vector<task<T>>&& tasks) : what_(what), tasks_(std::move(tasks)) {}
    vector_fan_in(const vector_fan_in&) = delete;
    vector_fan_in& operator=(const vector_fan_in&) = delete;
    ~vector_fan_in() {
        if (children_ == nullptr) return;
        for (std::size_t i = 0; i < tasks_.size(); ++i) children_[i].~fan_in_child();
        deallocate_frame(children_, tasks_.size() * sizeof(fan_in_child));
    }

    bool await_ready() const {
        if (tasks_.size() > std::uint32_t{0x7fffffff})
            throw std::length_error(std::string(what_) + ": more than 2^31-1 children");
        if (Mode == join_mode::any && tasks_.empty())
            throw std::invalid_argument(std::string(what_) + ": no tasks (the first of none never finishes)");
        for (const auto& t : tasks_) check_startable(task_access::handle(t), what_);
        check_cancelled();
        return tasks_.empty();
    }

    std::coroutine_handle<> await_suspend(std::coroutine_handle<> parent) {
        worker_context& w = current_worker(what_);
        const std::size_t n = tasks_.size();
        auto* slots = static_cast<fan_in_child*>(allocate_frame(n * sizeof(fan_in_child)));
        for (std::size_t i = 0; i < n; ++i) {
            auto h = task_access::handle(tasks_[i]);
            auto* c = ::new (static_cast<void*>(slots + i)) fan_in_child;
            c->promise = &h.promise();
            c->handle = h;
        }
        children_ = slots;
        return join_.start(parent, children_, static_cast<std::uint32_t>(n), w);
    }

    auto await_resume() {
        if (!tasks_.empty()) tls_cancel = join_.parent_node();
        if constexpr (Mode == join_mode::all) {
            if (promise_base* failed = join_.first()) std::rethrow_exception(failed->exception_);
            if constexpr (std::is_void_v<T>) {
                return;
            } else {
                std::vector<stored_value_t<T>> results;
                results.reserve(tasks_.size());
                for (auto& t : tasks_) results.push_back(task_access::handle(t).promise().take());
                return results;
            }
        } else if constexpr (Mode == join_mode::settled) {
            std::vector<outcome<T>> results;
            results.reserve(tasks_.size());
            for (auto& t : tasks_) results.push_back(take_outcome(t));
            return results;
        } else {
            promise_base* winner = join_.first();
            if (winner->exception_) std::rethrow_exception(winner->exception_);
            const std::size_t i = child_index(children_, winner);
            return std::pair<std::size_t, stored_value_t<T>>(i, take_stored_value(tasks_[i]));
        }
    }

private:
    const char* what_;
    std::vector<task<T>> tasks_;
    fan_in_child* children_ = nullptr;
    fan_in_join join_{Mode};
};

}  // namespace weft::detail
