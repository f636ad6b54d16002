#pragma once
// A sweep as CSV: '#' comment lines with the machine facts, then a header and one line per row
// with the derived numbers, the counters summed over the row's repetitions, and each
// repetition's time (time_1_s ... time_<repeat>_s). Empty cells are values that do not apply.
// Spreadsheets and pandas (read_csv(..., comment='#')) read it as is.
#include <string>

#include "sweep_result.hpp"

namespace weft::lab {

std::string write_result_csv(const sweep_result& r);

}  // namespace weft::lab
