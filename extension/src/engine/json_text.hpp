// JSON text written straight into a string, for documents too large to build as a tree first
// (the catalog reader writes the tables of a snapshot with it). Keys and strings are escaped as
// PostgreSQL's json type escapes them; the caller keeps objects and arrays balanced.
#pragma once
#include "cpp_only.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ender::engine {

class json_text {
public:
    json_text& begin_object();
    json_text& end_object();
    json_text& begin_array();
    json_text& end_array();
    // The name of the next member of the object being written.
    json_text& key(std::string_view name);
    json_text& value(std::string_view s);
    json_text& value(const char* s) { return value(std::string_view(s)); }
    json_text& value(bool b);
    json_text& null();
    // A string, or null when `s` is nullptr.
    json_text& value_or_null(const char* s) { return s ? value(s) : null(); }
    // A value already written as JSON text (copied as it is).
    json_text& raw(std::string_view json);
    // An array of strings.
    json_text& strings(const std::vector<std::string>& items);

    const std::string& str() const noexcept { return out_; }
    std::string take() noexcept { return std::move(out_); }

private:
    void separate();
    std::string out_;
    std::vector<bool> first_;  // per open container: nothing written in it yet
    bool after_key_ = false;
};

// Appends `s` to `out` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

}  // namespace ender::engine
