#pragma once
// intrusive_list: the one doubly linked list of weft's internals, whose nodes live in the
// objects they link (a waiter in a suspended frame, a root's state, a timer entry), so linking
// allocates nothing and unlinking from the middle is O(1).
//
//     struct waiter { list_hook<waiter> hook; ... };
//     intrusive_list<waiter, &waiter::hook> queue;
//     queue.push_back(w);  ...  queue.remove(w);  ...  waiter* oldest = queue.pop_front();
//
// A node is in at most one list per hook at a time, and the list never owns it: whoever
// links a node keeps it alive until it is unlinked (or the list is forgotten with take_all).
// Not thread-safe: every user guards its list with its own lock.
#include <cassert>
#include <utility>

namespace weft::detail {

template <class T>
struct list_hook {
    T* prev = nullptr;
    T* next = nullptr;
};

template <class T, list_hook<T> T::*Hook>
class intrusive_list {
public:
    intrusive_list() noexcept = default;
    intrusive_list(const intrusive_list&) = delete;
    intrusive_list& operator=(const intrusive_list&) = delete;
    intrusive_list(intrusive_list&& other) noexcept : head_(other.head_), tail_(other.tail_) {
        other.head_ = other.tail_ = nullptr;
    }
    intrusive_list& operator=(intrusive_list&& other) noexcept {
        assert(empty() && "intrusive_list: assigning over a list that still links nodes");
        head_ = other.head_;
        tail_ = other.tail_;
        other.head_ = other.tail_ = nullptr;
        return *this;
    }

    bool empty() const noexcept { return head_ == nullptr; }
    T* front() const noexcept { return head_; }
    T* back() const noexcept { return tail_; }
    static T* next(const T& n) noexcept { return (n.*Hook).next; }
    static T* prev(const T& n) noexcept { return (n.*Hook).prev; }

    void push_back(T& n) noexcept {
        (n.*Hook).prev = tail_;
        (n.*Hook).next = nullptr;
        (tail_ != nullptr ? (tail_->*Hook).next : head_) = &n;
        tail_ = &n;
    }
    void push_front(T& n) noexcept {
        (n.*Hook).prev = nullptr;
        (n.*Hook).next = head_;
        (head_ != nullptr ? (head_->*Hook).prev : tail_) = &n;
        head_ = &n;
    }
    // Unlinks `n`, which must be linked in this list.
    void remove(T& n) noexcept {
        list_hook<T>& h = n.*Hook;
        (h.prev != nullptr ? (h.prev->*Hook).next : head_) = h.next;
        (h.next != nullptr ? (h.next->*Hook).prev : tail_) = h.prev;
        h.prev = h.next = nullptr;
    }
    // Unlinks and returns the first node, or null.
    T* pop_front() noexcept {
        T* n = head_;
        if (n != nullptr) remove(*n);
        return n;
    }
    // Moves every node into the returned list, leaving this one empty; the nodes stay chained.
    intrusive_list take_all() noexcept { return std::move(*this); }
    // Forgets every node without touching it (their hooks are stale afterwards).
    void forget() noexcept { head_ = tail_ = nullptr; }

private:
    T* head_ = nullptr;
    T* tail_ = nullptr;
};

}  // namespace weft::detail
