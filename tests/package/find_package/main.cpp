#include <weft/weft.hpp>

weft::task<int> answer() { co_return 42; }

int main() { return weft::run(answer()) == 42 ? 0 : 1; }
