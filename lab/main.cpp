// weft-lab: parallelism experiments with the weft runtime. See docs/lab.md, or run
// `weft-lab help`.
#include <iostream>
#include <string>
#include <vector>

#include "lab_main.hpp"

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    return weft::lab::lab_main(args, std::cout, std::cerr);
}
