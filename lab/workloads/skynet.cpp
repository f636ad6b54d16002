// skynet: a 10-ary tree of tasks; each leaf returns its index and each inner node sums its ten
// children. With depth d there are 10^d leaves and (10^(d+1) - 1) / 9 tasks in all; the sum is
// 10^d (10^d - 1) / 2. Like fib it measures the cost per task, with wider forks.
#include <oneapi/tbb/task_group.h>

#include <weft/gather.hpp>

#include <array>
#include <numeric>
#include <vector>

#include "workloads.hpp"

namespace weft::lab::workloads {
namespace {

constexpr int fanout = 10;

weft::task<std::int64_t> skynet_weft(std::int64_t num, std::int64_t size) {
    if (size == 1) co_return num;
    const std::int64_t step = size / fanout;
    std::vector<weft::task<std::int64_t>> children;
    children.reserve(fanout);
    for (int i = 0; i < fanout; ++i) children.push_back(skynet_weft(num + i * step, step));
    const std::vector<std::int64_t> sums = co_await weft::gather(std::move(children));
    co_return std::accumulate(sums.begin(), sums.end(), std::int64_t{0});
}

[[gnu::noinline]] std::int64_t skynet_serial(std::int64_t num, std::int64_t size) {
    if (size == 1) return num;
    const std::int64_t step = size / fanout;
    std::int64_t sum = 0;
    for (int i = 0; i < fanout; ++i) sum += skynet_serial(num + i * step, step);
    return sum;
}

// Ten task_group runs writing into an array on the parent's stack, then wait.
std::int64_t skynet_tbb(std::int64_t num, std::int64_t size) {
    if (size == 1) return num;
    const std::int64_t step = size / fanout;
    std::array<std::int64_t, fanout> sums{};
    tbb::task_group g;
    for (int i = 0; i < fanout; ++i) g.run([&sums, i, num, step] { sums[i] = skynet_tbb(num + i * step, step); });
    g.wait();
    return std::accumulate(sums.begin(), sums.end(), std::int64_t{0});
}

class skynet_instance final : public workload_instance {
public:
    explicit skynet_instance(const workload_sizes& s) {
        for (std::int64_t d = 0; d < s.get("depth"); ++d) leaves_ *= fanout;
    }

    std::int64_t expected() override { return leaves_ * (leaves_ - 1) / 2; }
    weft::task<std::int64_t> run_weft() override { return skynet_weft(0, leaves_); }
    std::int64_t run_serial() override { return skynet_serial(0, leaves_); }
    std::int64_t run_tbb() override { return skynet_tbb(0, leaves_); }

private:
    std::int64_t leaves_ = 1;
};

}  // namespace

workload skynet() {
    return workload{
        .name = "skynet",
        .description = "a 10-ary tree of tasks, depth d; leaves return their index, nodes sum their children",
        .flags = {{"depth", 7, 1, 8, "tree depth (10^depth leaves; 7: 11,111,111 tasks)"}},
        .no_serial = {},
        .no_tbb = {},
        .check_sizes = nullptr,
        .make = [](const workload_sizes& s) -> std::unique_ptr<workload_instance> {
            return std::make_unique<skynet_instance>(s);
        },
    };
}

}  // namespace weft::lab::workloads
