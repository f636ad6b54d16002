#pragma once
// The exceptions weft throws for conditions that are not programming errors.
//
//   weft::cancelled       a checkpoint found that the task was cancelled (cancel.hpp)
//   weft::timeout_error   weft::timeout's deadline passed first (timeout.hpp)
//   weft::channel_closed  a send on a closed channel (channel.hpp)
//
// Programming errors (awaiting a task twice, a bad thread count) are std::logic_error and
// std::invalid_argument, with a message naming the problem.
#include <exception>
#include <stdexcept>

namespace weft {

// Thrown by a checkpoint (every weft suspension point, weft::checkpoint()) once cancellation
// of the task was requested. Let it propagate: the frame unwinds through ordinary destructors
// and whoever awaits the task sees weft::cancelled too. Catching it to clean up is fine;
// swallowing it leaves the task running after it was asked to stop (docs/pitfalls.md).
class cancelled : public std::exception {
public:
    const char* what() const noexcept override { return "weft::cancelled: the task was cancelled"; }
};

class timeout_error : public std::runtime_error {
public:
    timeout_error() : std::runtime_error("weft::timeout_error: the deadline passed before the work finished") {}
};

class channel_closed : public std::runtime_error {
public:
    channel_closed() : std::runtime_error("weft::channel_closed: send on a closed channel") {}
};

}  // namespace weft
