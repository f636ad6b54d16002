#pragma once
// What every weft coroutine frame carries, whatever its result type.
//
// A task finishes in one of three ways, chosen by whoever started it (`completion_`):
//   resume_continuation  it was `co_await`ed directly: transfer to the awaiting coroutine;
//   fan_in_child         it is one child of a `gather`: report to that gather's join point;
//   root                 it was spawned (or is the main task of run/block_on): publish the
//                        result to its root state, which join handles and block_on read.
// The three targets share one pointer-sized slot (`target_`), since a task has exactly one.
//
// `inline_` belongs to the gather fast path (see fan_in_join.hpp): it is set by the gather's
// inline chain just before that chain resumes the child, and read when the child finishes.
//
// `cancel_` is the cancellation node of the strand the task runs on (cancel_tree.hpp), filled
// in by whoever starts the task. The first resume makes it current. For a root or a gather
// child it is also a checkpoint: one cancelled before it started throws weft::cancelled without
// running its body. A task awaited directly is not checked (a plain call is not a suspension
// point), so a catch block may still await a cleanup task.
#include <coroutine>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>
#include <variant>

#include <weft/detail/cancel/cancel_tree.hpp>
#include <weft/detail/task/frame_allocator.hpp>

namespace weft::detail {

class fan_in_join;
struct root_state;

enum class completion : std::uint8_t { resume_continuation, fan_in_child, root };

struct promise_base {
    union target {
        std::coroutine_handle<> continuation;
        fan_in_join* fan_in;
        root_state* root;
    } target_{.continuation = {}};
    std::exception_ptr exception_;
    cancel_node* cancel_ = nullptr;
    completion completion_ = completion::resume_continuation;
    bool inline_ = false;

    static void* operator new(std::size_t size) { return allocate_frame(size); }
    static void operator delete(void* p, std::size_t size) noexcept { deallocate_frame(p, size); }

    struct initial_awaiter {
        promise_base* promise;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<>) const noexcept {}
        // An exception thrown here reaches unhandled_exception(), like one from the body.
        void await_resume() const {
            tls_cancel = promise->cancel_;
            if (promise->completion_ != completion::resume_continuation) check_cancelled();
        }
    };
    initial_awaiter initial_suspend() noexcept { return {this}; }
    void unhandled_exception() noexcept { exception_ = std::current_exception(); }
};

// Storage for a task's result: a value, a reference (stored as a pointer), or nothing.
template <class T>
class result_slot {
public:
    result_slot() noexcept {}
    result_slot(const result_slot&) = delete;
    result_slot& operator=(const result_slot&) = delete;
    ~result_slot() {
        if (engaged_) value_.~T();
    }
    template <class U>
    void emplace(U&& v) {
        ::new (static_cast<void*>(std::addressof(value_))) T(std::forward<U>(v));
        engaged_ = true;
    }
    T take() { return std::move(value_); }

private:
    union {
        T value_;
    };
    bool engaged_ = false;
};

template <class T>
class result_slot<T&> {
public:
    void emplace(T& v) noexcept { ptr_ = std::addressof(v); }
    T& take() noexcept { return *ptr_; }

private:
    T* ptr_ = nullptr;
};

template <>
class result_slot<void> {
public:
    void take() noexcept {}
};

// What a child of gather contributes to the result tuple: void becomes std::monostate.
template <class T>
using gather_value_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

// A value that must sit in a container (vector, variant): references become
// std::reference_wrapper, void becomes std::monostate.
template <class T>
using stored_value_t = std::conditional_t<
    std::is_void_v<T>, std::monostate,
    std::conditional_t<std::is_reference_v<T>, std::reference_wrapper<std::remove_reference_t<T>>, T>>;


}  // namespace weft::detail
