// json_value: construction and checked access.
#include <charconv>
#include <cmath>

#include "json_reader.hpp"

namespace weft::lab {
namespace {

const char* type_name(json_value::type t) {
    switch (t) {
        case json_value::type::null: return "null";
        case json_value::type::boolean: return "a boolean";
        case json_value::type::number: return "a number";
        case json_value::type::string: return "a string";
        case json_value::type::array: return "an array";
        case json_value::type::object: return "an object";
    }
    return "?";
}

}  // namespace

json_value json_value::make_bool(bool b) {
    json_value v;
    v.kind_ = type::boolean;
    v.boolean_ = b;
    return v;
}

json_value json_value::make_number(double d, std::string text) {
    json_value v;
    v.kind_ = type::number;
    v.number_ = d;
    v.number_text_ = std::move(text);
    return v;
}

json_value json_value::make_string(std::string s) {
    json_value v;
    v.kind_ = type::string;
    v.string_ = std::move(s);
    return v;
}

json_value json_value::make_array(std::vector<json_value> items) {
    json_value v;
    v.kind_ = type::array;
    v.items_ = std::move(items);
    return v;
}

json_value json_value::make_object(std::vector<std::pair<std::string, json_value>> members) {
    json_value v;
    v.kind_ = type::object;
    v.members_ = std::move(members);
    return v;
}

void json_value::expect(type t, const char* name) const {
    if (kind_ != t) throw json_error(std::string("JSON: expected ") + name + ", found " + type_name(kind_));
}

bool json_value::as_bool() const {
    expect(type::boolean, "a boolean");
    return boolean_;
}

double json_value::as_number() const {
    expect(type::number, "a number");
    return number_;
}

std::uint64_t json_value::as_count() const {
    const double d = as_number();
    if (d < 0 || d > 9007199254740992.0 || std::floor(d) != d)
        throw json_error("JSON: expected a whole number from 0 to 2^53, found " + std::to_string(d));
    return static_cast<std::uint64_t>(d);
}

std::int64_t json_value::as_integer() const {
    const double d = as_number();
    const std::string text = number_text_.empty() ? std::to_string(static_cast<std::int64_t>(d)) : number_text_;
    std::int64_t n = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), n);
    if (result.ec != std::errc{} || result.ptr != text.data() + text.size())
        throw json_error("JSON: expected an integer, found " + text);
    return n;
}

const std::string& json_value::as_string() const {
    expect(type::string, "a string");
    return string_;
}

const std::vector<json_value>& json_value::items() const {
    expect(type::array, "an array");
    return items_;
}

const std::vector<std::pair<std::string, json_value>>& json_value::members() const {
    expect(type::object, "an object");
    return members_;
}

const json_value* json_value::find(std::string_view key) const {
    for (const auto& [name, v] : members())
        if (name == key) return &v;
    return nullptr;
}

const json_value& json_value::at(std::string_view key) const {
    if (const json_value* v = find(key)) return *v;
    throw json_error("JSON: missing member \"" + std::string(key) + "\"");
}

}  // namespace weft::lab
