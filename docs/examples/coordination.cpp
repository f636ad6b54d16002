// coordination: weft::mutex, semaphore, event and latch, shared by tasks on any worker.
//
// Each suspends the waiting *task*, never the thread, and each wait is a cancellation checkpoint.
#include <weft/weft.hpp>

#include <chrono>
#include <cstdio>
#include <vector>

using namespace std::chrono_literals;

struct shop {
    weft::mutex till_lock;          // one task at a time at the till
    long till = 0;                  // guarded by till_lock
    weft::semaphore ovens{2};       // at most two bakes at once
    weft::event open;               // set when the shop opens
    weft::latch all_served{6};      // counted down once per customer
};

weft::task<> customer(shop& s, int i) {
    co_await s.open.wait();  // wait, without a thread, until the shop opens
    co_await s.ovens.acquire();
    co_await weft::sleep_for(2ms);  // bake
    s.ovens.release();
    {
        weft::mutex_guard g = co_await s.till_lock.lock();
        s.till += 10 + i;            // exclusive, on whichever worker runs this
    }                                // unlocked here
    s.all_served.count_down();
}

weft::task<> customers(shop& s) {
    std::vector<weft::task<>> all;
    for (int i = 0; i < 6; ++i) all.push_back(customer(s, i));
    co_await weft::gather(std::move(all));
}

weft::task<> shopkeeper(shop& s) {
    co_await weft::sleep_for(5ms);
    s.open.set();  // every waiting customer wakes
    co_await s.all_served.wait();
    std::printf("all served, till holds %ld\n", s.till);
}

weft::task<> amain() {
    shop s;
    co_await weft::gather(customers(s), shopkeeper(s));
}

int main() { weft::run(amain(), {.threads = 2}); }
