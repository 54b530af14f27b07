// JSON text written straight into a string (see json_text.hpp).
#include "json_text.hpp"

namespace ender::engine {

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    // Runs of characters that need no escape are appended whole (most of a snapshot's text).
    std::size_t plain = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
        out.append(s.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += "\\u00";
                    out += hex[(c >> 4) & 0xf];
                    out += hex[c & 0xf];
                }
        }
    }
    out.append(s.data() + plain, s.size() - plain);
    out += '"';
}

void json_text::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
}

json_text& json_text::begin_object() {
    separate();
    out_ += '{';
    first_.push_back(true);
    return *this;
}

json_text& json_text::end_object() {
    out_ += '}';
    first_.pop_back();
    return *this;
}

json_text& json_text::begin_array() {
    separate();
    out_ += '[';
    first_.push_back(true);
    return *this;
}

json_text& json_text::end_array() {
    out_ += ']';
    first_.pop_back();
    return *this;
}

json_text& json_text::key(std::string_view name) {
    separate();
    append_json_string(out_, name);
    out_ += ':';
    after_key_ = true;
    return *this;
}

json_text& json_text::value(std::string_view s) {
    separate();
    append_json_string(out_, s);
    return *this;
}

json_text& json_text::value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
}

json_text& json_text::null() {
    separate();
    out_ += "null";
    return *this;
}

json_text& json_text::raw(std::string_view json) {
    separate();
    out_ += json;
    return *this;
}

json_text& json_text::strings(const std::vector<std::string>& items) {
    begin_array();
    for (const auto& item : items) value(item);
    return end_array();
}

}  // namespace ender::engine
