// matmul: C += A * B for n x n matrices by recursive divide and conquer. A product splits into
// eight half-size products in two rounds of four (each round writes the four quadrants of C, so
// the four run in parallel without sharing anything they write); below `base` a plain
// triple loop does the work. Elements are small integers stored as doubles, so every sum is exact
// and a checksum of C can be compared exactly with the classic triple loop's.
#include <oneapi/tbb/parallel_invoke.h>

#include <weft/gather.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "workloads.hpp"

namespace weft::lab::workloads {
namespace {

// A square block of a row-major matrix: its top-left element and the matrix's row length.
template <class T>
struct block {
    T* top_left;
    std::size_t stride;

    block quadrant(std::size_t row, std::size_t col, std::size_t half) const noexcept {
        return {top_left + row * half * stride + col * half, stride};
    }
    T& at(std::size_t i, std::size_t j) const noexcept { return top_left[i * stride + j]; }
};
using out_block = block<double>;
using in_block = block<const double>;

void multiply_base(out_block c, in_block a, in_block b, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < n; ++k) {
            const double aik = a.at(i, k);
            for (std::size_t j = 0; j < n; ++j) c.at(i, j) += aik * b.at(k, j);
        }
}

weft::task<> multiply_weft(out_block c, in_block a, in_block b, std::size_t n, std::size_t base) {
    if (n <= base) {
        multiply_base(c, a, b, n);
        co_return;
    }
    const std::size_t h = n / 2;
    const out_block c00 = c.quadrant(0, 0, h), c01 = c.quadrant(0, 1, h);
    const out_block c10 = c.quadrant(1, 0, h), c11 = c.quadrant(1, 1, h);
    const in_block a00 = a.quadrant(0, 0, h), a01 = a.quadrant(0, 1, h);
    const in_block a10 = a.quadrant(1, 0, h), a11 = a.quadrant(1, 1, h);
    const in_block b00 = b.quadrant(0, 0, h), b01 = b.quadrant(0, 1, h);
    const in_block b10 = b.quadrant(1, 0, h), b11 = b.quadrant(1, 1, h);
    // Round one: the products with A's left half; round two: with its right half.
    co_await weft::gather(multiply_weft(c00, a00, b00, h, base), multiply_weft(c01, a00, b01, h, base),
                          multiply_weft(c10, a10, b00, h, base), multiply_weft(c11, a10, b01, h, base));
    co_await weft::gather(multiply_weft(c00, a01, b10, h, base), multiply_weft(c01, a01, b11, h, base),
                          multiply_weft(c10, a11, b10, h, base), multiply_weft(c11, a11, b11, h, base));
}

void multiply_serial(out_block c, in_block a, in_block b, std::size_t n, std::size_t base) {
    if (n <= base) return multiply_base(c, a, b, n);
    const std::size_t h = n / 2;
    for (std::size_t k = 0; k < 2; ++k)
        for (std::size_t i = 0; i < 2; ++i)
            for (std::size_t j = 0; j < 2; ++j)
                multiply_serial(c.quadrant(i, j, h), a.quadrant(i, k, h), b.quadrant(k, j, h), h, base);
}

void multiply_tbb(out_block c, in_block a, in_block b, std::size_t n, std::size_t base) {
    if (n <= base) return multiply_base(c, a, b, n);
    const std::size_t h = n / 2;
    for (std::size_t k = 0; k < 2; ++k) {
        const auto product = [&, k](std::size_t i, std::size_t j) {
            return [=] { multiply_tbb(c.quadrant(i, j, h), a.quadrant(i, k, h), b.quadrant(k, j, h), h, base); };
        };
        tbb::parallel_invoke(product(0, 0), product(0, 1), product(1, 0), product(1, 1));
    }
}

class matmul_instance final : public workload_instance {
public:
    explicit matmul_instance(const workload_sizes& s)
        : n_(static_cast<std::size_t>(s.get("n"))),
          base_(static_cast<std::size_t>(s.get("base"))),
          a_(n_ * n_),
          b_(n_ * n_),
          c_(n_ * n_) {
        for (std::size_t i = 0; i < n_; ++i)
            for (std::size_t j = 0; j < n_; ++j) {
                a_[i * n_ + j] = static_cast<double>((i * 7 + j * 3) % 5) - 2.0;
                b_[i * n_ + j] = static_cast<double>((i * 5 + j * 11) % 7) - 3.0;
            }
    }

    // The classic i-k-j triple loop over the whole matrices.
    std::int64_t expected() override {
        std::fill(c_.begin(), c_.end(), 0.0);
        multiply_base(out(), in(a_), in(b_), n_);
        return checksum();
    }
    weft::task<std::int64_t> run_weft() override {
        std::fill(c_.begin(), c_.end(), 0.0);
        co_await multiply_weft(out(), in(a_), in(b_), n_, base_);
        co_return checksum();
    }
    std::int64_t run_serial() override {
        std::fill(c_.begin(), c_.end(), 0.0);
        multiply_serial(out(), in(a_), in(b_), n_, base_);
        return checksum();
    }
    std::int64_t run_tbb() override {
        std::fill(c_.begin(), c_.end(), 0.0);
        multiply_tbb(out(), in(a_), in(b_), n_, base_);
        return checksum();
    }

private:
    out_block out() noexcept { return {c_.data(), n_}; }
    in_block in(const std::vector<double>& m) const noexcept { return {m.data(), n_}; }

    // Every element of C, weighted by a pattern of its position (so a misplaced block shows).
    std::int64_t checksum() const noexcept {
        std::int64_t sum = 0;
        for (std::size_t i = 0; i < n_; ++i)
            for (std::size_t j = 0; j < n_; ++j)
                sum += std::llround(c_[i * n_ + j]) * static_cast<std::int64_t>((i * 31 + j * 17) % 13 + 1);
        return sum;
    }

    std::size_t n_;
    std::size_t base_;
    std::vector<double> a_, b_, c_;
};

bool is_power_of_two(std::int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

std::string check_matmul_sizes(const workload_sizes& s) {
    if (!is_power_of_two(s.get("n"))) return "--n " + std::to_string(s.get("n")) + " is not a power of two";
    if (!is_power_of_two(s.get("base"))) return "--base " + std::to_string(s.get("base")) + " is not a power of two";
    if (s.get("base") > s.get("n"))
        return "--base " + std::to_string(s.get("base")) + " is larger than --n " + std::to_string(s.get("n"));
    return {};
}

}  // namespace

workload matmul() {
    return workload{
        .name = "matmul",
        .description = "recursive C += A*B: 8 half-size products in two rounds of 4, triple loop below --base",
        .flags = {{"n", 1024, 1, 2048, "matrix size, a power of two"},
                  {"base", 32, 1, 2048, "block size done by the serial triple loop, a power of two"}},
        .no_serial = {},
        .no_tbb = {},
        .check_sizes = check_matmul_sizes,
        .make = [](const workload_sizes& s) -> std::unique_ptr<workload_instance> {
            return std::make_unique<matmul_instance>(s);
        },
    };
}

}  // namespace weft::lab::workloads
