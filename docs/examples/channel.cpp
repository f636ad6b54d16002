// channel: a pipeline of tasks connected by bounded channels (Go's buffered channels,
// asyncio.Queue).
//
// A producer sends numbers, two workers square them, a consumer adds them up. `send` waits while
// the channel is full, so a fast producer cannot run away from slow workers; `recv` yields
// std::nullopt once the channel is closed and drained, which ends each loop.
#include <weft/weft.hpp>

#include <cstdio>
#include <optional>

weft::task<> produce(weft::channel<int> out, int n) {
    for (int i = 1; i <= n; ++i) co_await out.send(i);
    out.close();  // no more values: the workers drain what is left, then stop
}

weft::task<> square(weft::channel<int> in, weft::channel<long> out) {
    while (std::optional<int> v = co_await in.recv()) co_await out.send(long{*v} * *v);
}

weft::task<long> consume(weft::channel<long> in) {
    long sum = 0;
    while (std::optional<long> v = co_await in.recv()) sum += *v;
    co_return sum;
}

weft::task<> amain() {
    weft::channel<int> numbers{8};     // channels are handles: copies share one queue
    weft::channel<long> squares{8};
    auto total = weft::spawn(consume(squares));
    co_await weft::gather(produce(numbers, 1000), square(numbers, squares), square(numbers, squares));
    squares.close();                   // both workers are done
    std::printf("sum of squares 1..1000 = %ld\n", co_await total);
}

int main() { weft::run(amain()); }
