// uts: Unbalanced Tree Search (Olivier et al., LCPC 2006), the T1 family: a geometric tree in
// which every node above the depth limit has a geometrically distributed number of children
// with mean --branching (so most nodes have few, some have many, and whole subtrees die out
// early), and nodes at --depth are leaves. The job is to count the nodes, one task per node.
// Nobody can know where the big subtrees are before reaching them, which is what makes UTS the
// standard test of dynamic load balancing.
//
// The tree is a pure function of --seed. UTS derives each child's random state from its parent's
// with SHA-1; weft-lab uses SplitMix64 (cpu_work.hpp) instead, which is as deterministic and
// splittable and far cheaper:
//   root state       = splitmix64_mix(seed)
//   child i's state  = splitmix64_at(parent state, i) = mix(parent + (i + 1) * gamma)
//   children(node)   = 0 at depth >= --depth, otherwise floor(log(1 - u) / log(1 - p)) with
//                      u = (mix(state) >> 11) * 2^-53 in [0, 1) and p = 1 / (1 + branching),
//                      a geometric count with mean `branching` (UTS's formula).
// The node counts therefore differ from UTS's published SHA-1 trees (T1 has 4,130,071 nodes);
// the check compares the weft count with a serial traversal of the same tree.
#include <oneapi/tbb/task_group.h>

#include <weft/gather.hpp>

#include <cmath>
#include <numeric>
#include <vector>

#include "cpu_work.hpp"
#include "workloads.hpp"

namespace weft::lab::workloads {
namespace {

struct tree_shape {
    int max_depth;
    double log_q;  // log(1 - p), p = 1 / (1 + branching)

    int children(std::uint64_t state, int depth) const noexcept {
        if (depth >= max_depth) return 0;
        const double u = static_cast<double>(splitmix64_mix(state) >> 11) * 0x1.0p-53;
        return static_cast<int>(std::floor(std::log(1.0 - u) / log_q));
    }
};

weft::task<std::int64_t> count_weft(const tree_shape& shape, std::uint64_t state, int depth) {
    const int m = shape.children(state, depth);
    if (m == 0) co_return 1;
    std::vector<weft::task<std::int64_t>> children;
    children.reserve(static_cast<std::size_t>(m));
    for (int i = 0; i < m; ++i)
        children.push_back(count_weft(shape, splitmix64_at(state, static_cast<std::uint64_t>(i)), depth + 1));
    const std::vector<std::int64_t> counts = co_await weft::gather(std::move(children));
    co_return std::accumulate(counts.begin(), counts.end(), std::int64_t{1});
}

[[gnu::noinline]] std::int64_t count_serial(const tree_shape& shape, std::uint64_t state, int depth) {
    const int m = shape.children(state, depth);
    std::int64_t count = 1;
    for (int i = 0; i < m; ++i)
        count += count_serial(shape, splitmix64_at(state, static_cast<std::uint64_t>(i)), depth + 1);
    return count;
}

// One task_group run per child, each writing its own slot.
std::int64_t count_tbb(const tree_shape& shape, std::uint64_t state, int depth) {
    const int m = shape.children(state, depth);
    if (m == 0) return 1;
    std::vector<std::int64_t> counts(static_cast<std::size_t>(m));
    tbb::task_group g;
    for (int i = 0; i < m; ++i) {
        const std::uint64_t child = splitmix64_at(state, static_cast<std::uint64_t>(i));
        g.run([&counts, &shape, i, child, depth] {
            counts[static_cast<std::size_t>(i)] = count_tbb(shape, child, depth + 1);
        });
    }
    g.wait();
    return std::accumulate(counts.begin(), counts.end(), std::int64_t{1});
}

class uts_instance final : public workload_instance {
public:
    explicit uts_instance(const workload_sizes& s)
        : shape_{static_cast<int>(s.get("depth")),
                 std::log(1.0 - 1.0 / (1.0 + static_cast<double>(s.get("branching"))))},
          root_(splitmix64_mix(static_cast<std::uint64_t>(s.get("seed")))) {}

    std::int64_t expected() override { return count_serial(shape_, root_, 0); }
    weft::task<std::int64_t> run_weft() override { return count_weft(shape_, root_, 0); }
    std::int64_t run_serial() override { return count_serial(shape_, root_, 0); }
    std::int64_t run_tbb() override { return count_tbb(shape_, root_, 0); }

private:
    tree_shape shape_;
    std::uint64_t root_;
};

}  // namespace

workload uts() {
    return workload{
        .name = "uts",
        .description = "unbalanced tree search (T1-style geometric tree, SplitMix64 splitting): count the nodes",
        .flags = {{"depth", 10, 1, 16, "depth limit; nodes at this depth are leaves"},
                  {"branching", 4, 1, 8, "mean number of children of a node above the limit"},
                  {"seed", 5, 0, 1'000'000'000, "the tree (SplitMix64 seed of the root; 5: 3,639,484 nodes)"}},
        .no_serial = {},
        .no_tbb = {},
        .check_sizes = nullptr,
        .make = [](const workload_sizes& s) -> std::unique_ptr<workload_instance> {
            return std::make_unique<uts_instance>(s);
        },
    };
}

}  // namespace weft::lab::workloads
