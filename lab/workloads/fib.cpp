// fib: fork-join Fibonacci, the field's task-overhead benchmark. Every call with n >= 2 forks
// fib(n-1) and fib(n-2) and adds the results; there is no serial cutoff, so nearly all the time
// goes to creating, scheduling and joining tasks (fib(30): 2,692,537 calls).
#include <oneapi/tbb/task_group.h>

#include <weft/gather.hpp>

#include "cpu_work.hpp"
#include "workloads.hpp"

namespace weft::lab::workloads {
namespace {

weft::task<std::int64_t> fib_weft(int n) {
    if (n < 2) co_return n;
    auto [a, b] = co_await weft::gather(fib_weft(n - 1), fib_weft(n - 2));
    co_return a + b;
}

// oneTBB's own fib: run one half as a task, compute the other inline, wait.
std::int64_t fib_tbb(int n) {
    if (n < 2) return n;
    std::int64_t a = 0;
    tbb::task_group g;
    g.run([&a, n] { a = fib_tbb(n - 1); });
    const std::int64_t b = fib_tbb(n - 2);
    g.wait();
    return a + b;
}

class fib_instance final : public workload_instance {
public:
    explicit fib_instance(const workload_sizes& s) : n_(static_cast<int>(s.get("n"))) {}

    std::int64_t expected() override { return fib_by_iteration(n_); }
    weft::task<std::int64_t> run_weft() override { return fib_weft(n_); }
    std::int64_t run_serial() override { return plain_fib(n_); }
    std::int64_t run_tbb() override { return fib_tbb(n_); }

private:
    int n_;
};

}  // namespace

workload fib() {
    return workload{
        .name = "fib",
        .description = "fork-join Fibonacci: every call gathers fib(n-1) and fib(n-2), no cutoff",
        .flags = {{"n", 32, 0, 45, "which Fibonacci number (fib(32) makes 7,049,155 calls)"}},
        .no_serial = {},
        .no_tbb = {},
        .check_sizes = nullptr,
        .make = [](const workload_sizes& s) -> std::unique_ptr<workload_instance> {
            return std::make_unique<fib_instance>(s);
        },
    };
}

}  // namespace weft::lab::workloads
