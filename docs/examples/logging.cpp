// logging: weft logs through spdlog to stderr, at the level named by options::log_level or
// WEFT_LOG (trace, debug, info, warn, error, critical, off; default warn).
//
// This program sets WEFT_LOG=info for itself (unless the caller set WEFT_LOG) before its runtime
// starts, since weft reads the variable when a runtime starts; options::log_level would do the
// same without the environment. In a shell, write WEFT_LOG=info ./app instead.
//
// It then drops the join handle of a task that failed, without taking the exception: the
// exception is lost, and weft logs it (asyncio's "Task exception was never retrieved").
#include <weft/weft.hpp>

#include <cstdlib>
#include <stdexcept>

weft::task<> fail() {
    co_await weft::yield();
    throw std::runtime_error("the toaster is on fire");
}

weft::task<> amain() {
    weft::join_handle<> handle = weft::spawn(fail());
    while (!handle.done()) co_await weft::yield();
    // `handle` is destroyed here without being awaited: weft logs the exception at error level.
}

int main() {
    ::setenv("WEFT_LOG", "info", /*overwrite=*/0);
    weft::run(amain(), {.threads = 2});
}
