#pragma once
// weft_test::parse_json: a small, strict JSON reader (RFC 8259) for tests that check files and
// strings weft writes -- traces, runtime_stats::to_json.
//
//     const weft_test::json doc = weft_test::parse_json(text);      // throws json_error
//     for (const weft_test::json& e : doc["traceEvents"].items()) ...
//     e["ph"].text() == "X"; e["ts"].number(); e.has("args");
//
// Numbers are doubles; strings are returned with their escapes decoded (\uXXXX as UTF-8,
// surrogate pairs included). Anything malformed -- trailing commas, single quotes, garbage after
// the value -- is an error naming the offset, which is the point: a viewer would reject it too.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace weft_test {

struct json_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class json {
public:
    using array = std::vector<json>;
    using object = std::map<std::string, json, std::less<>>;

    json() = default;
    explicit json(std::nullptr_t) {}
    explicit json(bool b) : value_(b) {}
    explicit json(double d) : value_(d) {}
    explicit json(std::string s) : value_(std::move(s)) {}
    explicit json(array a) : value_(std::make_shared<array>(std::move(a))) {}
    explicit json(object o) : value_(std::make_shared<object>(std::move(o))) {}

    bool is_null() const { return std::holds_alternative<std::nullptr_t>(value_); }
    bool is_object() const { return std::holds_alternative<std::shared_ptr<object>>(value_); }
    bool is_array() const { return std::holds_alternative<std::shared_ptr<array>>(value_); }
    bool is_string() const { return std::holds_alternative<std::string>(value_); }
    bool is_number() const { return std::holds_alternative<double>(value_); }

    bool boolean() const { return get<bool>("a boolean"); }
    double number() const { return get<double>("a number"); }
    const std::string& text() const { return get<std::string>("a string"); }
    const array& items() const { return *get<std::shared_ptr<array>>("an array"); }
    const object& members() const { return *get<std::shared_ptr<object>>("an object"); }

    bool has(std::string_view key) const { return is_object() && members().find(key) != members().end(); }
    const json& operator[](std::string_view key) const {
        const auto it = members().find(key);
        if (it == members().end()) throw json_error("no member \"" + std::string(key) + "\"");
        return it->second;
    }

private:
    template <class T>
    const T& get(const char* what) const {
        if (const T* v = std::get_if<T>(&value_)) return *v;
        throw json_error(std::string("the value is not ") + what);
    }

    std::variant<std::nullptr_t, bool, double, std::string, std::shared_ptr<array>, std::shared_ptr<object>> value_;
};

namespace detail {

class json_parser {
public:
    explicit json_parser(std::string_view text) : s_(text) {}

    json document() {
        json v = value(0);
        skip_space();
        if (i_ != s_.size()) fail("text after the value");
        return v;
    }

private:
    // Deeper nesting than any weft output, shallow enough not to exhaust a test's stack.
    static constexpr int max_depth = 256;

    [[noreturn]] void fail(const std::string& what) const {
        throw json_error("JSON error at offset " + std::to_string(i_) + ": " + what);
    }
    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
    }
    char peek() {
        skip_space();
        if (i_ == s_.size()) fail("unexpected end");
        return s_[i_];
    }
    void expect(char c) {
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++i_;
    }
    bool literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }

    json value(int depth) {
        if (depth > max_depth) fail("nested too deeply");
        const char c = peek();
        if (c == '{') return json(members(depth));
        if (c == '[') return json(elements(depth));
        if (c == '"') return json(string());
        if (literal("true")) return json(true);
        if (literal("false")) return json(false);
        if (literal("null")) return json(nullptr);
        return json(number());
    }

    json::object members(int depth) {
        expect('{');
        json::object out;
        if (peek() == '}') {
            ++i_;
            return out;
        }
        for (;;) {
            if (peek() != '"') fail("expected a member name");
            std::string key = string();
            expect(':');
            out.insert_or_assign(std::move(key), value(depth + 1));
            if (peek() == '}') {
                ++i_;
                return out;
            }
            expect(',');
        }
    }

    json::array elements(int depth) {
        expect('[');
        json::array out;
        if (peek() == ']') {
            ++i_;
            return out;
        }
        for (;;) {
            out.push_back(value(depth + 1));
            if (peek() == ']') {
                ++i_;
                return out;
            }
            expect(',');
        }
    }

    double number() {
        const std::size_t start = i_;
        if (i_ < s_.size() && s_[i_] == '-') ++i_;
        const auto digits = [&] {
            const std::size_t from = i_;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
            return i_ - from;
        };
        const std::size_t whole = digits();
        if (whole == 0 || (whole > 1 && s_[i_ - whole] == '0')) fail("malformed number");
        if (i_ < s_.size() && s_[i_] == '.' && (++i_, digits() == 0)) fail("malformed fraction");
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (digits() == 0) fail("malformed exponent");
        }
        return std::stod(std::string(s_.substr(start, i_ - start)));
    }

    unsigned hex4() {
        if (i_ + 4 > s_.size()) fail("short \\u escape");
        unsigned v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[i_++];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
            else fail("bad hex digit");
        }
        return v;
    }

    static void put_utf8(std::string& out, std::uint32_t cp) {
        const auto put = [&out](std::uint32_t byte) { out.push_back(static_cast<char>(byte)); };
        if (cp < 0x80) return put(cp);
        if (cp < 0x800) return put(0xC0 | (cp >> 6)), put(0x80 | (cp & 0x3F));
        if (cp < 0x10000) return put(0xE0 | (cp >> 12)), put(0x80 | ((cp >> 6) & 0x3F)), put(0x80 | (cp & 0x3F));
        put(0xF0 | (cp >> 18)), put(0x80 | ((cp >> 12) & 0x3F)), put(0x80 | ((cp >> 6) & 0x3F)), put(0x80 | (cp & 0x3F));
    }

    std::string string() {
        expect('"');
        std::string out;
        for (;;) {
            if (i_ == s_.size()) fail("unterminated string");
            const char c = s_[i_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
            if (c != '\\') {
                out.push_back(c);
                continue;
            }
            if (i_ == s_.size()) fail("unterminated escape");
            switch (const char e = s_[i_++]) {
                case '"': case '\\': case '/': out.push_back(e); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u': {
                    std::uint32_t cp = hex4();
                    if (cp >= 0xD800 && cp < 0xDC00) {
                        if (!literal("\\u")) fail("lone high surrogate");
                        const unsigned low = hex4();
                        if (low < 0xDC00 || low >= 0xE000) fail("bad low surrogate");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp < 0xE000) {
                        fail("lone low surrogate");
                    }
                    put_utf8(out, cp);
                    break;
                }
                default: fail("unknown escape");
            }
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

}  // namespace detail

// Parses `text` as one JSON value; throws json_error naming the offset of the first problem.
inline json parse_json(std::string_view text) { return detail::json_parser(text).document(); }

}  // namespace weft_test
