// pitfall_blocking: blocking calls inside a task, and a std::mutex held across co_await.
//
// namespace `wrong` compiles but is never called: at threads = 1 it deadlocks.
#include <weft/weft.hpp>

#include <chrono>
#include <cstdio>
#include <future>
#include <mutex>
#include <string>
#include <thread>

using namespace std::chrono_literals;

namespace wrong {

// The lock is held across a suspension. Two things go wrong:
//  - the task may resume on another worker thread, which then unlocks a std::mutex it does not
//    own (undefined behaviour);
//  - while it sleeps, another task that calls lock() blocks its whole worker thread. On one
//    thread that is the thread the sleeper needs to resume: a deadlock.
weft::task<> add_slowly(std::mutex& m, int& total) {
    std::lock_guard lock(m);
    co_await weft::sleep_for(1ms);
    ++total;
}

}  // namespace wrong

namespace right {

// Suspend first, then lock for the update only, with no co_await while the lock is held.
weft::task<> add_slowly(std::mutex& m, int& total) {
    co_await weft::sleep_for(1ms);
    std::lock_guard lock(m);
    ++total;
}

}  // namespace right

// Stands in for a blocking call: a file read, a database client, a DNS lookup.
std::string read_config() {
    std::this_thread::sleep_for(50ms);
    return "threads=4";
}

// Until weft has spawn_blocking (planned), a blocking call can run on a thread of its own while
// the task polls for the result and sleeps in between, leaving its worker free. (If the task is
// destroyed while polling, ~future waits for the thread to finish.)
weft::task<std::string> read_config_off_worker() {
    std::future<std::string> result = std::async(std::launch::async, read_config);
    while (result.wait_for(0s) != std::future_status::ready) co_await weft::sleep_for(1ms);
    co_return result.get();
}

weft::task<int> amain() {
    std::mutex m;
    int total = 0;
    co_await weft::gather(right::add_slowly(m, total), right::add_slowly(m, total));

    // The worker stays free while read_config blocks its own thread: the ticks go on.
    int ticks = 0;
    auto ticker = [](int& n) -> weft::task<> {
        for (int i = 0; i < 10; ++i) {
            ++n;
            co_await weft::sleep_for(1ms);
        }
    };
    auto [config, unit] = co_await weft::gather(read_config_off_worker(), ticker(ticks));
    static_cast<void>(unit);

    std::printf("total = %d, config = %s, ticks while reading = %d\n", total, config.c_str(), ticks);
    co_return total == 2 && config == "threads=4" && ticks == 10 ? 0 : 1;
}

int main() { return weft::run(amain(), {.threads = 1}); }
