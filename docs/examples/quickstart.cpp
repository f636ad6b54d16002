// quickstart: the README example. Two coroutines wait at the same time on one thread.
#include <weft/weft.hpp>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;

weft::task<std::string> brew_coffee() {
    co_await weft::sleep_for(300ms);  // suspends this task; the thread runs other tasks
    co_return "coffee";
}

weft::task<std::string> toast_bagel() {
    co_await weft::sleep_for(200ms);
    co_return "bagel";
}

weft::task<> breakfast() {
    // Both run concurrently: ready after ~300 ms, not 500.
    auto [coffee, bagel] = co_await weft::gather(brew_coffee(), toast_bagel());
    std::printf("%s and %s\n", coffee.c_str(), bagel.c_str());
}

int main() { weft::run(breakfast(), {.threads = 1}); }
