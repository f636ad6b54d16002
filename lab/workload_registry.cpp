// The list of workloads, and the size-flag values every workload is run with.
#include <stdexcept>

#include "workload.hpp"
#include "workloads/workloads.hpp"

namespace weft::lab {

void workload_sizes::set(std::string_view name, std::int64_t value) {
    for (auto& [key, v] : entries_) {
        if (key == name) {
            v = value;
            return;
        }
    }
    entries_.emplace_back(std::string(name), value);
}

std::int64_t workload_sizes::get(std::string_view name) const {
    for (const auto& [key, v] : entries_)
        if (key == name) return v;
    throw std::logic_error("weft-lab: no size flag --" + std::string(name));
}

std::string workload_sizes::as_flags() const {
    std::string out;
    for (const auto& [key, v] : entries_) {
        if (!out.empty()) out += ' ';
        out += "--" + key + ' ' + std::to_string(v);
    }
    return out;
}

workload_sizes workload::default_sizes() const {
    workload_sizes sizes;
    for (const size_flag& f : flags) sizes.set(f.name, f.default_value);
    return sizes;
}

const size_flag* workload::find_flag(std::string_view flag_name) const noexcept {
    for (const size_flag& f : flags)
        if (f.name == flag_name) return &f;
    return nullptr;
}

const std::vector<workload>& all_workloads() {
    static const std::vector<workload> list = {
        workloads::fib(),          workloads::skynet(), workloads::nqueens(),  workloads::matmul(),    workloads::uts(),
        workloads::sleep_fanout(), workloads::mixed(),  workloads::pipeline(), workloads::breakfast(),
    };
    return list;
}

const workload* find_workload(std::string_view name) noexcept {
    for (const workload& w : all_workloads())
        if (w.name == name) return &w;
    return nullptr;
}

}  // namespace weft::lab
