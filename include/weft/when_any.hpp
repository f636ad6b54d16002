#pragma once
// weft::when_any: race tasks; the first to finish wins, the others are cancelled (Tokio's
// select!, asyncio.wait(return_when=FIRST_COMPLETED) followed by cancelling the rest).
//
//     auto r = co_await weft::when_any(fetch_primary(), fetch_mirror());
//     if (r.index() == 0) use(std::get<0>(r));          // std::variant<A, B>
//     auto [i, v] = co_await weft::when_any(std::move(replicas));   // std::pair<std::size_t, T>
//
// The winner is the first child to finish, with a value or an exception; if it threw, when_any
// rethrows that. The losers are cancelled and awaited before when_any returns, so the children
// may borrow from the awaiting frame; a loser that finished with a value anyway (it reached no
// checkpoint) has its value dropped. A `task<void>` child contributes std::monostate; a `task<T&>`
// child std::reference_wrapper<T>. A vector with no tasks is std::invalid_argument.
//
// when_any is a checkpoint, and cancelling the awaiting task cancels every child.
#include <utility>
#include <vector>

#include <weft/detail/task/fan_in_awaiters.hpp>
#include <weft/task.hpp>

namespace weft {

template <class... T>
detail::tuple_fan_in<detail::join_mode::any, T...> when_any(task<T>... tasks) {
    static_assert(sizeof...(T) > 0, "weft::when_any needs at least one task");
    return {"weft::when_any", std::move(tasks)...};
}

template <class T>
detail::vector_fan_in<detail::join_mode::any, T> when_any(std::vector<task<T>> tasks) {
    return {"weft::when_any", std::move(tasks)};
}

}  // namespace weft
