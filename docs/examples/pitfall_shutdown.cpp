// pitfall_shutdown: what happens to tasks still running when weft::run's main task returns.
//
// Shutdown cancels every task that has not finished: a suspended one wakes with weft::cancelled
// and unwinds, running the destructors of its locals. A worker gets to that only when the task
// it is running suspends, so a task that never suspends delays shutdown until it returns.
#include <weft/weft.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>

using namespace std::chrono_literals;
using std::chrono::steady_clock;

struct announce_destruction {
    ~announce_destruction() { std::printf("  the sleeper's locals were destroyed at shutdown\n"); }
};

weft::task<> sleeper(std::shared_ptr<std::atomic<int>> started) {
    announce_destruction guard;
    ++*started;
    co_await weft::sleep_for(1h);  // shutdown cancels it here: the co_await throws weft::cancelled
    std::printf("  unreachable\n");
}

// 300 ms of computation without a suspension point.
weft::task<> busy_never_suspends(std::shared_ptr<std::atomic<int>> started) {
    ++*started;
    const auto end = steady_clock::now() + 300ms;
    while (steady_clock::now() < end) {
    }
    co_return;
}

// The same computation with a yield in every round: a checkpoint where shutdown's cancellation
// stops it.
weft::task<> busy_yields(std::shared_ptr<std::atomic<int>> started) {
    ++*started;
    const auto end = steady_clock::now() + 300ms;
    while (steady_clock::now() < end) co_await weft::yield();
}

using busy_task = weft::task<> (*)(std::shared_ptr<std::atomic<int>>);

// Spawns the sleeper and `busy`, waits until both have started, and returns, which starts the
// shutdown. (A spawned task that has not started by then ends without ever running.)
weft::task<> amain(busy_task busy) {
    auto started = std::make_shared<std::atomic<int>>(0);
    weft::spawn(sleeper(started));
    weft::spawn(busy(started));
    while (started->load() < 2) co_await weft::yield();
}

long long run_ms(busy_task busy) {
    const auto start = steady_clock::now();
    weft::run(amain(busy), {.threads = 2});
    return std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - start).count();
}

int main() {
    std::printf("a busy task that never suspends:\n");
    const long long never = run_ms(busy_never_suspends);
    std::printf("  weft::run returned after %lld ms\n", never);
    std::printf("a busy task that yields:\n");
    const long long yields = run_ms(busy_yields);
    std::printf("  weft::run returned after %lld ms\n", yields);
}
