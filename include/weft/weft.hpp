#pragma once
// weft: asyncio's model -- tasks, run, spawn, gather, sleep -- for C++20, on a work-stealing
// scheduler. Include this umbrella header, or only the headers you use:
//
//   <weft/task.hpp>         weft::task<T>, the lazy coroutine
//   <weft/runtime.hpp>      weft::run, weft::runtime, weft::worker_index
//   <weft/options.hpp>      weft::options
//   <weft/join_handle.hpp>  weft::spawn, weft::join_handle<T>
//   <weft/gather.hpp>       weft::gather
//   <weft/sleep.hpp>        weft::sleep_for, weft::sleep_until
//   <weft/yield.hpp>        weft::yield
#include <weft/gather.hpp>
#include <weft/join_handle.hpp>
#include <weft/options.hpp>
#include <weft/runtime.hpp>
#include <weft/sleep.hpp>
#include <weft/task.hpp>
#include <weft/yield.hpp>
