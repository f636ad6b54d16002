#pragma once
// The two ways a weft-lab command fails, and the exit status each one gets.
//
//   usage_error  the command line is wrong (an unknown command, workload or flag, a malformed
//                value): the message names the offending text, weft-lab prints the usage hint
//                and exits with status 2. Nothing has run.
//   lab_error    the command line was fine but the experiment failed (a wrong workload result,
//                a runtime that could not be started with the asked-for policy, a file that
//                could not be read or written): exit status 1.
#include <stdexcept>
#include <string>

namespace weft::lab {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

class usage_error : public std::runtime_error {
public:
    explicit usage_error(const std::string& what) : std::runtime_error(what) {}
};

class lab_error : public std::runtime_error {
public:
    explicit lab_error(const std::string& what) : std::runtime_error(what) {}
};

// The whole of `path` as a string; lab_error naming the path if it cannot be read.
std::string read_text_file(const std::string& path);

// Replaces `path` with `text`; lab_error naming the path if it cannot be written.
void write_text_file(const std::string& path, const std::string& text);

}  // namespace weft::lab
