// pitfall_lifetimes: what a coroutine may keep a reference to.
//
// A coroutine's frame stores its parameters as declared: a reference parameter stores the
// reference, not a copy of the object. The object must outlive the task's last use of it.
//
// The functions in namespace `wrong` compile, but read freed memory when they run, so this
// program never calls them. main() runs the fixed versions.
#include <weft/weft.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <string>
#include <utility>

// Borrows its argument: the frame keeps a reference to the caller's string.
weft::task<std::size_t> count_words(const std::string& text) {
    co_await weft::yield();  // the caller may have moved on by the time the task resumes
    co_return static_cast<std::size_t>(std::count(text.begin(), text.end(), ' ') + 1);
}

// Owns its argument: the frame holds its own copy.
weft::task<std::size_t> count_words_owned(std::string text) {
    co_await weft::yield();
    co_return static_cast<std::size_t>(std::count(text.begin(), text.end(), ' ') + 1);
}

namespace wrong {

// The std::string made from the literal is a temporary that dies at the end of this statement;
// the spawned task reads it later.
weft::join_handle<std::size_t> spawn_temporary() { return weft::spawn(count_words("one two three")); }

// `text` dies when the function returns; the spawned task may not even have started.
weft::join_handle<std::size_t> spawn_local() {
    std::string text = "one two three";
    return weft::spawn(count_words(text));
}

// Created now, run later: the temporary is gone by the time co_await starts the task.
weft::task<std::size_t> await_later() {
    weft::task<std::size_t> t = count_words("one two three");
    co_return co_await t;
}

// A coroutine lambda's captures live in the closure object, not in the frame; the frame only
// points at the closure. Here the closure is a temporary, destroyed at the end of the statement,
// so even a capture by value dangles once the task resumes.
weft::join_handle<std::size_t> spawn_lambda(std::string text) {
    return weft::spawn([text]() -> weft::task<std::size_t> {
        co_await weft::yield();
        co_return text.size();
    }());
}

}  // namespace wrong

namespace right {

// A spawned task owns its data: arguments by value.
weft::join_handle<std::size_t> spawn_owned() { return weft::spawn(count_words_owned("one two three")); }

// A lambda passes its data as parameters, which are copied into the frame, and captures nothing.
weft::join_handle<std::size_t> spawn_lambda(std::string text) {
    return weft::spawn([](std::string t) -> weft::task<std::size_t> {
        co_await weft::yield();
        co_return t.size();
    }(std::move(text)));
}

// Borrowing is fine while the lender waits: a temporary lives until the end of the full
// expression, which includes the co_await ...
weft::task<std::size_t> await_now() { co_return co_await count_words("one two three"); }

// ... and gather resumes its caller only after every child finished, so children may borrow
// from the caller's frame.
weft::task<std::size_t> gather_borrowing() {
    const std::string first = "one two three";
    const std::string second = "four five";
    auto [a, b] = co_await weft::gather(count_words(first), count_words(second));
    co_return a + b;
}

}  // namespace right

weft::task<int> amain() {
    const std::size_t owned = co_await right::spawn_owned();
    const std::size_t lambda = co_await right::spawn_lambda("four five six");
    const std::size_t now = co_await right::await_now();
    const std::size_t gathered = co_await right::gather_borrowing();
    std::printf("%zu %zu %zu %zu\n", owned, lambda, now, gathered);
    co_return owned == 3 && lambda == 13 && now == 3 && gathered == 5 ? 0 : 1;
}

int main() { return weft::run(amain()); }
