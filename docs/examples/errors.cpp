// errors: an exception thrown in a task reaches whoever takes its result.
#include <weft/weft.hpp>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;

weft::task<int> fail(std::string what, std::chrono::milliseconds after = 0ms) {
    co_await weft::sleep_for(after);  // a zero duration just yields
    throw std::runtime_error(what);
}

weft::task<int> succeed() { co_return 1; }

weft::task<int> amain() {
    int caught = 0;

    // co_await: the exception is rethrown in the awaiting coroutine, as from a function call.
    try {
        co_await fail("awaited");
    } catch (const std::runtime_error& e) {
        std::printf("co_await:    %s\n", e.what());
        ++caught;
    }

    // gather: the first exception cancels the other children; once all of them finished,
    // it is rethrown. The others' results (and any later exceptions) are discarded.
    try {
        co_await weft::gather(fail("second to fail", 20ms), succeed(), fail("first to fail"));
    } catch (const std::runtime_error& e) {
        std::printf("gather:      %s\n", e.what());
        ++caught;
    }

    // join handle: co_await rethrows the spawned task's exception.
    weft::join_handle<int> handle = weft::spawn(fail("spawned"));
    try {
        co_await handle;
    } catch (const std::runtime_error& e) {
        std::printf("join_handle: %s\n", e.what());
        ++caught;
    }
    co_return caught;
}

int main() {
    const int caught = weft::run(amain());
    // weft::run rethrows the main task's exception.
    try {
        weft::run(fail("main"));
    } catch (const std::runtime_error& e) {
        std::printf("weft::run:   %s\n", e.what());
        return caught == 3 ? 0 : 1;
    }
    return 1;
}
