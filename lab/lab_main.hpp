#pragma once
// weft-lab's entry point, apart from main() so that tests can run commands in-process.
#include <iosfwd>
#include <string>
#include <vector>

#include "sweep_result.hpp"

namespace weft::lab {

// Runs the command in `args` (the program name excluded), printing results to `out` and errors
// to `err`. Returns the exit status: 0, 1 (a run or a file failed) or 2 (a usage error).
int lab_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// "weft-lab run fib --n 30", each argument shell-quoted where needed: the command line recorded
// in results.
std::string quoted_command_line(const std::vector<std::string>& args);

// Writes the CSV, JSON and SVG files a run or report asked for (empty paths are skipped) and
// says so on `out`. lab_error if a file cannot be written.
void write_result_files(const sweep_result& r, const std::string& csv_path, const std::string& json_path,
                        const std::string& plot_path, std::ostream& out);

}  // namespace weft::lab
