#pragma once
// weft::outcome<T>: how one task ended -- a value or an exception -- as gather_settled reports it
// (asyncio.gather(..., return_exceptions=True)).
//
//     auto [a, b] = co_await weft::gather_settled(fetch(1), fetch(2));
//     if (a.has_value()) use(a.value());
//     else log(a.error());                    // the std::exception_ptr the task threw
//
// value() on a failed outcome rethrows its exception; error() on a successful one is null.
// outcome<void> holds no value; outcome<T&> refers to the task's referent.
#include <exception>
#include <memory>
#include <stdexcept>
#include <utility>
#include <variant>

namespace weft {

template <class T>
class outcome {
public:
    explicit outcome(std::exception_ptr e) noexcept : state_(std::in_place_index<1>, std::move(e)) {}
    template <class U>
    explicit outcome(std::in_place_t, U&& v) : state_(std::in_place_index<0>, std::forward<U>(v)) {}

    bool has_value() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & { return checked(); }
    const T& value() const& { return const_cast<outcome*>(this)->checked(); }
    T&& value() && { return std::move(checked()); }

    std::exception_ptr error() const noexcept { return has_value() ? nullptr : std::get<1>(state_); }

private:
    T& checked() {
        if (!has_value()) std::rethrow_exception(std::get<1>(state_));
        return std::get<0>(state_);
    }
    std::variant<T, std::exception_ptr> state_;
};

template <class T>
class outcome<T&> {
public:
    explicit outcome(std::exception_ptr e) noexcept : error_(std::move(e)) {}
    explicit outcome(std::in_place_t, T& v) noexcept : value_(std::addressof(v)) {}

    bool has_value() const noexcept { return error_ == nullptr; }
    explicit operator bool() const noexcept { return has_value(); }
    T& value() const {
        if (!has_value()) std::rethrow_exception(error_);
        return *value_;
    }
    std::exception_ptr error() const noexcept { return error_; }

private:
    T* value_ = nullptr;
    std::exception_ptr error_;
};

template <>
class outcome<void> {
public:
    outcome() noexcept = default;
    explicit outcome(std::exception_ptr e) noexcept : error_(std::move(e)) {}

    bool has_value() const noexcept { return error_ == nullptr; }
    explicit operator bool() const noexcept { return has_value(); }
    void value() const {
        if (!has_value()) std::rethrow_exception(error_);
    }
    std::exception_ptr error() const noexcept { return error_; }

private:
    std::exception_ptr error_;
};

}  // namespace weft
