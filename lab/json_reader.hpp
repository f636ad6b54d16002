#pragma once
// A small JSON reader for weft-lab's own files (RFC 8259: objects, arrays, strings with every
// escape, numbers, true, false, null), enough to read back what json_writer wrote.
//
//     json_value doc = parse_json(text);                 // json_error on malformed input
//     const json_value& rows = doc.at("rows");            // json_error if missing
//     for (const json_value& row : rows.items()) row.at("threads").as_number();
//
// Numbers are doubles (exact for integers up to 2^53); as_integer reads an integer's own digits,
// exact over the whole int64 range. Nesting deeper than 64 levels is an
// error rather than a stack overflow. \u escapes are decoded to UTF-8 (surrogate pairs
// included).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weft::lab {

class json_error : public std::runtime_error {
public:
    explicit json_error(const std::string& what) : std::runtime_error(what) {}
};

class json_value {
public:
    enum class type { null, boolean, number, string, array, object };

    json_value() = default;
    static json_value make_bool(bool b);
    // `text`: the number as written, for as_integer ("" means: as_integer formats `d`).
    static json_value make_number(double d, std::string text = {});
    static json_value make_string(std::string s);
    static json_value make_array(std::vector<json_value> items);
    static json_value make_object(std::vector<std::pair<std::string, json_value>> members);

    type kind() const noexcept { return kind_; }
    bool is_null() const noexcept { return kind_ == type::null; }

    // The value, or json_error naming the expected type.
    bool as_bool() const;
    double as_number() const;
    // as_number, checked to be a whole number from 0 to 2^53.
    std::uint64_t as_count() const;
    // A number written as an integer, read exactly from its text (all of int64's range).
    std::int64_t as_integer() const;
    const std::string& as_string() const;
    const std::vector<json_value>& items() const;
    const std::vector<std::pair<std::string, json_value>>& members() const;

    // The member `key` of an object: nullptr if absent; at() throws json_error instead.
    const json_value* find(std::string_view key) const;
    const json_value& at(std::string_view key) const;

private:
    void expect(type t, const char* name) const;

    type kind_ = type::null;
    bool boolean_ = false;
    double number_ = 0;
    std::string number_text_;
    std::string string_;
    std::vector<json_value> items_;
    std::vector<std::pair<std::string, json_value>> members_;
};

// The one value `text` holds (surrounding whitespace allowed). json_error with the byte offset
// of the problem otherwise.
json_value parse_json(std::string_view text);

}  // namespace weft::lab
