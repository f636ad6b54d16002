// timeout: bounding work in time.
#include <weft/weft.hpp>

#include <chrono>
#include <cstdio>
#include <optional>

using namespace std::chrono_literals;

weft::task<int> slow_answer() {
    co_await weft::sleep_for(1h);
    co_return 42;
}

weft::task<int> quick_answer() {
    co_await weft::sleep_for(1ms);
    co_return 7;
}

weft::task<> amain() {
    // The work is cancelled when the deadline passes; timeout waits for it, then throws.
    try {
        co_await weft::timeout(20ms, slow_answer());
    } catch (const weft::timeout_error&) {
        std::printf("timeout:     slow_answer took too long\n");
    }

    // try_timeout yields std::nullopt instead of throwing.
    std::optional<int> r = co_await weft::try_timeout(1s, quick_answer());
    std::printf("try_timeout: %d\n", r.value_or(-1));
}

int main() { weft::run(amain()); }
