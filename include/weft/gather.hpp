#pragma once
// weft::gather and weft::gather_settled: run a batch of tasks concurrently and wait for all of
// them (asyncio.gather, and asyncio.gather(..., return_exceptions=True)).
//
//     auto [a, b] = co_await weft::gather(fetch(1), fetch(2));      // std::tuple<A, B>
//     std::vector<int> all = co_await weft::gather(std::move(tasks)); // std::vector<int>
//     auto [x, y] = co_await weft::gather_settled(fetch(1), fetch(2)); // outcome<A>, outcome<B>
//
// Children run in parallel where workers are free (idle workers steal them) and interleaved on
// one thread otherwise. The awaiting coroutine resumes only after every child finished, so the
// children may safely borrow from its frame. Results come in argument order; a `task<void>`
// child contributes std::monostate to the tuple, and a vector of `task<void>` yields void.
//
// Failure (asyncio.TaskGroup semantics): the first child to throw cancels its siblings; gather
// waits for them to unwind, then rethrows that first exception. gather_settled never throws for
// a child: each one's result or exception comes back as a weft::outcome<T>.
//
// Both are checkpoints, and cancelling the awaiting task cancels every child.
//
// How the children are scheduled, and why the join costs no atomic when nobody steals, is in
// detail/task/fan_in_join.hpp.
#include <utility>
#include <vector>

#include <weft/detail/task/fan_in_awaiters.hpp>
#include <weft/outcome.hpp>
#include <weft/task.hpp>

namespace weft {

// Runs every task concurrently; yields std::tuple of their results in argument order.
template <class... T>
detail::tuple_fan_in<detail::join_mode::all, T...> gather(task<T>... tasks) {
    return {"weft::gather", std::move(tasks)...};
}

// Runs every task of the vector concurrently; yields std::vector<T> (void for task<void>,
// std::reference_wrapper elements for task<T&>).
template <class T>
detail::vector_fan_in<detail::join_mode::all, T> gather(std::vector<task<T>> tasks) {
    return {"weft::gather", std::move(tasks)};
}

// Runs every task concurrently and never throws for a child; yields std::tuple<outcome<T>...>.
template <class... T>
detail::tuple_fan_in<detail::join_mode::settled, T...> gather_settled(task<T>... tasks) {
    return {"weft::gather_settled", std::move(tasks)...};
}

// The vector form; yields std::vector<outcome<T>>.
template <class T>
detail::vector_fan_in<detail::join_mode::settled, T> gather_settled(std::vector<task<T>> tasks) {
    return {"weft::gather_settled", std::move(tasks)};
}

}  // namespace weft
