#pragma once
// What `weft-lab help` and `weft-lab list` print, and the one-line hint after a usage error.
#include <string>

namespace weft::lab {

std::string help_text();
std::string workload_list_text();
inline constexpr const char* usage_hint = "usage: weft-lab run WORKLOAD [flags] | report F.json | demo | list | help";

}  // namespace weft::lab
