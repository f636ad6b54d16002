// worker_index: which worker thread ran each piece of work.
//
// A tree of gathers with 1024 leaves; every leaf counts itself under the index of the worker
// that ran it. At threads = 1 worker 0 runs everything. At threads = N the idle workers steal
// subtrees from each other's deques, and the leaves spread over the workers (differently on
// every run).
#include <weft/weft.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <initializer_list>
#include <stdexcept>
#include <thread>
#include <vector>

// Some CPU work for each leaf, so that there is something to steal.
long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

// `per_worker` lives in the frame of the task that started the tree, which waits for the whole
// tree to finish: the children may borrow it.
weft::task<long> tree(int depth, std::vector<std::atomic<int>>& per_worker) {
    if (depth == 0) {
        const long value = fib(20);
        ++per_worker[weft::worker_index().value()];
        co_return value;
    }
    auto [left, right] = co_await weft::gather(tree(depth - 1, per_worker), tree(depth - 1, per_worker));
    co_return left + right;
}

weft::task<std::vector<int>> leaves_per_worker(std::size_t threads) {
    std::vector<std::atomic<int>> per_worker(threads);
    const long total = co_await tree(10, per_worker);
    if (total != 1024 * 6765L) throw std::logic_error("fib(20) is 6765");
    co_return std::vector<int>(per_worker.begin(), per_worker.end());
}

int main() {
    const std::size_t n = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 2, weft::max_threads);
    int failures = 0;
    for (std::size_t threads : {std::size_t{1}, n}) {
        const std::vector<int> counts = weft::run(leaves_per_worker(threads), {.threads = threads});
        std::printf("threads=%zu, leaves run by each worker:", threads);
        int sum = 0;
        for (int c : counts) {
            std::printf(" %d", c);
            sum += c;
        }
        std::printf("\n");
        failures += sum != 1024;
    }
    return failures;
}
