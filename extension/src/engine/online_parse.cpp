// Online operations: parsing the "-- ender:online" line (online.hpp); the SQL of each phase is
// rendered in online_render.cpp.
#include "online.hpp"

#include "error.hpp"
#include "online_kinds.hpp"
#include "quote.hpp"

#include <algorithm>
#include <cctype>

namespace ender::engine {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// A cursor over the operation text.
class reader {
public:
    explicit reader(std::string_view text) : s_(text) {}

    // The operation being read: syntax errors hint at its form.
    void set_kind(const online_kind& kind) { kind_ = &kind; }

    [[noreturn]] void bad(std::string message) const {
        throw error(sqlstate::syntax_error, std::move(message), "",
                    kind_ ? "The form is: -- ender:online " + online_forms_text(*kind_)
                          : "The operations are: " + online_kind_names() + ".");
    }

    void skip_space() {
        while (i_ < s_.size() && is_space(s_[i_])) ++i_;
    }
    bool at_end() {
        skip_space();
        return i_ >= s_.size();
    }

    // An identifier: "quoted" (kept as written) or plain (folded to lower case).
    std::string identifier(const char* what) {
        skip_space();
        if (i_ < s_.size() && s_[i_] == '"') {
            std::string out;
            for (++i_; i_ < s_.size(); ++i_) {
                if (s_[i_] == '"') {
                    if (i_ + 1 < s_.size() && s_[i_ + 1] == '"') {
                        out += '"';
                        ++i_;
                        continue;
                    }
                    ++i_;
                    if (out.empty()) bad(std::string("empty quoted ") + what);
                    return out;
                }
                out += s_[i_];
            }
            bad(std::string("unterminated quoted ") + what);
        }
        std::size_t start = i_;
        while (i_ < s_.size() && is_word_char(s_[i_])) ++i_;
        if (start == i_)
            bad(std::string(std::string_view("aeiou").find(what[0]) == std::string_view::npos
                                ? "expected a "
                                : "expected an ") +
                what + " in the online operation");
        return lower(s_.substr(start, i_ - start));
    }

    // [schema.]name
    void qualified(std::optional<std::string>& schema, std::string& name,
                   const char* what = "table name") {
        std::string first = identifier(what);
        if (peek('.')) {
            take('.');
            schema = std::move(first);
            name = identifier(what);
        } else {
            name = std::move(first);
        }
    }

    // ( identifier [, ...] )
    std::vector<std::string> identifier_list(const char* what) {
        if (!peek('(')) bad(std::string("expected ( before the ") + what);
        take('(');
        std::vector<std::string> out;
        do {
            if (!out.empty()) take(',');
            out.push_back(identifier("column name"));
        } while (peek(','));
        if (!peek(')')) bad(std::string("expected ) after the ") + what);
        take(')');
        return out;
    }

    bool peek(char c) {
        skip_space();
        return i_ < s_.size() && s_[i_] == c;
    }
    void take(char c) { (void)c, ++i_; }

    // A keyword, case-insensitive, followed by a non-identifier character.
    bool keyword(std::string_view word) {
        skip_space();
        if (s_.size() - i_ < word.size() || lower(s_.substr(i_, word.size())) != word) return false;
        std::size_t after = i_ + word.size();
        if (after < s_.size() && is_word_char(s_[after])) return false;
        i_ = after;
        return true;
    }
    void expect(std::string_view word) {
        if (!keyword(word)) bad("expected " + std::string(word) + " in the online operation");
    }

    // Text up to (not including) the keywords `stop` (in sequence, whitespace between them),
    // outside parentheses and quotes; with `then_paren`, only where "(" follows them.
    std::string until_keywords(const std::vector<std::string_view>& stop, bool then_paren) {
        skip_space();
        std::size_t start = i_;
        int depth = 0;
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (c == '\'' || c == '"') {
                skip_quoted(c);
                continue;
            }
            if (c == '(') ++depth;
            if (c == ')') --depth;
            if (depth == 0 && (i_ == start || !is_word_char(s_[i_ - 1])) &&
                words_at(i_, stop, then_paren)) {
                std::string out(s_.substr(start, i_ - start));
                while (!out.empty() && is_space(out.back())) out.pop_back();
                return out;
            }
            ++i_;
        }
        std::string words;
        for (auto w : stop) words += (words.empty() ? "" : " ") + std::string(w);
        bad("expected " + words + (then_paren ? " (expression)" : "") + " in the online operation");
    }

    // The text inside a parenthesised group, quotes and nested parentheses respected.
    std::string group(const char* what) {
        if (!peek('(')) bad(std::string("expected ( before the ") + what + " expression");
        std::size_t start = ++i_;
        int depth = 1;
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (c == '\'' || c == '"') {
                skip_quoted(c);
                continue;
            }
            if (c == '(') ++depth;
            if (c == ')' && --depth == 0) {
                std::string out(s_.substr(start, i_ - start));
                ++i_;
                auto first = out.find_first_not_of(" \t\r\n");
                if (first == std::string::npos) bad(std::string("empty ") + what + " expression");
                out.erase(0, first);
                while (is_space(out.back())) out.pop_back();
                return out;
            }
            ++i_;
        }
        bad(std::string("unbalanced parentheses in the ") + what + " expression");
    }

    // Nothing may follow the last part, named `what`.
    void end(const char* what) {
        if (!at_end())
            bad(std::string("unexpected text after the ") + what + " of the online operation");
    }

private:
    bool words_at(std::size_t at, const std::vector<std::string_view>& words,
                  bool then_paren) const {
        std::size_t j = at;
        for (std::size_t w = 0; w < words.size(); ++w) {
            if (w > 0) {
                std::size_t before = j;
                while (j < s_.size() && is_space(s_[j])) ++j;
                if (j == before) return false;
            }
            if (s_.size() - j < words[w].size() || lower(s_.substr(j, words[w].size())) != words[w])
                return false;
            j += words[w].size();
            if (j < s_.size() && is_word_char(s_[j])) return false;
        }
        if (!then_paren) return true;
        while (j < s_.size() && is_space(s_[j])) ++j;
        return j < s_.size() && s_[j] == '(';
    }

    void skip_quoted(char q) {
        for (++i_; i_ < s_.size(); ++i_) {
            if (s_[i_] == q) {
                if (i_ + 1 < s_.size() && s_[i_ + 1] == q) {
                    ++i_;
                    continue;
                }
                ++i_;
                return;
            }
        }
        bad("unterminated quoted text in the online operation");
    }

    std::string_view s_;
    std::size_t i_ = 0;
    const online_kind* kind_ = nullptr;  // none until the operation's name is read
};

// ON DELETE / ON UPDATE action of a foreign key.
std::string referential_action(reader& r) {
    if (r.keyword("cascade")) return "CASCADE";
    if (r.keyword("restrict")) return "RESTRICT";
    if (r.keyword("no")) {
        r.expect("action");
        return "NO ACTION";
    }
    if (r.keyword("set")) {
        if (r.keyword("null")) return "SET NULL";
        r.expect("default");
        return "SET DEFAULT";
    }
    r.bad("expected NO ACTION, RESTRICT, CASCADE, SET NULL or SET DEFAULT in the online operation");
}

// What follows the table of a create_index, rebuilt from its parts with identifiers quoted:
// [USING method] (keys) [INCLUDE (columns)] [WITH (parameters)] [WHERE (predicate)].
std::string index_definition(reader& r) {
    std::string out;
    if (r.keyword("using")) out = "USING " + quote_ident(r.identifier("index method")) + " ";
    out += "(" + r.group("index key") + ")";
    if (r.keyword("include")) {
        std::string columns;
        for (const auto& c : r.identifier_list("INCLUDE columns"))
            columns += (columns.empty() ? "" : ", ") + quote_ident(c);
        out += " INCLUDE (" + columns + ")";
    }
    if (r.keyword("with")) out += " WITH (" + r.group("WITH") + ")";
    if (r.keyword("where")) out += " WHERE (" + r.group("WHERE") + ")";
    r.end("index definition");
    return out;
}

}  // namespace

online_operation parse_online_operation(std::string_view text) {
    reader r(text);
    online_operation op;
    op.kind = r.identifier("operation");
    const online_kind* kind = find_online_kind(op.kind);
    if (!kind)
        throw error(sqlstate::feature_not_supported,
                    "online operation \"" + op.kind + "\" is not supported",
                    "ender runs these operations online: " + online_kind_names() + ".",
                    "Write the change in the upgrade section, or as one of those.");
    r.set_kind(*kind);
    if (kind->id == online_kind_id::drop_index) {
        r.qualified(op.schema, op.index, "index name");
        r.end("index name");
        return op;
    }
    if (kind->id == online_kind_id::create_index) {
        op.index = r.identifier("index name");
        r.expect("on");
    }
    r.qualified(op.schema, op.table);
    switch (kind->id) {
        case online_kind_id::alter_column: {
            op.column = r.identifier("column name");
            r.expect("type");
            op.type = r.until_keywords({"using"}, true);
            if (op.type.empty()) r.bad("expected a type after TYPE in the online operation");
            r.expect("using");
            op.up = r.group("USING");
            r.expect("down");
            op.down = r.group("DOWN");
            r.end("DOWN expression");
            break;
        }
        case online_kind_id::rename_column: {
            op.column = r.identifier("column name");
            r.expect("to");
            op.new_name = r.identifier("new column name");
            r.end("new column name");
            break;
        }
        case online_kind_id::add_column: {
            op.column = r.identifier("column name");
            op.type = r.until_keywords({"not", "null"}, false);
            if (op.type.empty())
                r.bad("expected a type after the column name in the online operation");
            r.expect("not");
            r.expect("null");
            if (r.keyword("default")) op.default_expr = r.group("DEFAULT");
            r.expect("backfill");
            op.backfill = r.group("BACKFILL");
            r.end("BACKFILL expression");
            break;
        }
        case online_kind_id::set_not_null: {
            op.column = r.identifier("column name");
            r.end("column name");
            break;
        }
        case online_kind_id::add_unique:
        case online_kind_id::add_primary_key: {
            op.constraint = r.identifier("constraint name");
            op.columns = r.identifier_list("key columns");
            r.end("key columns");
            break;
        }
        case online_kind_id::add_constraint: {
            op.constraint = r.identifier("constraint name");
            if (r.keyword("check")) {
                op.check = r.group("CHECK");
                r.end("CHECK expression");
            } else {
                if (!r.keyword("foreign"))
                    r.bad("expected CHECK or FOREIGN KEY in the online operation");
                r.expect("key");
                op.columns = r.identifier_list("foreign key columns");
                r.expect("references");
                r.qualified(op.ref_schema, op.ref_table);
                op.ref_columns = r.identifier_list("referenced columns");
                if (op.ref_columns.size() != op.columns.size())
                    r.bad("the foreign key has " + std::to_string(op.columns.size()) +
                          " columns and references " + std::to_string(op.ref_columns.size()));
                while (r.keyword("on")) {
                    bool on_delete = r.keyword("delete");
                    if (!on_delete) r.expect("update");
                    std::string& action = on_delete ? op.on_delete : op.on_update;
                    if (!action.empty())
                        r.bad(std::string("ON ") + (on_delete ? "DELETE" : "UPDATE") +
                              " is given twice");
                    action = referential_action(r);
                }
                r.end("foreign key");
            }
            break;
        }
        case online_kind_id::create_index:
            op.index_definition = index_definition(r);
            break;
        case online_kind_id::drop_index:
            break;  // read above
    }
    return op;
}

}  // namespace ender::engine
