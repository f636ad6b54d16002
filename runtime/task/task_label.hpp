#pragma once
// task_label: what a trace slice or a slow-poll log line calls the task that a poll runs.
//
// A task is named at spawn (detail/task/root_state.hpp): `spawn(t, "name")` interns the name,
// an unnamed spawn records its call site's file and line (weft::spawn_site), and run's and block_on's roots
// are "main" and "block_on". Every frame of a root's strands -- the root's own, the tasks it
// awaits, its gather children, their continuations -- is called by the root's label.
//
// Finding the root of a handle the scheduler is about to resume:
//     frame -> promise_base::cancel_ (its strand's cancel node)
//           -> cancel_node::domain  (the root's cancellation domain, a root_state)
//           -> root_state::label_, label_line_
// Preconditions, which every handle weft schedules meets:
//   - the handle is a weft::task frame, so its promise derives from promise_base and sits at the
//     offset of a promise no more aligned than the frame allocator's blocks (weft's frames
//     already require that: over-aligned promises are misaligned by operator new(size_t));
//   - its `cancel_` was set by whoever started it (spawn, run, block_on, an await, a gather);
//   - root_state is the only cancel_domain (cancel_tree.hpp), so the downcast is exact.
//
// safety: what is alive, and when. The handle was taken from a queue, so its frame is
// suspended, and nothing else can resume or destroy it until this poll resumes it. While a frame
// of a root's strands is suspended and unfinished, the root has not finished either (structured
// awaits, gathers and races wait for every child), so the node its promise names -- in the
// root_state, or in a gather's child array in a suspended parent frame -- and the root_state are
// alive. All of that holds only until the resume: the poll may finish the root and free its
// state and every frame. So the label is read before the resume, and what a poll keeps for later
// is the label itself: an interned name or a file name literal, both alive as long as the process,
// and a line number.
#include <coroutine>
#include <cstdint>
#include <string>

#include <weft/detail/task/promise_base.hpp>
#include <weft/detail/task/root_state.hpp>

namespace weft::detail {

struct task_label {
    const char* text = nullptr;  // a name, or a file name when `line` is not 0
    std::uint32_t line = 0;
};

// The root whose strands `h` belongs to, or null if its promise names no cancel node.
// safety: call before resuming `h` (see above).
inline root_state* root_of(std::coroutine_handle<> h) noexcept {
    const promise_base& p = std::coroutine_handle<promise_base>::from_address(h.address()).promise();
    cancel_node* n = p.cancel_;
    return n == nullptr ? nullptr : static_cast<root_state*>(n->domain);
}

// What `r` is called (a label whose strings live as long as the process).
inline task_label label_of(const root_state* r) noexcept {
    if (r == nullptr) return {"(unknown)", 0};
    if (r->label_ != nullptr) return {r->label_, r->label_line_};
    return {r->kind_ == root_state::kind::main ? "main" : "block_on", 0};
}

// "name", or "file.cpp:42" with the file's last path component only.
std::string to_string(task_label label);

}  // namespace weft::detail
