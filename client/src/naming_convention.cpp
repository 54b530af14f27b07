// Naming conventions (schema.hpp, naming_convention.hpp): templates with SQLAlchemy's tokens.
#include "naming_convention.hpp"

#include "ender/error.hpp"

#include "engine/quote.hpp"

#include <cstdint>
#include <cstdio>

namespace ender {

naming_convention naming_convention::prefixed() {
    return {"pk_%(table_name)s", "uq_%(table_name)s_%(column_0_N_name)s",
            "ck_%(table_name)s_%(constraint_name)s",
            "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
            "ix_%(table_name)s_%(column_0_N_name)s"};
}

namespace detail {

namespace {

using engine::max_identifier;

// The value of `token` for `s`, or false when the token is unknown.
bool token_value(const std::string& token, const naming_subject& s, std::string& out) {
    if (token == "table_name") {
        out = s.table;
    } else if (token == "column_0_name") {
        out = s.columns.empty() ? "" : s.columns[0];
    } else if (token == "column_0_N_name") {
        out = joined(s.columns, "_");
    } else if (token == "column_0N_name") {
        out = joined(s.columns, "");
    } else if (token == "referred_table_name") {
        out = s.referred_table;
    } else if (token == "constraint_name") {
        out = s.constraint_name;
    } else {
        return false;
    }
    return true;
}

// Calls `each(text, token)` for every piece of `templ`: literal text, then a token name (empty
// for the last piece).
template <class F>
void pieces(const std::string& templ, F&& each) {
    std::size_t at = 0;
    for (;;) {
        std::size_t open = templ.find("%(", at);
        if (open == std::string::npos) break;
        std::size_t close = templ.find(")s", open);
        if (close == std::string::npos) break;
        each(templ.substr(at, open - at), templ.substr(open + 2, close - open - 2));
        at = close + 2;
    }
    each(templ.substr(at), std::string());
}

// 32-bit FNV-1a: a short, stable fingerprint of a long name.
std::uint32_t fingerprint(const std::string& s) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s) {
        h ^= c;
        h *= 16777619u;
    }
    return h;
}

}  // namespace

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
    return out;
}

void check_naming_template(const std::string& templ) {
    naming_subject none;
    pieces(templ, [&](const std::string&, const std::string& token) {
        std::string ignored;
        if (!token.empty() && !token_value(token, none, ignored))
            throw usage_error("22023", "unknown token \"%(" + token + ")s\" in naming convention",
                              "The template is \"" + templ + "\".",
                              "Tokens: %(table_name)s, %(column_0_name)s, %(column_0_N_name)s, "
                              "%(column_0N_name)s, %(referred_table_name)s, %(constraint_name)s.");
    });
}

std::string apply_naming_template(const std::string& templ, const naming_subject& subject) {
    std::string name;
    pieces(templ, [&](const std::string& text, const std::string& token) {
        name += text;
        std::string value;
        if (!token.empty() && token_value(token, subject, value)) name += value;
    });
    if (name.size() <= max_identifier) return name;
    char suffix[10];
    std::snprintf(suffix, sizeof suffix, "_%08x", fingerprint(name));
    return engine::truncate_utf8(name, max_identifier - 9) + suffix;
}

}  // namespace detail
}  // namespace ender
