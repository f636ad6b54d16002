#pragma once
// poll_observer: what a runtime watches around each poll when asked to -- traces and slow polls.
//
// The scheduler loop resumes every task through `resume(w, h)` when an observer exists; with
// nothing to observe there is none, and the loop pays one predictable branch on a null pointer.
#include <coroutine>
#include <memory>
#include <span>

namespace weft::detail {

struct worker;
struct root_state;
struct scheduler_config;

class poll_observer {
public:
    // Null when the configuration asks for nothing to observe.
    static std::unique_ptr<poll_observer> create(const scheduler_config& config, std::span<worker* const> workers);
    virtual ~poll_observer() = default;

    // Resumes `h` on worker `w` (the caller is w's thread), observing the poll.
    virtual void resume(worker& w, std::coroutine_handle<> h) = 0;
    // `r` was just spawned by the calling thread (a worker of this scheduler, or not).
    virtual void spawned(root_state& r) noexcept = 0;
    // Shutdown, after the workers were joined: stop watching, write what was recorded.
    virtual void finish() noexcept = 0;
};

}  // namespace weft::detail
