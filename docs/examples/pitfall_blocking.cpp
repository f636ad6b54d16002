// pitfall_blocking: blocking calls inside a task, and a std::mutex held across co_await.
//
// namespace `wrong` compiles but is never called: at threads = 1 it deadlocks.
#include <weft/weft.hpp>

#include <chrono>
#include <cstdio>
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

// spawn_blocking runs the call on the runtime's pool of blocking threads; the task waits for the
// result without holding its worker.
weft::task<std::string> read_config_off_worker() { co_return co_await weft::spawn_blocking(read_config); }

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
