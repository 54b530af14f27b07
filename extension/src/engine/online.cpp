// Online operations: parsing the "-- ender:online" line and rendering each phase's SQL.
#include "online.hpp"

#include "diff.hpp"
#include "error.hpp"

#include <algorithm>
#include <cctype>

namespace ender::engine {
namespace {

constexpr std::size_t max_identifier = 63;  // NAMEDATALEN - 1

[[noreturn]] void bad(std::string message, std::string detail = {}) {
    throw error(sqlstate::syntax_error, std::move(message), std::move(detail),
                "The form is: -- ender:online alter_column [schema.]table column TYPE type "
                "USING (expression) DOWN (expression)");
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// A cursor over the operation text.
class reader {
public:
    explicit reader(std::string_view text) : s_(text) {}

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
        while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' ||
                                  s_[i_] == '$' || static_cast<unsigned char>(s_[i_]) >= 0x80))
            ++i_;
        if (start == i_) bad(std::string("expected a ") + what + " in the online operation");
        return lower(s_.substr(start, i_ - start));
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
        if (after < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[after])) || s_[after] == '_'))
            return false;
        i_ = after;
        return true;
    }
    void expect(std::string_view word) {
        if (!keyword(word)) bad("expected " + std::string(word) + " in the online operation");
    }

    // Text up to (not including) the keyword `stop` followed by "(", outside parentheses
    // and quotes.
    std::string until_keyword_paren(std::string_view stop) {
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
            if (depth == 0 && (i_ == start || !std::isalnum(static_cast<unsigned char>(s_[i_ - 1]))) &&
                lower(s_.substr(i_, stop.size())) == stop) {
                std::size_t j = i_ + stop.size();
                while (j < s_.size() && is_space(s_[j])) ++j;
                if (j < s_.size() && s_[j] == '(') {
                    std::string out(s_.substr(start, i_ - start));
                    while (!out.empty() && is_space(out.back())) out.pop_back();
                    return out;
                }
            }
            ++i_;
        }
        bad("expected " + std::string(stop) + " (expression) in the online operation");
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

private:
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
};

// `prefix` + `name`, cut to PostgreSQL's identifier length on a UTF-8 character boundary.
std::string derived_name(std::string_view prefix, std::string_view name, std::string_view suffix = {}) {
    std::string out(prefix);
    out += name;
    std::size_t room = max_identifier - std::min(max_identifier, suffix.size());
    if (out.size() > room) {
        std::size_t cut = room;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
    }
    return out + std::string(suffix);
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += sep;
        out += item;
    }
    return out;
}

// A dollar-quote tag that does not occur in `body`.
std::string dollar_tag(const std::string& body) {
    std::string tag = "$ender_sync$";
    for (int n = 1; body.find(tag) != std::string::npos; ++n) tag = "$ender_sync" + std::to_string(n) + "$";
    return tag;
}

}  // namespace

online_operation parse_online_operation(std::string_view text) {
    reader r(text);
    online_operation op;
    op.kind = r.identifier("operation");
    if (op.kind != "alter_column")
        throw error(sqlstate::feature_not_supported,
                    "online operation \"" + op.kind + "\" is not supported",
                    "ender runs these operations online: alter_column.",
                    "Write the change in the upgrade section, or as alter_column.");
    std::string first = r.identifier("table name");
    if (r.peek('.')) {
        r.take('.');
        op.schema = std::move(first);
        op.table = r.identifier("table name");
    } else {
        op.table = std::move(first);
    }
    op.column = r.identifier("column name");
    r.expect("type");
    op.type = r.until_keyword_paren("using");
    if (op.type.empty()) bad("expected a type after TYPE in the online operation");
    r.expect("using");
    op.up = r.group("USING");
    r.expect("down");
    op.down = r.group("DOWN");
    if (!r.at_end()) bad("unexpected text after the DOWN expression of the online operation");
    return op;
}

online_names names_of(std::string_view revision, const online_operation& op) {
    online_names n;
    n.view_schema = derived_name("ender_", revision);
    n.new_column = derived_name("_ender_new_", op.column);
    n.function = derived_name("_ender_sync_", op.table);
    n.trigger = derived_name("_ender_sync_", revision);
    n.not_null_check = derived_name("_ender_", op.column, "_not_null");
    return n;
}

online_plan plan_online(std::string_view revision, const online_operation& op,
                        const online_table& table) {
    const std::string q = quote_ident(table.schema) + "." + quote_ident(table.name);
    const std::string shown = table.schema + "." + table.name;
    auto column = std::find_if(table.columns.begin(), table.columns.end(),
                               [&](const online_column& c) { return c.name == op.column; });
    if (column == table.columns.end())
        throw error("42703", "column \"" + op.column + "\" of relation \"" + shown + "\" does not exist");
    if (table.key.empty())
        throw error(sqlstate::feature_not_supported,
                    "table \"" + shown + "\" has no primary key",
                    "The backfill walks the table in primary key order, one batch at a time.",
                    "Add a primary key first, in an earlier revision.");
    if (std::find(table.key.begin(), table.key.end(), op.column) != table.key.end())
        throw error(sqlstate::feature_not_supported,
                    "column \"" + op.column + "\" is part of the primary key of \"" + shown + "\"",
                    "An online type change of a key column is not supported.");
    const online_names n = names_of(revision, op);
    if (op.column.size() + 11 > max_identifier)
        throw error(sqlstate::feature_not_supported,
                    "column name \"" + op.column + "\" is too long for an online change",
                    "The new column is named \"_ender_new_\" followed by the column's name, which "
                    "must fit in 63 bytes.");
    for (const auto& c : table.columns)
        if (c.name == n.new_column)
            throw error(sqlstate::duplicate_object,
                        "column \"" + n.new_column + "\" of relation \"" + shown + "\" already exists",
                        "ender names the column of the new type \"" + n.new_column + "\".");

    const std::string col = quote_ident(op.column);
    const std::string nc = quote_ident(n.new_column);
    const std::string vs = quote_ident(n.view_schema);
    const std::string fn = vs + "." + quote_ident(n.function);
    const std::string trg = quote_ident(n.trigger);
    const std::string view = vs + "." + quote_ident(table.name);
    const std::string check = quote_ident(n.not_null_check);
    const bool not_null = column->not_null;
    const std::string up = "(" + op.up + ")";
    const std::string down = "(" + op.down + ")";

    online_plan p;
    // Over a row of typed NULLs named like the table's columns: checks the expression without
    // locking the table.
    std::vector<std::string> nulls;
    for (const auto& c : table.columns) nulls.push_back("NULL::" + c.type + " AS " + quote_ident(c.name));
    p.check_up = "SELECT " + up + "::" + op.type + " FROM (SELECT " + join(nulls, ", ") + ") AS " +
                 quote_ident(table.name);

    // Expand: the new column, the trigger keeping it and the old one in step, the new shape.
    p.expand.push_back("ALTER TABLE " + q + " ADD COLUMN " + nc + " " + op.type);
    if (not_null)
        p.expand.push_back("ALTER TABLE " + q + " ADD CONSTRAINT " + check + " CHECK (" + nc +
                           " IS NOT NULL) NOT VALID");
    p.expand.push_back("CREATE SCHEMA " + vs);
    p.expand.push_back("COMMENT ON SCHEMA " + vs + " IS " +
                       quote_literal("ender: the new shape of revision " + std::string(revision) +
                                     " while it runs online"));
    p.expand.push_back("GRANT USAGE ON SCHEMA " + vs + " TO PUBLIC");

    std::string declare;
    for (const auto& c : table.columns)
        declare += "    " + quote_ident(c.name) + " " + c.type + " := NEW." + quote_ident(c.name) + ";\n";
    const std::string to_old = "DECLARE " + col + " " + op.type + " := NEW." + nc + "; BEGIN NEW." +
                               col + " := " + down + "; END;";
    std::string body =
        "\nDECLARE\n" + declare +
        "BEGIN\n"
        "    IF TG_OP = 'INSERT' THEN\n"
        "        IF NEW." + nc + " IS NULL THEN NEW." + nc + " := " + up + ";\n"
        "        ELSE " + to_old + "\n"
        "        END IF;\n"
        "    ELSIF NEW." + col + " IS DISTINCT FROM OLD." + col + " THEN\n"
        "        NEW." + nc + " := " + up + ";\n"
        "    ELSIF NEW." + nc + " IS DISTINCT FROM OLD." + nc + " THEN\n"
        "        IF NEW." + nc + " IS DISTINCT FROM " + up + " THEN " + to_old + " END IF;\n"
        "    ELSIF NEW." + nc + " IS NULL THEN\n"
        "        NEW." + nc + " := " + up + ";\n"
        "    END IF;\n"
        "    RETURN NEW;\n"
        "END\n";
    const std::string tag = dollar_tag(body);
    p.expand.push_back("CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS " + tag +
                       body + tag);
    p.expand.push_back("CREATE TRIGGER " + trg + " BEFORE INSERT OR UPDATE ON " + q +
                       " FOR EACH ROW EXECUTE FUNCTION " + fn + "()");
    std::vector<std::string> select;
    for (const auto& c : table.columns)
        select.push_back(c.name == op.column ? nc + " AS " + col : quote_ident(c.name));
    p.expand.push_back("CREATE VIEW " + view + " WITH (security_invoker = true) AS SELECT " +
                       join(select, ", ") + " FROM " + q);

    // Backfill: key-ordered batches; the range is read first, then updated by its bounds.
    std::vector<std::string> keys, key_types, alias, desc, as_text, lower_bound, upper_bound;
    for (std::size_t i = 0; i < table.key.size(); ++i) {
        const auto& k = table.key[i];
        auto c = std::find_if(table.columns.begin(), table.columns.end(),
                              [&](const online_column& x) { return x.name == k; });
        const std::string type = c == table.columns.end() ? "text" : c->type;
        const std::string a = quote_ident("_ender_k" + std::to_string(i + 1));
        const std::string idx = std::to_string(i + 1);
        keys.push_back(quote_ident(k));
        alias.push_back(quote_ident(k) + " AS " + a);
        desc.push_back(a + " DESC");
        as_text.push_back(a + "::text");
        lower_bound.push_back("($1::text[])[" + idx + "]::" + type);
        upper_bound.push_back("($2::text[])[" + idx + "]::" + type);
    }
    const std::string key_row = "(" + join(keys, ", ") + ")";
    const std::string after = key_row + " > (" + join(lower_bound, ", ") + ")";
    // The lower bound is $2 in the scan (after the batch size), $1 in the update.
    std::string scan_after = after;
    for (std::size_t pos = 0; (pos = scan_after.find("($1::", pos)) != std::string::npos; pos += 5)
        scan_after[pos + 2] = '2';
    auto scan = [&](const std::string& where) {
        return "WITH batch AS (SELECT " + join(alias, ", ") + " FROM " + q + where + " ORDER BY " +
               join(keys, ", ") + " LIMIT $1::integer) SELECT (SELECT pg_catalog.count(*) FROM batch), "
               "(SELECT ARRAY[" + join(as_text, ", ") + "] FROM batch ORDER BY " + join(desc, ", ") +
               " LIMIT 1)";
    };
    p.backfill_scan_first = scan("");
    p.backfill_scan_next = scan(" WHERE " + scan_after);
    const std::string update = "UPDATE " + q + " SET " + nc + " = " + up + " WHERE " + key_row +
                               " <= (" + join(upper_bound, ", ") + ") AND " + nc +
                               " IS DISTINCT FROM " + up;
    p.backfill_update_first = update;
    p.backfill_update_next = update + " AND " + after;

    p.pending_rows = "SELECT pg_catalog.count(*) OVER (), ROW(" + join(keys, ", ") + ")::text FROM " +
                     q + " WHERE " + nc + " IS NULL" +
                     (not_null ? std::string() : " AND " + up + " IS NOT NULL") + " ORDER BY " +
                     join(keys, ", ") + " LIMIT 5";
    if (not_null) p.validate.push_back("ALTER TABLE " + q + " VALIDATE CONSTRAINT " + check);

    // Contract: the helpers go, the new column takes the old one's name, default and NOT NULL.
    p.contract = {"DROP TRIGGER " + trg + " ON " + q, "DROP VIEW " + view,
                  "DROP FUNCTION " + fn + "()", "DROP SCHEMA " + vs,
                  "ALTER TABLE " + q + " DROP COLUMN " + col,
                  "ALTER TABLE " + q + " RENAME COLUMN " + nc + " TO " + col};
    if (column->default_expr)
        // Coerced to the new type as ALTER COLUMN ... TYPE coerces it (assignment cast).
        p.contract.push_back("ALTER TABLE " + q + " ALTER COLUMN " + col + " SET DEFAULT " +
                             *column->default_expr);
    if (not_null) {
        p.contract.push_back("ALTER TABLE " + q + " ALTER COLUMN " + col + " SET NOT NULL");
        p.contract.push_back("ALTER TABLE " + q + " DROP CONSTRAINT " + check);
    }

    p.rollback = {"DROP TRIGGER IF EXISTS " + trg + " ON " + q, "DROP VIEW IF EXISTS " + view,
                  "DROP FUNCTION IF EXISTS " + fn + "()", "DROP SCHEMA IF EXISTS " + vs};
    if (not_null) p.rollback.push_back("ALTER TABLE " + q + " DROP CONSTRAINT IF EXISTS " + check);
    p.rollback.push_back("ALTER TABLE " + q + " DROP COLUMN IF EXISTS " + nc);
    return p;
}

}  // namespace ender::engine
