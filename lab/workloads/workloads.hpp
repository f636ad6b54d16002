#pragma once
// The workloads weft-lab knows, one file each in lab/workloads/. all_workloads() lists them.
#include "workload.hpp"

namespace weft::lab::workloads {

workload fib();
workload skynet();
workload nqueens();
workload matmul();
workload uts();
workload sleep_fanout();
workload mixed();
workload pipeline();
workload breakfast();

}  // namespace weft::lab::workloads
