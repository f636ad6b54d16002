// to_thread: calling blocking code with weft::spawn_blocking (asyncio.to_thread).
//
// A blocking call inside a task blocks its worker; spawn_blocking runs it on the runtime's pool
// of blocking threads instead, and the task waits for the result without holding a worker. Here
// four 50 ms blocking calls on a one-worker runtime overlap (~50 ms), and the worker keeps
// running another task meanwhile.
#include <weft/weft.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

using namespace std::chrono_literals;

// Stands for any blocking API: a file read, a database client, a legacy library.
std::string read_sensor(int id) {
    std::this_thread::sleep_for(50ms);
    return "sensor " + std::to_string(id) + ": ok";
}

weft::task<std::string> read(int id) { co_return co_await weft::spawn_blocking(read_sensor, id); }

weft::task<> heartbeat(int* beats) {
    for (int i = 0; i < 5; ++i, ++*beats) co_await weft::sleep_for(5ms);  // runs meanwhile
}

weft::task<> amain() {
    const auto start = std::chrono::steady_clock::now();
    int beats = 0;
    auto [a, b, c, d, none] = co_await weft::gather(read(1), read(2), read(3), read(4), heartbeat(&beats));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::printf("%s\n%s\n%s\n%s\n", a.c_str(), b.c_str(), c.c_str(), d.c_str());
    std::printf("4 blocking calls of 50 ms on one worker: %lld ms; heartbeats meanwhile: %d\n",
                static_cast<long long>(ms.count()), beats);
    static_cast<void>(none);
}

int main() { weft::run(amain(), {.threads = 1}); }
