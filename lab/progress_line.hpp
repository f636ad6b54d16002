#pragma once
// A one-line progress display on stderr for sweeps: each update overwrites the previous one
// (carriage return, no newline), and finish() blanks it so the table starts on a clean line.
// Only when stderr is a terminal: redirected to a file or a pipe it writes nothing, so logs and
// tests see no control characters.
#include <cstddef>
#include <string>

namespace weft::lab {

class progress_line {
public:
    // Enabled if stderr is a terminal (isatty).
    progress_line();
    ~progress_line();
    progress_line(const progress_line&) = delete;
    progress_line& operator=(const progress_line&) = delete;

    void update(const std::string& text);
    void finish();

private:
    bool enabled_;
    std::size_t shown_ = 0;  // characters on the line now
};

}  // namespace weft::lab
