// structured: gather's failure rule, gather_settled, when_any and a task group.
#include <weft/weft.hpp>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;

weft::task<std::string> fetch(std::string name, std::chrono::milliseconds latency, bool fails = false) {
    co_await weft::sleep_for(latency);
    if (fails) throw std::runtime_error(name + " is down");
    co_return name;
}

weft::task<> amain() {
    // gather: the first failure cancels the siblings; gather waits for them, then rethrows it.
    try {
        co_await weft::gather(fetch("a", 1h), fetch("b", 5ms, /*fails=*/true));
    } catch (const std::runtime_error& e) {
        std::printf("gather:         %s (the hour-long fetch was cancelled)\n", e.what());
    }

    // gather_settled: every child runs to its end; each result or exception comes back.
    auto [a, b] = co_await weft::gather_settled(fetch("a", 1ms), fetch("b", 2ms, true));
    std::printf("gather_settled: a %s, b %s\n", a.has_value() ? "ok" : "failed", b.has_value() ? "ok" : "failed");

    // when_any: the first to finish wins; the others are cancelled and awaited.
    auto first = co_await weft::when_any(fetch("primary", 50ms), fetch("mirror", 5ms));
    std::printf("when_any:       child %zu won\n", first.index());

    // A task group: spawn as many children as you like; all are awaited before it returns.
    int started = 0;
    co_await weft::with_task_group([&](weft::task_group& g) -> weft::task<> {
        for (int i = 0; i < 3; ++i, ++started) g.spawn(fetch("page", 2ms));
        co_return;
    });
    std::printf("task group:     %d children finished\n", started);
}

int main() { weft::run(amain()); }
