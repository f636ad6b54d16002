// interleave: two coroutines take turns on one thread.
//
// A subroutine runs from call to return without stopping. A coroutine can suspend in the middle
// (at co_await) and be resumed later, so two of them can take turns on one thread. Here each
// task records a step and then yields (asyncio.sleep(0)). With threads = 1 the order is always
// the same; with more threads the tasks may also run at the same moment, and the order varies.
#include <weft/weft.hpp>

#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>

// Shared by the two tasks. At threads > 1 they may record at the same moment, so it locks.
struct journal {
    std::mutex mutex;
    std::string text;

    void record(char who, int step) {
        std::lock_guard lock(mutex);  // released before the task's next co_await
        if (!text.empty()) text += ' ';
        text += who;
        text += static_cast<char>('0' + step);
    }
};

// `log` may be a reference: gather resumes the parent only when both children finished, so the
// journal in the parent's frame outlives them (docs/pitfalls.md).
weft::task<> steps(char who, journal& log) {
    for (int i = 0; i < 3; ++i) {
        log.record(who, i);
        co_await weft::yield();  // let the other ready tasks run first
    }
}

weft::task<std::string> both() {
    journal log;
    co_await weft::gather(steps('a', log), steps('b', log));
    co_return log.text;
}

int main() {
    const std::string one = weft::run(both(), {.threads = 1});
    std::printf("threads=1: %s\n", one.c_str());
    const std::string two = weft::run(both(), {.threads = 2});
    std::printf("threads=2: %s (the order may differ from run to run)\n", two.c_str());
    return one == "a0 b0 a1 b1 a2 b2" && two.size() == one.size() ? 0 : 1;
}
