// blocking: std::this_thread::sleep_for blocks the worker thread; weft::sleep_for suspends only
// the task.
//
// Two tasks each wait 100 ms, on a runtime with one worker thread. With weft::sleep_for both
// waits overlap (~100 ms in all). With std::this_thread::sleep_for the first task holds the only
// worker for its whole wait, so the second cannot even start (~200 ms). More threads would hide
// this only until there are more blocking tasks than threads.
#include <weft/weft.hpp>

#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>

using namespace std::chrono_literals;

weft::task<> wait_suspending() {
    co_await weft::sleep_for(100ms);  // the task is suspended; the worker runs other tasks
}

weft::task<> wait_blocking() {
    std::this_thread::sleep_for(100ms);  // the worker thread itself sleeps: nothing else runs on it
    co_return;
}

weft::task<> two_suspending() { co_await weft::gather(wait_suspending(), wait_suspending()); }
weft::task<> two_blocking() { co_await weft::gather(wait_blocking(), wait_blocking()); }

long long ms_on_one_thread(weft::task<> main) {
    const auto start = std::chrono::steady_clock::now();
    weft::run(std::move(main), {.threads = 1});
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
}

int main() {
    std::printf("two 100 ms waits at threads=1\n");
    std::printf("  weft::sleep_for:             %4lld ms\n", ms_on_one_thread(two_suspending()));
    std::printf("  std::this_thread::sleep_for: %4lld ms\n", ms_on_one_thread(two_blocking()));
}
