#pragma once
// A small streaming JSON writer, two-space indented:
//
//     json_writer w;
//     w.begin_object();
//     w.key("schema").value("weft-lab/1");
//     w.key("times_s").begin_array().value(0.25).value(0.5).end_array();
//     w.end_object();
//     std::string text = std::move(w).str();
//
// Numbers are written in the shortest form that reads back to the same double (std::to_chars),
// so a result saved and reloaded prints the same table; NaN and infinities become null. The
// caller keeps the structure well formed (a key before each member value); nothing checks it.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace weft::lab {

class json_writer {
public:
    json_writer& begin_object() { return open('{'); }
    json_writer& end_object() { return close('}'); }
    json_writer& begin_array() { return open('['); }
    json_writer& end_array() { return close(']'); }

    json_writer& key(std::string_view k) {
        separate();
        string(k);
        out_ += ": ";
        after_key_ = true;
        return *this;
    }

    json_writer& value(std::string_view s) {
        separate();
        string(s);
        return *this;
    }
    json_writer& value(const char* s) { return value(std::string_view(s)); }
    json_writer& value(const std::string& s) { return value(std::string_view(s)); }
    json_writer& value(bool b) {
        separate();
        out_ += b ? "true" : "false";
        return *this;
    }
    json_writer& value(int n) { return raw(std::to_string(n)); }
    json_writer& value(unsigned n) { return raw(std::to_string(n)); }
    json_writer& value(std::int64_t n) { return raw(std::to_string(n)); }
    json_writer& value(std::uint64_t n) { return raw(std::to_string(n)); }
    json_writer& value(double d) {
        if (!std::isfinite(d)) return null();
        char text[32];
        const auto result = std::to_chars(text, text + sizeof text, d);
        return raw(std::string(text, result.ptr));
    }
    json_writer& value(const std::optional<double>& d) { return d ? value(*d) : null(); }
    json_writer& null() { return raw("null"); }

    std::string str() && {
        out_ += '\n';
        return std::move(out_);
    }

private:
    json_writer& raw(const std::string& text) {
        separate();
        out_ += text;
        return *this;
    }

    json_writer& open(char bracket) {
        separate();
        out_ += bracket;
        ++depth_;
        first_ = true;
        return *this;
    }

    json_writer& close(char bracket) {
        --depth_;
        if (!first_) newline();
        out_ += bracket;
        first_ = false;
        return *this;
    }

    // Before a value or key: a comma after a sibling, and a fresh indented line -- unless the
    // value follows its key.
    void separate() {
        if (after_key_) {
            after_key_ = false;
            return;
        }
        if (depth_ == 0) return;
        if (!first_) out_ += ',';
        newline();
        first_ = false;
    }

    void newline() {
        out_ += '\n';
        out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
    }

    void string(std::string_view s) {
        out_ += '"';
        for (const char c : s) {
            switch (c) {
                case '"': out_ += "\\\""; break;
                case '\\': out_ += "\\\\"; break;
                case '\n': out_ += "\\n"; break;
                case '\r': out_ += "\\r"; break;
                case '\t': out_ += "\\t"; break;
                default:
                    if (static_cast<unsigned char>(c) < 0x20) {
                        char escaped[8];
                        std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                        out_ += escaped;
                    } else {
                        out_ += c;
                    }
            }
        }
        out_ += '"';
    }

    std::string out_;
    int depth_ = 0;
    bool first_ = true;
    bool after_key_ = false;
};

}  // namespace weft::lab
