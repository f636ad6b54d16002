// machine_facts: the CPU, the compiler, the weft version and the date, for result headers.
#include <ctime>
#include <fstream>
#include <string>
#include <thread>

#include "sweep_result.hpp"

#ifndef WEFT_LAB_WEFT_VERSION
#error "lab/CMakeLists.txt defines WEFT_LAB_WEFT_VERSION as the project version"
#endif

namespace weft::lab {
namespace {

// The first "model name" of /proc/cpuinfo, or "unknown".
std::string cpu_model() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("model name", 0) != 0) continue;
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::size_t start = line.find_first_not_of(" \t", colon + 1);
        if (start != std::string::npos) return line.substr(start);
    }
    return "unknown";
}

std::string compiler() {
#if defined(__clang__)
    std::string name = "clang " __clang_version__;
#elif defined(__GNUC__)
    std::string name = "g++ " __VERSION__;
#else
    std::string name = "unknown compiler " __VERSION__;
#endif
    while (!name.empty() && name.back() == ' ') name.pop_back();
    return name;
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace

machine_facts current_machine_facts(std::string command_line) {
    machine_facts m;
    m.cpu_model = cpu_model();
    m.hardware_concurrency = std::thread::hardware_concurrency();
    m.compiler = compiler();
    m.weft_version = WEFT_LAB_WEFT_VERSION;
    m.date = utc_now();
    m.command_line = std::move(command_line);
    return m;
}

}  // namespace weft::lab
