// embedding: weft::runtime, for programs whose main() is not a coroutine.
//
// A weft::runtime owns its worker threads. Threads that are not among them -- main(), a GUI
// thread, a thread pool of some other library -- use it through block_on (run a task, wait
// for its result) and spawn (start a task, get a join handle). The destructor shuts the
// runtime down as weft::run does.
#include <weft/weft.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

weft::task<int> twice(int x) {
    co_await weft::sleep_for(10ms);
    co_return 2 * x;
}

// A join handle is awaited inside a task; an outside thread waits for one through block_on.
weft::task<int> result_of(weft::join_handle<int> handle) { co_return co_await handle; }

int main() {
    weft::runtime rt({.threads = 2});
    std::printf("a runtime with %zu worker threads\n", rt.threads());
    std::printf("worker_index() on main(): %s\n", weft::worker_index() ? "a worker" : "none (not a worker)");

    // block_on: runs the task on the workers; this thread waits for the result.
    const int a = rt.block_on(twice(21));

    // spawn: from any thread; the task starts at once and the handle comes back at once.
    weft::join_handle<int> handle = rt.spawn(twice(50));
    const int b = rt.block_on(result_of(std::move(handle)));

    // Several outside threads may use one runtime at the same time.
    std::atomic<int> sum = 0;
    std::vector<std::thread> clients;
    for (int i = 1; i <= 4; ++i) clients.emplace_back([&rt, &sum, i] { sum += rt.block_on(twice(i)); });
    for (std::thread& t : clients) t.join();

    std::printf("a = %d, b = %d, sum = %d\n", a, b, sum.load());
    return a == 42 && b == 100 && sum == 20 ? 0 : 1;
}  // ~runtime: stops the workers and destroys any task still pending
