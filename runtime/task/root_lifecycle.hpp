#pragma once
// The runtime's side of a root's life (the header side is detail/task/root_state.hpp).
#include <weft/detail/task/root_state.hpp>

namespace weft::detail {

// Shutdown step 5: destroys the frame of a root that never finished, and drops the task's
// reference to its state (a join handle may still hold one; awaiting it is then impossible,
// since no runtime is left to await it on).
void abandon_root(root_state& r) noexcept;
// Shutdown step 6, first half: waits out a sweep still holding r's slot, then marks every
// waiter registered in r's domain unregistered and empties the list, under the domain lock, so
// no later sweep or unregister touches them.
void forget_waiters(root_state& r) noexcept;

}  // namespace weft::detail
