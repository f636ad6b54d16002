#pragma once
// poll_observer: what a runtime watches around each poll when asked to -- traces and slow polls.
//
// The scheduler loop resumes every task through `resume(w, h)` when an observer exists; with
// nothing to observe there is none, and the loop pays one predictable branch on a null pointer.
// There is one unless options::slow_poll_threshold is zero and no trace was asked for, since
// slow polls are watched by default.
//
// An observed poll, on worker w's thread:
//   1. before the resume, finds the task's label (task_label.hpp: the frame is alive and
//      suspended until the resume, and the label's strings live for good);
//   2. slow polls: publishes the label and the poll's number in w's slot of the monitor
//      (slow_poll_monitor.hpp) -- a few plain stores, no clock;
//   3. traces: reads the clock, and the deque's size, and marks a root's first poll;
//   4. resumes the task;
//   5. traces: reads the clock and appends the poll's records to w's buffer
//      (trace_recorder.hpp); slow polls: clears the slot and logs the poll if the monitor
//      flagged it.
// Nothing of the frame is touched after the resume: the poll may have freed it, with its root.
//
// Who calls what: the scheduler creates the observer before starting the workers, calls
// resume() from each worker's loop, spawned() from schedule_root on whichever thread spawns,
// and finish() once at shutdown, after the workers were joined.
#include <coroutine>
#include <memory>
#include <span>

namespace weft::detail {

struct worker;
struct root_state;
struct scheduler_config;

class poll_observer {
public:
    // Null when the configuration asks for nothing to observe. Throws std::system_error if the
    // slow-poll monitor thread cannot be started.
    static std::unique_ptr<poll_observer> create(const scheduler_config& config, std::span<worker* const> workers);
    virtual ~poll_observer() = default;

    // Resumes `h` on worker `w` (the caller is w's thread), observing the poll.
    virtual void resume(worker& w, std::coroutine_handle<> h) = 0;
    // `r` was just spawned by the calling thread (a worker of this scheduler, or not). Call it
    // only when traces_spawns().
    virtual void spawned(root_state& r) noexcept = 0;
    // Shutdown, after the workers were joined: stop watching, write what was recorded.
    virtual void finish() noexcept = 0;

    // Whether spawned() records anything (a trace is being written): spawn skips the call if not.
    bool traces_spawns() const noexcept { return traces_spawns_; }

protected:
    explicit poll_observer(bool traces_spawns) noexcept : traces_spawns_(traces_spawns) {}

private:
    const bool traces_spawns_;
};

}  // namespace weft::detail
