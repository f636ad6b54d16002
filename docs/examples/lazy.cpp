// lazy: calling a coroutine function creates a task; nothing in its body runs until the task
// is awaited (or spawned, gathered, or passed to weft::run).
#include <weft/weft.hpp>

#include <cstdio>
#include <string>

weft::task<> greet(std::string name) {  // by value: the task's frame owns its argument
    std::printf("   hello, %s\n", name.c_str());
    co_return;
}

weft::task<> amain() {
    std::printf("1. create the task\n");
    weft::task<> t = greet("world");  // allocates the frame, stops before the first statement
    std::printf("2. the task exists but has not run\n");
    co_await t;  // now it runs, and amain continues when it has finished
    std::printf("3. the task finished\n");

    weft::task<> never = greet("nobody");  // never started: destroying it prints nothing
}

int main() { weft::run(amain()); }
