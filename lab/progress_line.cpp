// progress_line: \r-overwritten status text on a terminal's stderr.
#include "progress_line.hpp"

#include <unistd.h>

#include <cstdio>

namespace weft::lab {

progress_line::progress_line() : enabled_(isatty(STDERR_FILENO) == 1) {}

progress_line::~progress_line() { finish(); }

void progress_line::update(const std::string& text) {
    if (!enabled_) return;
    // Pad with spaces over what is left of a longer previous line.
    const std::size_t pad = shown_ > text.size() ? shown_ - text.size() : 0;
    std::fprintf(stderr, "\r%s%*s", text.c_str(), static_cast<int>(pad), "");
    std::fflush(stderr);
    shown_ = text.size();
}

void progress_line::finish() {
    if (!enabled_ || shown_ == 0) return;
    std::fprintf(stderr, "\r%*s\r", static_cast<int>(shown_), "");
    std::fflush(stderr);
    shown_ = 0;
}

}  // namespace weft::lab
