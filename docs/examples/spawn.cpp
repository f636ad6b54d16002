// spawn: start a task now, pick up its result later (asyncio.create_task).
#include <weft/weft.hpp>

#include <chrono>
#include <cstdio>
#include <vector>

using namespace std::chrono_literals;

weft::task<int> slow_square(int x) {
    co_await weft::sleep_for(20ms);
    co_return x * x;
}

weft::task<int> amain() {
    // spawn schedules the task at once and returns a join handle; the caller goes on.
    weft::join_handle<int> handle = weft::spawn(slow_square(7));
    std::printf("spawned; done() = %s\n", handle.done() ? "true" : "false");

    // ... the caller can do other work here while slow_square sleeps ...

    int result = co_await handle;  // the result (or the task's exception), once it finished
    std::printf("result = %d; done() = %s\n", result, handle.done() ? "true" : "false");

    // Many at once: keep the handles, then await each. All ten sleep at the same time.
    const auto start = std::chrono::steady_clock::now();
    std::vector<weft::join_handle<int>> handles;
    for (int i = 0; i < 10; ++i) handles.push_back(weft::spawn(slow_square(i)));
    int total = 0;
    for (weft::join_handle<int>& h : handles) total += co_await h;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::printf("ten 20 ms tasks: total %d in %lld ms\n", total, static_cast<long long>(ms.count()));

    co_return result == 49 && total == 285 ? 0 : 1;
}

int main() { return weft::run(amain()); }
