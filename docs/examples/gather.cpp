// gather: run several tasks concurrently and wait for all of them (asyncio.gather).
#include <weft/weft.hpp>

#include <cstdio>
#include <numeric>
#include <span>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

weft::task<int> square(int x) {
    co_await weft::yield();
    co_return x * x;
}

weft::task<std::string> name() { co_return "weft"; }

weft::task<> nothing() { co_return; }

// Borrows a slice of the caller's vector: safe in a gather, because the caller resumes only
// after every child has finished.
weft::task<long> sum(std::span<const int> part) { co_return std::accumulate(part.begin(), part.end(), 0L); }

weft::task<int> amain() {
    // A fixed set of tasks, of any types: a std::tuple, in argument order.
    // A task<void> contributes std::monostate.
    auto [nine, text, none] = co_await weft::gather(square(3), name(), nothing());
    static_assert(std::is_same_v<decltype(none), std::monostate>);

    // A batch of one type, sized at run time: a std::vector, in the order of the input.
    std::vector<weft::task<int>> batch;
    for (int i = 1; i <= 5; ++i) batch.push_back(square(i));
    std::vector<int> squares = co_await weft::gather(std::move(batch));  // 1 4 9 16 25

    // A vector of task<void> gives void.
    std::vector<weft::task<>> chores;
    chores.push_back(nothing());
    chores.push_back(nothing());
    co_await weft::gather(std::move(chores));

    // Children borrowing from this frame.
    std::vector<int> data(1000);
    std::iota(data.begin(), data.end(), 1);
    const std::span<const int> all(data);
    auto [low, high] = co_await weft::gather(sum(all.first(500)), sum(all.last(500)));

    std::printf("%d %s | %d %d %d %d %d | %ld\n", nine, text.c_str(), squares[0], squares[1], squares[2],
                squares[3], squares[4], low + high);
    co_return nine == 9 && text == "weft" && squares[4] == 25 && low + high == 500500 ? 0 : 1;
}

int main() { return weft::run(amain()); }
