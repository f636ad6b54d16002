#pragma once
// The command lines weft-lab must reject with a usage error, and the text each error message
// must contain (the offending argument, or what is missing). The parser test checks them
// in-process; the end-to-end test runs the built program with each and expects exit status 2.
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace weft_test {

struct lab_usage_error_case {
    std::string name;               // the test's name suffix
    std::vector<std::string> args;  // the program name excluded
    std::string names;              // a substring the message must contain
};

inline std::vector<lab_usage_error_case> lab_usage_error_cases() {
    return {
        {"no_command", {}, "no command"},
        {"unknown_command", {"frobnicate"}, "'frobnicate'"},
        {"flag_instead_of_a_command", {"--frob"}, "'--frob'"},
        {"run_without_a_workload", {"run"}, "WORKLOAD"},
        {"unknown_workload", {"run", "nosuch"}, "'nosuch'"},
        {"unknown_flag", {"run", "fib", "--frob", "1"}, "'--frob'"},
        {"size_flag_of_another_workload", {"run", "fib", "--depth", "3"}, "'--depth'"},
        {"zero_threads", {"run", "fib", "--threads", "0"}, "'0'"},
        {"threads_that_are_not_numbers", {"run", "fib", "--threads", "a,b"}, "'a'"},
        {"threads_with_an_empty_item", {"run", "fib", "--threads", "1,,2"}, "empty item"},
        {"threads_given_twice_in_the_list", {"run", "fib", "--threads", "1,2,1"}, "'1' is given twice"},
        {"threads_above_the_maximum", {"run", "fib", "--threads", "2000"}, "'2000'"},
        {"negative_repeat", {"run", "fib", "--repeat", "-1"}, "'-1'"},
        {"zero_repeat", {"run", "fib", "--repeat", "0"}, "'0'"},
        {"repeat_with_trailing_text", {"run", "fib", "--repeat", "3x"}, "'3x'"},
        {"missing_value_at_the_end", {"run", "fib", "--repeat"}, "--repeat needs a value"},
        {"missing_value_before_a_flag", {"run", "fib", "--threads", "--repeat", "3"}, "--threads needs a value"},
        {"empty_value", {"run", "fib", "--csv="}, "--csv needs a value"},
        {"flag_given_twice", {"run", "fib", "--repeat", "3", "--repeat", "4"}, "--repeat is given twice"},
        {"unknown_policy", {"run", "fib", "--policy", "fastest"}, "'fastest'"},
        {"policy_given_twice_in_the_list",
         {"run", "fib", "--policy", "steal_one,steal_one"},
         "'steal_one' is given twice"},
        {"unknown_baseline", {"run", "fib", "--baseline", "openmp"}, "'openmp'"},
        {"size_out_of_range", {"run", "fib", "--n", "99"}, "'99'"},
        {"size_that_is_not_a_number", {"run", "fib", "--n", "ten"}, "'ten'"},
        {"sizes_that_do_not_go_together", {"run", "matmul", "--n", "64", "--base", "128"}, "--base 128"},
        {"value_for_a_switch", {"run", "fib", "--pin=yes"}, "--pin takes no value"},
        {"stray_argument", {"run", "fib", "extra"}, "'extra'"},
        {"report_without_a_file", {"report"}, "report needs"},
        {"unknown_report_flag", {"report", "saved.json", "--threads", "2"}, "'--threads'"},
        {"argument_after_list", {"list", "everything"}, "'everything'"},
    };
}

inline std::string lab_usage_error_case_name(const ::testing::TestParamInfo<lab_usage_error_case>& info) {
    return info.param.name;
}

}  // namespace weft_test
