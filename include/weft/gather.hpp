#pragma once
// weft::gather: run a batch of tasks concurrently and wait for all of them (asyncio.gather).
//
//     auto [a, b] = co_await weft::gather(fetch(1), fetch(2));      // std::tuple<A, B>
//     std::vector<int> all = co_await weft::gather(std::move(tasks)); // std::vector<int>
//
// Children run in parallel where workers are free (idle workers steal them) and interleaved on
// one thread otherwise. The awaiting coroutine resumes only after every child finished, so the
// children may safely borrow from its frame. Results come in argument order; a `task<void>`
// child contributes std::monostate to the tuple, and a vector of `task<void>` yields void. If
// children threw, the first exception in completion order is rethrown after all finished.
//
// How the children are scheduled, and why the join costs no atomic when nobody steals, is in
// detail/gather_join.hpp.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <weft/detail/frame_allocator.hpp>
#include <weft/detail/gather_join.hpp>
#include <weft/task.hpp>

namespace weft {
namespace detail {

inline worker_context& gather_worker() {
    worker_context* w = tls_worker;
    if (w == nullptr) throw std::logic_error("weft::gather: awaited outside a weft runtime");
    return *w;
}

template <class T>
gather_value_t<T> take_gather_value(task<T>& t) {
    if constexpr (std::is_void_v<T>) {
        return std::monostate{};
    } else {
        return task_access::handle(t).promise().take();
    }
}

// What a vector gather yields per child: references come back as std::reference_wrapper.
template <class T>
using gather_vector_value_t =
    std::conditional_t<std::is_reference_v<T>, std::reference_wrapper<std::remove_reference_t<T>>, T>;

template <class... T>
class [[nodiscard]] gather_tuple_awaiter {
public:
    explicit gather_tuple_awaiter(task<T>&&... tasks) : tasks_(std::move(tasks)...) {}
    gather_tuple_awaiter(const gather_tuple_awaiter&) = delete;
    gather_tuple_awaiter& operator=(const gather_tuple_awaiter&) = delete;

    bool await_ready() const {
        std::apply([](const auto&... t) { (check_startable(task_access::handle(t), "weft::gather"), ...); },
                   tasks_);
        return sizeof...(T) == 0;
    }

    std::coroutine_handle<> await_suspend(std::coroutine_handle<> parent) {
        worker_context& w = gather_worker();
        std::size_t i = 0;
        std::apply(
            [&](auto&... t) {
                ((children_[i++] = gather_child{&task_access::handle(t).promise(), task_access::handle(t)}), ...);
            },
            tasks_);
        return join_.start(parent, children_.data(), sizeof...(T), w);
    }

    std::tuple<gather_value_t<T>...> await_resume() {
        if (promise_base* failed = join_.first_failed()) std::rethrow_exception(failed->exception_);
        return std::apply([](auto&... t) { return std::tuple<gather_value_t<T>...>(take_gather_value(t)...); },
                          tasks_);
    }

private:
    std::tuple<task<T>...> tasks_;
    std::array<gather_child, sizeof...(T)> children_{};
    gather_join join_;
};

template <class T>
class [[nodiscard]] gather_vector_awaiter {
public:
    explicit gather_vector_awaiter(std::vector<task<T>>&& tasks) : tasks_(std::move(tasks)) {}
    gather_vector_awaiter(const gather_vector_awaiter&) = delete;
    gather_vector_awaiter& operator=(const gather_vector_awaiter&) = delete;
    ~gather_vector_awaiter() {
        if (children_ != nullptr) deallocate_frame(children_, tasks_.size() * sizeof(gather_child));
    }

    bool await_ready() const {
        if (tasks_.size() > std::uint32_t{0x7fffffff})
            throw std::length_error("weft::gather: more than 2^31-1 children");
        for (const auto& t : tasks_) check_startable(task_access::handle(t), "weft::gather");
        return tasks_.empty();
    }

    std::coroutine_handle<> await_suspend(std::coroutine_handle<> parent) {
        worker_context& w = gather_worker();
        const std::size_t n = tasks_.size();
        // safety: gather_child is trivially copyable; every slot is written before use.
        children_ = static_cast<gather_child*>(allocate_frame(n * sizeof(gather_child)));
        for (std::size_t i = 0; i < n; ++i) {
            auto h = task_access::handle(tasks_[i]);
            children_[i] = gather_child{&h.promise(), h};
        }
        return join_.start(parent, children_, static_cast<std::uint32_t>(n), w);
    }

    auto await_resume() {
        if (promise_base* failed = join_.first_failed()) std::rethrow_exception(failed->exception_);
        if constexpr (std::is_void_v<T>) {
            return;
        } else {
            std::vector<gather_vector_value_t<T>> results;
            results.reserve(tasks_.size());
            for (auto& t : tasks_) results.push_back(task_access::handle(t).promise().take());
            return results;
        }
    }

private:
    std::vector<task<T>> tasks_;
    gather_child* children_ = nullptr;
    gather_join join_;
};

}  // namespace detail

// Runs every task concurrently; yields std::tuple of their results in argument order.
template <class... T>
detail::gather_tuple_awaiter<T...> gather(task<T>... tasks) {
    return detail::gather_tuple_awaiter<T...>(std::move(tasks)...);
}

// Runs every task of the vector concurrently; yields std::vector<T> (void for task<void>,
// std::reference_wrapper elements for task<T&>).
template <class T>
detail::gather_vector_awaiter<T> gather(std::vector<task<T>> tasks) {
    return detail::gather_vector_awaiter<T>(std::move(tasks));
}

}  // namespace weft
