// hello: the smallest weft program.
//
// weft::run is asyncio.run: it starts a runtime, runs the main task to completion, shuts the
// runtime down and returns the main task's value (or rethrows its exception).
#include <weft/weft.hpp>

#include <cstdio>

weft::task<int> answer() { co_return 42; }

weft::task<int> amain() {
    int a = co_await answer();  // runs answer() to completion, then continues here
    std::printf("the answer is %d\n", a);
    co_return a == 42 ? 0 : 1;
}

int main() { return weft::run(amain()); }
