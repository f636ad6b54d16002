#pragma once
// A weft-lab workload: a named computation with size flags, written three ways -- as weft tasks,
// as plain serial functions, and as idiomatic oneTBB code -- and a known answer to check every
// run against.
//
//     const workload* w = find_workload("fib");
//     workload_sizes sizes = w->default_sizes();
//     sizes.set("n", 25);
//     std::unique_ptr<workload_instance> fib25 = w->make(sizes);
//     std::int64_t r = rt.block_on(fib25->run_weft());   // == fib25->expected()
//
// An instance holds the prepared inputs (matrices, for matmul), so preparing them is never part
// of a timed run; each run_* call computes the whole workload again from those inputs.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <weft/task.hpp>

namespace weft::lab {

// One size flag of a workload: `--<name> <value>`, an integer from min to max.
struct size_flag {
    std::string_view name;
    std::int64_t default_value;
    std::int64_t min;
    std::int64_t max;
    std::string_view help;
};

// The size flags' values, in the order the workload declares its flags.
class workload_sizes {
public:
    // Sets `name` (adding it if it is new).
    void set(std::string_view name, std::int64_t value);
    // The value of `name`; std::logic_error if the workload has no such flag.
    std::int64_t get(std::string_view name) const;
    const std::vector<std::pair<std::string, std::int64_t>>& entries() const noexcept { return entries_; }
    // "--n 30 --depth 6": the flags as they would be typed.
    std::string as_flags() const;

    friend bool operator==(const workload_sizes&, const workload_sizes&) = default;

private:
    std::vector<std::pair<std::string, std::int64_t>> entries_;
};

// A workload prepared at one size.
class workload_instance {
public:
    virtual ~workload_instance() = default;

    // The answer every run must produce.
    virtual std::int64_t expected() = 0;
    // The weft version. The task refers to this instance, which must outlive it.
    virtual weft::task<std::int64_t> run_weft() = 0;
    // Plain functions on the calling thread: the floor. Only if the workload has a serial version.
    virtual std::int64_t run_serial() = 0;
    // The oneTBB version, called inside tbb::task_arena::execute. Only if the workload has one.
    virtual std::int64_t run_tbb() = 0;
};

struct workload {
    std::string_view name;
    std::string_view description;
    std::vector<size_flag> flags;
    // Empty if the workload has a serial version; otherwise why not (printed as a note).
    std::string_view no_serial;
    // Empty if the workload has a oneTBB version; otherwise why not (printed as a note).
    std::string_view no_tbb;
    // "" if the sizes go together, otherwise what is wrong with them (a usage error).
    std::string (*check_sizes)(const workload_sizes&) = nullptr;
    std::unique_ptr<workload_instance> (*make)(const workload_sizes&) = nullptr;

    // Every flag at its default.
    workload_sizes default_sizes() const;
    // The flag called `name`, or nullptr.
    const size_flag* find_flag(std::string_view name) const noexcept;
};

// Every workload, in the order `weft-lab list` shows them.
const std::vector<workload>& all_workloads();
// The workload called `name`, or nullptr.
const workload* find_workload(std::string_view name) noexcept;

}  // namespace weft::lab
