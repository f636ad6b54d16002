// nqueens: counts the ways to place n queens on an n x n board so that none attacks another,
// one task per valid partial placement (a row at a time). Placements are bit masks of the
// attacked columns and diagonals. The fan-out shrinks with depth and many branches die early, so
// the tree is irregular: work stealing has to even it out.
#include <oneapi/tbb/task_group.h>

#include <weft/gather.hpp>

#include <array>
#include <cstdint>
#include <numeric>
#include <vector>

#include "workloads.hpp"

namespace weft::lab::workloads {
namespace {

constexpr int max_n = 16;

// Solutions for n = 0..16 (OEIS A000170).
constexpr std::array<std::int64_t, max_n + 1> known_solutions = {
    1, 1, 0, 0, 2, 10, 4, 40, 92, 352, 724, 2'680, 14'200, 73'712, 365'596, 2'279'184, 14'772'512};

// The board after `row` rows: which columns and diagonals are attacked.
struct board {
    int n;
    int row;
    std::uint32_t columns;
    std::uint32_t left;   // diagonals going down-left, shifted one column per row
    std::uint32_t right;  // diagonals going down-right

    std::uint32_t free_columns() const noexcept { return ~(columns | left | right) & ((std::uint32_t{1} << n) - 1); }
    board place(std::uint32_t bit) const noexcept {
        return {n, row + 1, columns | bit, (left | bit) << 1, (right | bit) >> 1};
    }
};

std::uint32_t lowest_bit(std::uint32_t bits) noexcept { return bits & (~bits + 1); }

weft::task<std::int64_t> queens_weft(board b) {
    if (b.row == b.n) co_return 1;
    std::vector<weft::task<std::int64_t>> children;
    for (std::uint32_t free = b.free_columns(); free != 0; free &= free - 1)
        children.push_back(queens_weft(b.place(lowest_bit(free))));
    const std::vector<std::int64_t> counts = co_await weft::gather(std::move(children));
    co_return std::accumulate(counts.begin(), counts.end(), std::int64_t{0});
}

[[gnu::noinline]] std::int64_t queens_serial(board b) {
    if (b.row == b.n) return 1;
    std::int64_t count = 0;
    for (std::uint32_t free = b.free_columns(); free != 0; free &= free - 1)
        count += queens_serial(b.place(lowest_bit(free)));
    return count;
}

// One task_group run per valid placement of this row; each writes its own slot.
std::int64_t queens_tbb(board b) {
    if (b.row == b.n) return 1;
    std::array<std::int64_t, max_n> counts{};
    tbb::task_group g;
    int slot = 0;
    for (std::uint32_t free = b.free_columns(); free != 0; free &= free - 1, ++slot) {
        const board next = b.place(lowest_bit(free));
        g.run([&counts, slot, next] { counts[static_cast<std::size_t>(slot)] = queens_tbb(next); });
    }
    g.wait();
    return std::accumulate(counts.begin(), counts.end(), std::int64_t{0});
}

class nqueens_instance final : public workload_instance {
public:
    explicit nqueens_instance(const workload_sizes& s) : start_{static_cast<int>(s.get("n")), 0, 0, 0, 0} {}

    std::int64_t expected() override { return known_solutions[static_cast<std::size_t>(start_.n)]; }
    weft::task<std::int64_t> run_weft() override { return queens_weft(start_); }
    std::int64_t run_serial() override { return queens_serial(start_); }
    std::int64_t run_tbb() override { return queens_tbb(start_); }

private:
    board start_;
};

}  // namespace

workload nqueens() {
    return workload{
        .name = "nqueens",
        .description = "count the n-queens solutions, one task per valid partial placement",
        .flags = {{"n", 13, 1, max_n, "board size (13: 73,712 solutions, 4,674,890 tasks)"}},
        .no_serial = {},
        .no_tbb = {},
        .check_sizes = nullptr,
        .make = [](const workload_sizes& s) -> std::unique_ptr<workload_instance> {
            return std::make_unique<nqueens_instance>(s);
        },
    };
}

}  // namespace weft::lab::workloads
