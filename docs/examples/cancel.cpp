// cancel: stopping a task that is asleep, and a CPU loop that stays cancellable.
//
// h.cancel() asks a spawned task to stop. The task throws weft::cancelled at its next checkpoint
// (every weft suspension point; weft::checkpoint() in loops), unwinds through its destructors,
// and `co_await h` throws weft::cancelled.
#include <weft/weft.hpp>

#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

weft::task<int> poll_forever() {
    int polls = 0;
    try {
        for (;;) {
            ++polls;
            co_await weft::sleep_for(1h);  // a checkpoint: cancellation wakes it at once
        }
    } catch (const weft::cancelled&) {
        std::printf("poller: cancelled after %d poll(s), cleaning up\n", polls);
        throw;  // let it propagate: swallowing it would keep the task running
    }
}

weft::task<long> count_primes(long limit) {
    long found = 0;
    for (long n = 2; n < limit; ++n) {
        bool prime = true;
        for (long d = 2; d * d <= n && prime; ++d) prime = n % d != 0;
        found += prime;
        co_await weft::checkpoint();  // cheap; throws weft::cancelled once cancel() was called
    }
    co_return found;
}

weft::task<> amain() {
    weft::join_handle<int> poller = weft::spawn(poll_forever());
    co_await weft::sleep_for(10ms);
    poller.cancel();
    try {
        co_await poller;
    } catch (const weft::cancelled&) {
        std::printf("main: the poller ended with weft::cancelled\n");
    }

    weft::join_handle<long> counter = weft::spawn(count_primes(1'000'000'000));
    co_await weft::sleep_for(10ms);
    counter.cancel();  // the loop notices at its next checkpoint
    try {
        co_await counter;
    } catch (const weft::cancelled&) {
        std::printf("main: the prime counter stopped at its checkpoint\n");
    }
}

int main() { weft::run(amain()); }
