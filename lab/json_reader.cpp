// parse_json: a recursive-descent JSON parser.
#include "json_reader.hpp"

#include <charconv>
#include <cmath>

namespace weft::lab {
namespace {

constexpr int max_depth = 64;

class parser {
public:
    explicit parser(std::string_view text) : text_(text) {}

    json_value document() {
        json_value v = value(0);
        skip_space();
        if (pos_ != text_.size()) fail("unexpected text after the value");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw json_error("JSON: " + what + " at offset " + std::to_string(pos_));
    }

    void skip_space() {
        while (pos_ < text_.size() &&
               (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
            ++pos_;
    }

    bool take(char c) {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    void expect(char c) {
        if (!take(c)) fail(std::string("expected '") + c + "'");
    }

    bool take_word(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    json_value value(int depth) {
        if (depth > max_depth) fail("nesting deeper than " + std::to_string(max_depth) + " levels");
        skip_space();
        if (pos_ == text_.size()) fail("unexpected end of input");
        const char c = text_[pos_];
        if (c == '{') return object(depth);
        if (c == '[') return array(depth);
        if (c == '"') return json_value::make_string(string());
        if (take_word("true")) return json_value::make_bool(true);
        if (take_word("false")) return json_value::make_bool(false);
        if (take_word("null")) return {};
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        fail(std::string("unexpected character '") + c + "'");
    }

    json_value object(int depth) {
        expect('{');
        std::vector<std::pair<std::string, json_value>> members;
        if (!take('}')) {
            do {
                skip_space();
                if (pos_ == text_.size() || text_[pos_] != '"') fail("expected a member name");
                std::string name = string();
                expect(':');
                members.emplace_back(std::move(name), value(depth + 1));
            } while (take(','));
            expect('}');
        }
        return json_value::make_object(std::move(members));
    }

    json_value array(int depth) {
        expect('[');
        std::vector<json_value> items;
        if (!take(']')) {
            do items.push_back(value(depth + 1));
            while (take(','));
            expect(']');
        }
        return json_value::make_array(std::move(items));
    }

    json_value number() {
        // JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        const std::size_t start = pos_;
        const auto digits = [&] {
            const std::size_t first = pos_;
            while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
            if (pos_ == first) fail("expected a digit");
            return pos_ - first;
        };
        if (text_[pos_] == '-') ++pos_;
        const std::size_t int_start = pos_;
        if (digits() > 1 && text_[int_start] == '0') fail("a number with a leading zero");
        if (pos_ < text_.size() && text_[pos_] == '.') {
            ++pos_;
            digits();
        }
        if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
            digits();
        }
        double d = 0;
        const auto result = std::from_chars(text_.data() + start, text_.data() + pos_, d);
        if (result.ec != std::errc{} || !std::isfinite(d)) fail("a number out of range");
        return json_value::make_number(d, std::string(text_.substr(start, pos_ - start)));
    }

    unsigned hex4() {
        if (pos_ + 4 > text_.size()) fail("a short \\u escape");
        unsigned code = 0;
        const auto result = std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, code, 16);
        if (result.ec != std::errc{} || result.ptr != text_.data() + pos_ + 4) fail("a malformed \\u escape");
        pos_ += 4;
        return code;
    }

    static void append_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xc0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xe0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (cp & 0x3f));
        } else {
            out += static_cast<char>(0xf0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (cp & 0x3f));
        }
    }

    std::string string() {
        ++pos_;  // the opening quote
        std::string out;
        while (true) {
            if (pos_ == text_.size()) fail("an unterminated string");
            const char c = text_[pos_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("a control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ == text_.size()) fail("an unterminated escape");
            switch (const char e = text_[pos_++]) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xd800 && cp < 0xdc00) {
                        if (!take_word("\\u")) fail("a lone high surrogate");
                        const unsigned low = hex4();
                        if (low < 0xdc00 || low >= 0xe000) fail("a high surrogate without its low half");
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                    } else if (cp >= 0xdc00 && cp < 0xe000) {
                        fail("a lone low surrogate");
                    }
                    append_utf8(out, cp);
                    break;
                }
                default: fail(std::string("an unknown escape '\\") + e + "'");
            }
        }
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

json_value parse_json(std::string_view text) { return parser(text).document(); }

}  // namespace weft::lab
