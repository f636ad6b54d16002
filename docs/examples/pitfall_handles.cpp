// pitfall_handles: dropping a join handle detaches the task; a handle or a task is awaited once.
#include <weft/weft.hpp>

#include <atomic>
#include <cstdio>
#include <memory>
#include <stdexcept>

weft::task<int> value() { co_return 7; }

// Owns its data (a shared_ptr by value): it may outlive its caller's frame.
weft::task<> set_flag(std::shared_ptr<std::atomic<bool>> flag) {
    co_await weft::yield();
    flag->store(true);
}

weft::task<int> amain() {
    int failures = 0;

    // Dropping the handle does not cancel the task: it runs on, and its result is discarded.
    // (Had it thrown, the exception would only be logged: see logging.cpp.)
    auto flag = std::make_shared<std::atomic<bool>>(false);
    weft::spawn(set_flag(flag));  // the handle is a temporary: the task is detached at once
    while (!flag->load()) co_await weft::yield();
    std::printf("the detached task ran\n");

    // A join handle gives its result once: co_await moves it out.
    weft::join_handle<int> handle = weft::spawn(value());
    const int v = co_await handle;
    try {
        co_await handle;
        ++failures;
    } catch (const std::logic_error& e) {
        std::printf("second co_await on a handle: %s\n", e.what());
    }

    // So does a task.
    weft::task<int> t = value();
    const int w = co_await t;
    try {
        co_await t;
        ++failures;
    } catch (const std::logic_error& e) {
        std::printf("second co_await on a task: %s\n", e.what());
    }
    co_return failures + (v == 7 && w == 7 ? 0 : 1);
}

int main() { return weft::run(amain()); }
