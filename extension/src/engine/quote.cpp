// SQL quoting (the rules are in quote.hpp).
#include "quote.hpp"

#include "error.hpp"

namespace ender::engine {
namespace {

// The keywords PostgreSQL's quote_ident() quotes: PostgreSQL 15's reserved, column-name and
// type-function-name keywords (SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'), and
// the four JSON constructors PostgreSQL 16 adds to them.
// clang-format off
constexpr std::string_view keywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
    "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently",
    "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
    "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
    "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout",
    "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "json_array",
    "json_arrayagg", "json_object", "json_objectagg", "lateral", "leading", "least", "left",
    "like", "limit", "localtime", "localtimestamp", "national", "natural", "nchar", "none",
    "normalize", "not", "notnull", "null", "nullif", "numeric", "offset", "on", "only", "or",
    "order", "out", "outer", "overlaps", "overlay", "placing", "position", "precision", "primary",
    "real", "references", "returning", "right", "row", "select", "session_user", "setof",
    "similar", "smallint", "some", "substring", "symmetric", "table", "tablesample", "then",
    "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique", "user",
    "using", "values", "varchar", "variadic", "verbose", "when", "where", "window", "with",
    "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces",
    "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable"
};
// clang-format on

bool is_keyword(std::string_view name) {
    for (auto k : keywords)
        if (k == name) return true;
    return false;
}

// Refuses a NUL byte in `text` (a name when `identifier`, else a string constant).
void refuse_nul(std::string_view text, bool identifier) {
    if (text.find('\0') == std::string_view::npos) return;
    throw error(sqlstate::character_not_in_repertoire,
                identifier ? "an identifier cannot contain a NUL byte"
                           : "a string constant cannot contain a NUL byte",
                "PostgreSQL text cannot hold the byte 0x00.");
}

// `text` between `quote`s, each `quote` in it (and each backslash when `backslashes`) doubled;
// runs that need nothing are appended whole (a diff quotes tens of thousands of names).
void append_doubled(std::string& out, std::string_view text, char quote, bool backslashes) {
    out += quote;
    for (std::size_t start = 0;;) {
        const std::size_t at = backslashes
                                   ? text.find_first_of(quote == '\'' ? "'\\" : "\"\\", start)
                                   : text.find(quote, start);
        out.append(text.substr(
            start, at == std::string_view::npos ? std::string_view::npos : at + 1 - start));
        if (at == std::string_view::npos) break;
        out += text[at];
        start = at + 1;
    }
    out += quote;
}

}  // namespace

std::string quote_ident(std::string_view name) {
    refuse_nul(name, true);
    std::string out;
    out.reserve(name.size() + 2);
    append_doubled(out, name, '"', false);
    return out;
}

std::string truncate_utf8(std::string_view s, std::size_t bytes) {
    if (s.size() <= bytes) return std::string(s);
    while (bytes > 0 && (static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80) --bytes;
    return std::string(s.substr(0, bytes));
}

std::string quote_ident_as_needed(std::string_view name) {
    bool bare = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
    for (char c : name)
        bare = bare && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    if (bare && !is_keyword(name)) return std::string(name);
    return quote_ident(name);
}

std::string quote_literal(std::string_view text) {
    refuse_nul(text, false);
    const bool backslash = text.find('\\') != std::string_view::npos;
    std::string out;
    out.reserve(text.size() + 3);
    if (backslash) out += 'E';
    append_doubled(out, text, '\'', backslash);
    return out;
}

}  // namespace ender::engine
