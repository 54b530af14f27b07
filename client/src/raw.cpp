// Raw SQL with :name parameters (parsing and binding) and the errors of the result check (see
// raw.hpp).
#include "ender/raw.hpp"

#include <cctype>

namespace ender {

namespace {

bool name_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

[[noreturn]] void syntax(const std::string& message, std::string_view sql) {
    throw usage_error("42601", message, "", "", std::string(sql));
}

// The end of the quoted text that starts at `at` (a ' or "): past its closing quote. Doubled
// quotes stay inside; backslashes escape in E'...' strings.
std::size_t end_of_quoted(std::string_view sql, std::size_t at, bool escapes) {
    char q = sql[at];
    for (std::size_t i = at + 1; i < sql.size(); ++i) {
        if (escapes && sql[i] == '\\') {
            ++i;
        } else if (sql[i] == q) {
            if (i + 1 < sql.size() && sql[i + 1] == q)
                ++i;
            else
                return i + 1;
        }
    }
    syntax("unterminated quoted text in the statement", sql);
}

// The length of a dollar-quote tag ("$body$") at `at`, or 0 when none starts there.
std::size_t dollar_tag(std::string_view sql, std::size_t at) {
    std::size_t i = at + 1;
    if (i < sql.size() && name_start(sql[i]))
        while (i < sql.size() && name_char(sql[i])) ++i;
    return i < sql.size() && sql[i] == '$' ? i + 1 - at : 0;
}

std::string listed(const std::vector<std::string>& names, std::string_view prefix) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + std::string(prefix) + n;
    return out.empty() ? "none" : out;
}

}  // namespace

named_sql parse_named(std::string_view sql) {
    named_sql out;
    auto& text = out.text;
    std::size_t i = 0;
    while (i < sql.size()) {
        char c = sql[i];
        std::size_t end = i + 1;
        if (c == '\'' || c == '"') {
            bool escapes = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                           (i < 2 || !name_char(sql[i - 2]));
            end = end_of_quoted(sql, i, escapes);
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            end = sql.find('\n', i);
            end = end == std::string_view::npos ? sql.size() : end;
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            int depth = 0;
            for (end = i; end < sql.size(); ++end) {
                if (sql.compare(end, 2, "/*") == 0)
                    ++depth, ++end;
                else if (sql.compare(end, 2, "*/") == 0 && --depth == 0)
                    break;
            }
            if (end >= sql.size()) syntax("unterminated comment in the statement", sql);
            end += 2;
        } else if (c == '$' && i + 1 < sql.size() &&
                   std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
            syntax("the statement mixes $" + std::string(1, sql[i + 1]) + " with :name parameters",
                   sql);
        } else if (c == '$' && dollar_tag(sql, i) && (i == 0 || !name_char(sql[i - 1]))) {
            auto tag = sql.substr(i, dollar_tag(sql, i));
            auto close = sql.find(tag, i + tag.size());
            if (close == std::string_view::npos)
                syntax("unterminated dollar-quoted text in the statement", sql);
            end = close + tag.size();
        } else if (c == '\\' && i + 1 < sql.size() && sql[i + 1] == ':') {
            text += ':';  // \: is a colon that starts no parameter
            i += 2;
            continue;
        } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
            end = i + 2;  // a cast
        } else if (c == ':' && i + 1 < sql.size() && name_start(sql[i + 1])) {
            end = i + 2;
            while (end < sql.size() && name_char(sql[end])) ++end;
            std::string name(sql.substr(i + 1, end - i - 1));
            std::size_t n = 0;
            while (n < out.names.size() && out.names[n] != name) ++n;
            if (n == out.names.size()) out.names.push_back(name);
            text += "$" + std::to_string(n + 1);
            i = end;
            continue;
        }
        text.append(sql.substr(i, end - i));
        i = end;
    }
    return out;
}

namespace detail {

std::vector<param> bind_named(const named_sql& parsed, std::span<const named_arg> args,
                              bool extra_allowed) {
    std::vector<std::string> given;
    for (const auto& a : args) {
        for (const auto& g : given)
            if (g == a.name)
                throw usage_error("42P08", "parameter \"" + a.name + "\" is given twice");
        given.push_back(a.name);
    }
    std::vector<param> out;
    for (const auto& name : parsed.names) {
        const named_arg* found = nullptr;
        for (const auto& a : args)
            if (a.name == name) found = &a;
        if (!found)
            throw usage_error("42P02", "no value for parameter :" + name,
                              "The statement uses " + listed(parsed.names, ":") +
                                  "; the values given are for " + listed(given, ":") + ".",
                              "", parsed.text);
        out.push_back(found->value);
    }
    if (!extra_allowed)
        for (const auto& g : given) {
            bool used = false;
            for (const auto& n : parsed.names) used = used || n == g;
            if (!used)
                throw usage_error("42P02", "the statement has no parameter :" + g,
                                  "The statement uses " + listed(parsed.names, ":") + ".", "",
                                  parsed.text);
        }
    return out;
}

void result_mismatch(std::string_view sqlstate, const std::string& message,
                     const std::string& detail) {
    throw usage_error(std::string(sqlstate), message, detail,
                      "Change the statement's select list or the row type so that they agree.");
}

std::string type_name(oid type) {
    switch (type) {
        case 16:
            return "boolean";
        case 17:
            return "bytea";
        case 20:
            return "bigint";
        case 21:
            return "smallint";
        case 23:
            return "integer";
        case 25:
            return "text";
        case 114:
            return "json";
        case 700:
            return "real";
        case 701:
            return "double precision";
        case 1043:
            return "character varying";
        case 1082:
            return "date";
        case 1114:
            return "timestamp without time zone";
        case 1184:
            return "timestamp with time zone";
        case 1186:
            return "interval";
        case 1700:
            return "numeric";
        case 2950:
            return "uuid";
        case 3802:
            return "jsonb";
        default:
            return "OID " + std::to_string(type);
    }
}

}  // namespace detail

}  // namespace ender
