#pragma once
// weft_test::lab_scratch_dir: a fresh directory for the files a lab test writes, removed with
// everything in it when the object goes away.
//
//     weft_test::lab_scratch_dir dir("report");
//     const std::string json = dir.file("fib.json");
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace weft_test {

class lab_scratch_dir {
public:
    explicit lab_scratch_dir(const std::string& stem) {
        // Several test processes run at once (ctest -j): the pid and a per-process count make
        // the name unique.
        static std::atomic<int> count{0};  // relaxed fetch_add: only uniqueness is needed, no ordering
        path_ = std::filesystem::path(::testing::TempDir()) /
                ("weft-lab-" + stem + "-" + std::to_string(::getpid()) + "-" +
                 std::to_string(count.fetch_add(1, std::memory_order_relaxed)));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~lab_scratch_dir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    lab_scratch_dir(const lab_scratch_dir&) = delete;
    lab_scratch_dir& operator=(const lab_scratch_dir&) = delete;

    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

}  // namespace weft_test
