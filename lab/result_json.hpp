#pragma once
// A sweep as JSON, schema "weft-lab/1" (documented in docs/lab.md): the machine facts, the
// workload and its sizes, and per row every repetition's time and runtime counters along with
// the derived numbers the table shows. read_result_json reads the raw measurements back and
// ignores the derived ones, which `report` computes again.
#include <string>
#include <string_view>

#include "sweep_result.hpp"

namespace weft::lab {

inline constexpr std::string_view result_schema = "weft-lab/1";

std::string write_result_json(const sweep_result& r);

// Throws json_error if `text` is not JSON or lacks a member the schema requires, lab_error if
// its "schema" is not weft-lab/1.
sweep_result read_result_json(std::string_view text);

}  // namespace weft::lab
