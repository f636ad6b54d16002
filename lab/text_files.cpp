// Reading and writing whole text files, with errors that name the file.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "errors.hpp"

namespace weft::lab {

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw lab_error("cannot read " + path + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw lab_error("cannot read " + path);
    return std::move(text).str();
}

void write_text_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw lab_error("cannot write " + path + ": " + std::strerror(errno));
    out << text;
    out.flush();
    if (!out) throw lab_error("cannot write " + path);
}

}  // namespace weft::lab
