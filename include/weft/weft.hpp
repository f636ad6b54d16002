#pragma once
// weft: asyncio's model -- tasks, run, spawn, gather, sleep -- for C++20, on a work-stealing
// scheduler. Include this umbrella header, or only the headers you use:
//
//   <weft/task.hpp>         weft::task<T>, the lazy coroutine
//   <weft/runtime.hpp>      weft::run, weft::runtime, weft::worker_index
//   <weft/options.hpp>      weft::options
//   <weft/spawn.hpp>        weft::spawn, weft::spawn_site
//   <weft/join_handle.hpp>  weft::join_handle<T>
//   <weft/gather.hpp>       weft::gather, weft::gather_settled
//   <weft/outcome.hpp>      weft::outcome<T>
//   <weft/when_any.hpp>     weft::when_any
//   <weft/timeout.hpp>      weft::timeout, weft::try_timeout
//   <weft/task_group.hpp>   weft::with_task_group, weft::task_group, weft::task_group_error
//   <weft/cancel.hpp>       weft::is_cancelled, weft::checkpoint
//   <weft/errors.hpp>       weft::cancelled, weft::timeout_error, weft::channel_closed
//   <weft/sleep.hpp>        weft::sleep_for, weft::sleep_until
//   <weft/yield.hpp>        weft::yield
//   <weft/mutex.hpp>        weft::mutex, weft::mutex_guard
//   <weft/semaphore.hpp>    weft::semaphore
//   <weft/event.hpp>        weft::event
//   <weft/latch.hpp>        weft::latch
//   <weft/barrier.hpp>      weft::barrier
//   <weft/spawn_blocking.hpp>  weft::spawn_blocking
//   <weft/channel.hpp>      weft::channel
#include <weft/barrier.hpp>
#include <weft/cancel.hpp>
#include <weft/channel.hpp>
#include <weft/errors.hpp>
#include <weft/event.hpp>
#include <weft/gather.hpp>
#include <weft/join_handle.hpp>
#include <weft/spawn.hpp>
#include <weft/latch.hpp>
#include <weft/mutex.hpp>
#include <weft/options.hpp>
#include <weft/outcome.hpp>
#include <weft/runtime.hpp>
#include <weft/semaphore.hpp>
#include <weft/sleep.hpp>
#include <weft/spawn_blocking.hpp>
#include <weft/stats.hpp>
#include <weft/task.hpp>
#include <weft/task_group.hpp>
#include <weft/timeout.hpp>
#include <weft/when_any.hpp>
#include <weft/yield.hpp>
