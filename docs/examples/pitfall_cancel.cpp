// pitfall_cancel: swallowing weft::cancelled.
//
// Catching weft::cancelled to clean up is fine; catching it and carrying on keeps a task running
// that was asked to stop -- and every later checkpoint throws again, so a loop that swallows it
// spins without ever suspending. Rethrow it (or return).
#include <weft/weft.hpp>

#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

weft::task<int> worker_that_cleans_up() {
    int rounds = 0;
    for (;;) {
        try {
            co_await weft::sleep_for(1h);
            ++rounds;
        } catch (const weft::cancelled&) {
            std::printf("cleaning up after %d round(s), then stopping\n", rounds);
            throw;  // right: the task ends, `co_await handle` sees weft::cancelled
        }
        // wrong would be: catch (const weft::cancelled&) { continue; }
    }
}

weft::task<> amain() {
    auto h = weft::spawn(worker_that_cleans_up());
    co_await weft::sleep_for(5ms);
    h.cancel();
    try {
        co_await h;
    } catch (const weft::cancelled&) {
        std::printf("the worker stopped\n");
    }
}

int main() { weft::run(amain()); }
