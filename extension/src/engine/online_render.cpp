// Online operations: rendering the SQL of each phase (online.hpp) from the operation the parser
// (online_parse.cpp) read and the table as the catalog shows it.
#include "privileges.hpp"
#include "online.hpp"

#include "diff.hpp"
#include "error.hpp"
#include "online_kinds.hpp"

#include <algorithm>
#include <cctype>

namespace ender::engine {
namespace {

// `prefix` + `name`, cut to PostgreSQL's identifier length on a UTF-8 character boundary.
std::string derived_name(std::string_view prefix, std::string_view name,
                         std::string_view suffix = {}) {
    std::string out(prefix);
    out += name;
    std::size_t room = max_identifier - std::min(max_identifier, suffix.size());
    return truncate_utf8(out, room) + std::string(suffix);
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += sep;
        out += item;
    }
    return out;
}

std::vector<std::string> quoted(const std::vector<std::string>& names) {
    std::vector<std::string> out;
    out.reserve(names.size());
    for (const auto& n : names) out.push_back(quote_ident(n));
    return out;
}

// A dollar-quote tag that does not occur in `body`.
std::string dollar_tag(const std::string& body) {
    std::string tag = "$ender_sync$";
    for (int n = 1; body.find(tag) != std::string::npos; ++n)
        tag = "$ender_sync" + std::to_string(n) + "$";
    return tag;
}

// What every kind renders from: the table, its quoted names and the names expand creates.
class phase_renderer {
public:
    phase_renderer(std::string_view revision, const online_operation& op, const online_table& table)
        : revision_(revision), op_(op), t_(table), n_(names_of(revision, op)) {
        q_ = quote_ident(t_.schema) + "." + quote_ident(t_.name);
        shown_ = t_.schema + "." + t_.name;
        vs_ = quote_ident(n_.view_schema);
        view_ = vs_ + "." + quote_ident(t_.name);
        fn_ = vs_ + "." + quote_ident(n_.function);
        trg_ = quote_ident(n_.trigger);
    }

    online_phase_sql render() {
        switch (online_kind_of(op_.kind).id) {
            case online_kind_id::alter_column:
                return alter_column();
            case online_kind_id::rename_column:
                return rename_column();
            case online_kind_id::add_column:
                return add_column();
            case online_kind_id::set_not_null:
                return set_not_null();
            case online_kind_id::add_unique:
            case online_kind_id::add_primary_key:
                return add_unique();
            case online_kind_id::add_constraint:
                return add_constraint();
            case online_kind_id::create_index:
                return create_index();
            case online_kind_id::drop_index:
                return drop_index();
        }
        throw error(sqlstate::internal_error, "unknown online operation \"" + op_.kind + "\"");
    }

private:
    const online_column* find(const std::string& name) const {
        auto c = std::find_if(t_.columns.begin(), t_.columns.end(),
                              [&](const online_column& x) { return x.name == name; });
        return c == t_.columns.end() ? nullptr : &*c;
    }
    const online_column& column(const std::string& name) const {
        if (const auto* c = find(name)) return *c;
        throw error("42703",
                    "column \"" + name + "\" of relation \"" + shown_ + "\" does not exist");
    }
    void require_key(const char* why) const {
        if (t_.key.empty())
            throw error(sqlstate::feature_not_supported,
                        "table \"" + shown_ + "\" has no primary key", why,
                        "Add a primary key first, in an earlier revision.");
    }
    void require_absent(const std::string& name) const {
        if (find(name))
            throw error("42701",
                        "column \"" + name + "\" of relation \"" + shown_ + "\" already exists");
    }

    // The table's columns as the view shows them, column `changed` (if any) as `shown`.
    std::vector<std::string> select_list(const std::string& changed = {},
                                         const std::string& shown = {}) const {
        std::vector<std::string> out;
        for (const auto& c : t_.columns)
            out.push_back(c.name == changed ? shown : quote_ident(c.name));
        return out;
    }

    // The new shape: the schema of views of the revision, its view of the table (with
    // `select`), and the table's grants copied to the view.
    void expand_view(online_phase_sql& p, const std::vector<std::string>& select) const {
        p.expand.push_back("CREATE SCHEMA " + vs_);
        p.expand.push_back("COMMENT ON SCHEMA " + vs_ + " IS " +
                           quote_literal("ender: the new shape of revision " + revision_ +
                                         " while it runs online"));
        p.expand.push_back("GRANT USAGE ON SCHEMA " + vs_ + " TO PUBLIC");
        p.expand.push_back("CREATE VIEW " + view_ + " WITH (security_invoker = true) AS SELECT " +
                           join(select, ", ") + " FROM " + q_);
        for (const auto& g : t_.grants)
            p.expand.push_back("GRANT " + g.privilege + " ON " + view_ + " TO " +
                               grantee_sql(g.grantee) + (g.grantable ? " WITH GRANT OPTION" : ""));
    }

    // The trigger keeping both shapes in step: `body` runs with every column of the table
    // declared as a variable holding NEW's value, so expressions can name columns.
    void expand_trigger(online_phase_sql& p, const std::string& logic) const {
        std::string declare;
        for (const auto& c : t_.columns)
            declare += "    " + quote_ident(c.name) + " " + c.type + " := NEW." +
                       quote_ident(c.name) + ";\n";
        std::string body = "\nDECLARE\n" + declare + "BEGIN\n" + logic + "    RETURN NEW;\nEND\n";
        const std::string tag = dollar_tag(body);
        // The expressions resolve names with the search_path of the job (the worker's, when it
        // runs expand), not with that of each session that writes.
        p.expand.push_back("CREATE FUNCTION " + fn_ +
                           "() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS " +
                           tag + body + tag);
        p.expand.push_back("CREATE TRIGGER " + trg_ + " BEFORE INSERT OR UPDATE ON " + q_ +
                           " FOR EACH ROW EXECUTE FUNCTION " + fn_ + "()");
    }

    // Contract and rollback of the view schema (and of the trigger, when there is one).
    void drop_helpers(online_phase_sql& p, bool with_trigger) const {
        if (with_trigger) {
            p.contract.push_back("DROP TRIGGER " + trg_ + " ON " + q_);
            p.rollback.push_back("DROP TRIGGER IF EXISTS " + trg_ + " ON " + q_);
        }
        p.contract.push_back("DROP VIEW " + view_);
        p.rollback.push_back("DROP VIEW IF EXISTS " + view_);
        if (with_trigger) {
            p.contract.push_back("DROP FUNCTION " + fn_ + "()");
            p.rollback.push_back("DROP FUNCTION IF EXISTS " + fn_ + "()");
        }
        p.contract.push_back("DROP SCHEMA " + vs_);
        p.rollback.push_back("DROP SCHEMA IF EXISTS " + vs_);
    }

    // Over a row of typed NULLs named like the table's columns: checks `expr` as `type`
    // without locking the table.
    std::string type_check(const std::string& expr, const std::string& type) const {
        std::vector<std::string> nulls;
        for (const auto& c : t_.columns)
            nulls.push_back("NULL::" + c.type + " AS " + quote_ident(c.name));
        return "SELECT (" + expr + ")::" + type + " FROM (SELECT " + join(nulls, ", ") + ") AS " +
               quote_ident(t_.name);
    }

    // Rows matching `condition` (over the table as _ender_row): their count and first keys.
    void pending(online_phase_sql& p, const std::string& condition, std::string message,
                 std::string detail) const {
        const std::string alias = "_ender_row";
        std::vector<std::string> keys;
        for (const auto& k : t_.key) keys.push_back(alias + "." + quote_ident(k));
        const std::string key_text =
            keys.empty() ? alias + ".ctid::text" : "ROW(" + join(keys, ", ") + ")::text";
        p.pending_rows = "SELECT pg_catalog.count(*) OVER (), " + key_text + " FROM " + q_ +
                         " AS " + alias + " WHERE " + condition + " ORDER BY " +
                         (keys.empty() ? alias + ".ctid" : join(keys, ", ")) + " LIMIT 5";
        p.pending_message = std::move(message);
        p.pending_detail = std::move(detail);
    }

    // Key-ordered backfill batches: `UPDATE ... SET target = value` where `stale`.
    void backfill(online_phase_sql& p, const std::string& target, const std::string& value,
                  const std::string& stale) const {
        std::vector<std::string> keys, alias, desc, as_text, lower_bound, upper_bound;
        for (std::size_t i = 0; i < t_.key.size(); ++i) {
            const auto& k = t_.key[i];
            const online_column* c = find(k);
            const std::string type = c ? c->type : "text";
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
        for (std::size_t pos = 0; (pos = scan_after.find("($1::", pos)) != std::string::npos;
             pos += 5)
            scan_after[pos + 2] = '2';
        auto scan = [&](const std::string& where) {
            return "WITH batch AS (SELECT " + join(alias, ", ") + " FROM " + q_ + where +
                   " ORDER BY " + join(keys, ", ") +
                   " LIMIT $1::integer) SELECT (SELECT pg_catalog.count(*) FROM batch), "
                   "(SELECT ARRAY[" +
                   join(as_text, ", ") + "] FROM batch ORDER BY " + join(desc, ", ") + " LIMIT 1)";
        };
        p.backfill_scan_first = scan("");
        p.backfill_scan_next = scan(" WHERE " + scan_after);
        const std::string update = "UPDATE " + q_ + " SET " + quote_ident(target) + " = " + value +
                                   " WHERE " + key_row + " <= (" + join(upper_bound, ", ") +
                                   ") AND " + stale;
        p.backfill_update_first = update;
        p.backfill_update_next = update + " AND " + after;
    }

    // CHECK (column IS NOT NULL) NOT VALID at expand, validated by the worker, made a real
    // NOT NULL (no scan: the validated check proves it) and dropped at contract.
    void not_null_through_check(online_phase_sql& p, const std::string& column) const {
        const std::string check = quote_ident(not_null_check_name(column));
        const std::string col = quote_ident(column);
        p.expand.push_back("ALTER TABLE " + q_ + " ADD CONSTRAINT " + check + " CHECK (" + col +
                           " IS NOT NULL) NOT VALID");
        p.validate.push_back("ALTER TABLE " + q_ + " VALIDATE CONSTRAINT " + check);
        p.contract.push_back("ALTER TABLE " + q_ + " ALTER COLUMN " + col + " SET NOT NULL");
        p.contract.push_back("ALTER TABLE " + q_ + " DROP CONSTRAINT " + check);
        p.rollback.push_back("ALTER TABLE " + q_ + " DROP CONSTRAINT IF EXISTS " + check);
    }

    // An index the worker builds CONCURRENTLY with `build` (an invalid one a failed build left
    // dropped CONCURRENTLY first); rollback drops it, built or not.
    void index_built_concurrently(online_phase_sql& p, const std::string& name,
                                  const std::string& build) const {
        p.index_name = name;
        p.build_index = build;
        p.drop_invalid_index = "DROP INDEX CONCURRENTLY IF EXISTS " + qualified_index(name);
        p.rollback.push_back("DROP INDEX IF EXISTS " + qualified_index(name));
    }
    std::string qualified_index(const std::string& name) const {
        return quote_ident(t_.schema) + "." + quote_ident(name);
    }

    online_phase_sql alter_column() const;
    online_phase_sql rename_column() const;
    online_phase_sql add_column() const;
    online_phase_sql set_not_null() const;
    online_phase_sql add_unique() const;
    online_phase_sql add_constraint() const;
    online_phase_sql create_index() const;
    online_phase_sql drop_index() const;

    std::string revision_;
    const online_operation& op_;
    const online_table& t_;
    online_names n_;
    std::string q_, shown_, vs_, view_, fn_, trg_;
};

// A column's type changes: a new column beside the old one, kept in step by a trigger
// (up/down), backfilled, swapped in at contract.
online_phase_sql phase_renderer::alter_column() const {
    const online_column& column = this->column(op_.column);
    require_key("The backfill walks the table in primary key order, one batch at a time.");
    if (std::find(t_.key.begin(), t_.key.end(), op_.column) != t_.key.end())
        throw error(
            sqlstate::feature_not_supported,
            "column \"" + op_.column + "\" is part of the primary key of \"" + shown_ + "\"",
            "An online type change of a key column is not supported.");
    if (op_.column.size() + 11 > max_identifier)
        throw error(sqlstate::feature_not_supported,
                    "column name \"" + op_.column + "\" is too long for an online change",
                    "The new column is named \"_ender_new_\" followed by the column's name, which "
                    "must fit in 63 bytes.");
    if (find(n_.new_column))
        throw error(
            sqlstate::duplicate_object,
            "column \"" + n_.new_column + "\" of relation \"" + shown_ + "\" already exists",
            "ender names the column of the new type \"" + n_.new_column + "\".");

    const std::string col = quote_ident(op_.column);
    const std::string nc = quote_ident(n_.new_column);
    const std::string check = quote_ident(not_null_check_name(op_.column));
    const bool not_null = column.not_null;
    const std::string up = "(" + op_.up + ")";
    const std::string down = "(" + op_.down + ")";

    online_phase_sql p;
    p.checks.push_back(type_check(op_.up, op_.type));
    p.expand.push_back("ALTER TABLE " + q_ + " ADD COLUMN " + nc + " " + op_.type);
    if (not_null)
        p.expand.push_back("ALTER TABLE " + q_ + " ADD CONSTRAINT " + check + " CHECK (" + nc +
                           " IS NOT NULL) NOT VALID");
    expand_view(p, select_list(op_.column, nc + " AS " + col));
    // Which side wrote is told by what changed: see docs/zero-downtime.md.
    const std::string to_old = "DECLARE " + col + " " + op_.type + " := NEW." + nc +
                               "; BEGIN NEW." + col + " := " + down + "; END;";
    expand_trigger(p,
                   "    IF TG_OP = 'INSERT' THEN\n"
                   "        IF NEW." +
                       nc + " IS NULL THEN NEW." + nc + " := " + up +
                       ";\n"
                       "        ELSE " +
                       to_old +
                       "\n"
                       "        END IF;\n"
                       "    ELSIF NEW." +
                       col + " IS DISTINCT FROM OLD." + col +
                       " THEN\n"
                       "        NEW." +
                       nc + " := " + up +
                       ";\n"
                       "    ELSIF NEW." +
                       nc + " IS DISTINCT FROM OLD." + nc +
                       " THEN\n"
                       "        IF NEW." +
                       nc + " IS DISTINCT FROM " + up + " THEN " + to_old +
                       " END IF;\n"
                       "    ELSIF NEW." +
                       nc +
                       " IS NULL THEN\n"
                       "        NEW." +
                       nc + " := " + up +
                       ";\n"
                       "    END IF;\n");
    backfill(p, n_.new_column, up, nc + " IS DISTINCT FROM " + up);
    pending(p, nc + " IS NULL" + (not_null ? std::string() : " AND " + up + " IS NOT NULL"),
            "some rows are not in step",
            "The new column is NULL where the old one gives a value (or where NOT NULL requires "
            "one), in the rows with key ");
    p.recheck_at_complete = true;
    if (not_null) p.validate.push_back("ALTER TABLE " + q_ + " VALIDATE CONSTRAINT " + check);

    // Contract: the helpers go, the new column takes the old one's name, default and NOT NULL.
    drop_helpers(p, true);
    p.contract.push_back("ALTER TABLE " + q_ + " DROP COLUMN " + col);
    p.contract.push_back("ALTER TABLE " + q_ + " RENAME COLUMN " + nc + " TO " + col);
    if (column.default_expr)
        // Coerced to the new type as ALTER COLUMN ... TYPE coerces it (assignment cast).
        p.contract.push_back("ALTER TABLE " + q_ + " ALTER COLUMN " + col + " SET DEFAULT " +
                             *column.default_expr);
    if (not_null) {
        p.contract.push_back("ALTER TABLE " + q_ + " ALTER COLUMN " + col + " SET NOT NULL");
        p.contract.push_back("ALTER TABLE " + q_ + " DROP CONSTRAINT " + check);
        p.rollback.push_back("ALTER TABLE " + q_ + " DROP CONSTRAINT IF EXISTS " + check);
    }
    p.rollback.push_back("ALTER TABLE " + q_ + " DROP COLUMN IF EXISTS " + nc);
    return p;
}

// A column is renamed: the new shape's view shows it under the new name; contract renames it.
online_phase_sql phase_renderer::rename_column() const {
    (void)column(op_.column);
    require_absent(op_.new_name);
    online_phase_sql p;
    expand_view(
        p, select_list(op_.column, quote_ident(op_.column) + " AS " + quote_ident(op_.new_name)));
    drop_helpers(p, false);
    p.contract.push_back("ALTER TABLE " + q_ + " RENAME COLUMN " + quote_ident(op_.column) +
                         " TO " + quote_ident(op_.new_name));
    return p;
}

// A NOT NULL column is added: nullable at first, filled from BACKFILL by a trigger (writes
// through the old shape) and by the backfill (existing rows), then NOT NULL via a check.
online_phase_sql phase_renderer::add_column() const {
    require_absent(op_.column);
    require_key("The backfill walks the table in primary key order, one batch at a time.");
    const std::string col = quote_ident(op_.column);
    const std::string value = "(" + op_.backfill + ")";
    online_phase_sql p;
    p.checks.push_back(type_check(op_.backfill, op_.type));
    if (op_.default_expr) p.checks.push_back(type_check(*op_.default_expr, op_.type));
    p.expand.push_back("ALTER TABLE " + q_ + " ADD COLUMN " + col + " " + op_.type);
    not_null_through_check(p, op_.column);
    auto select = select_list();
    select.push_back(col);
    expand_view(p, select);
    // The default belongs to the new shape: on the table, it would fill old-shape inserts
    // before the trigger could give them the BACKFILL value.
    if (op_.default_expr)
        p.expand.push_back("ALTER VIEW " + view_ + " ALTER COLUMN " + col + " SET DEFAULT (" +
                           *op_.default_expr + ")");
    expand_trigger(
        p, "    IF NEW." + col + " IS NULL THEN NEW." + col + " := " + value + "; END IF;\n");
    backfill(p, op_.column, value, col + " IS NULL");
    pending(p, col + " IS NULL", "column \"" + op_.column + "\" is NULL in some rows",
            "The new column \"" + op_.column + "\" is NULL in the rows with key ");
    if (op_.default_expr)
        p.contract.push_back("ALTER TABLE " + q_ + " ALTER COLUMN " + col + " SET DEFAULT (" +
                             *op_.default_expr + ")");
    drop_helpers(p, true);
    p.rollback.push_back("ALTER TABLE " + q_ + " DROP COLUMN IF EXISTS " + col);
    return p;
}

// SET NOT NULL through a check added NOT VALID and validated without a write lock.
online_phase_sql phase_renderer::set_not_null() const {
    if (column(op_.column).not_null)
        throw error(
            sqlstate::object_not_in_prerequisite_state,
            "column \"" + op_.column + "\" of relation \"" + shown_ + "\" is already NOT NULL");
    online_phase_sql p;
    not_null_through_check(p, op_.column);
    expand_view(p, select_list());
    pending(p, "_ender_row." + quote_ident(op_.column) + " IS NULL",
            "column \"" + op_.column + "\" contains null values",
            "Column \"" + op_.column + "\" is NULL in the rows with key ");
    drop_helpers(p, false);
    return p;
}

// A unique index built CONCURRENTLY by the worker, attached as the constraint at contract.
online_phase_sql phase_renderer::add_unique() const {
    const bool primary = online_kind_of(op_.kind).id == online_kind_id::add_primary_key;
    if (primary && !t_.key.empty())
        throw error(sqlstate::object_not_in_prerequisite_state,
                    "table \"" + shown_ + "\" already has a primary key");
    std::vector<std::string> nullable, not_null_test;
    for (const auto& c : op_.columns) {
        if (!column(c).not_null) nullable.push_back(c);
        not_null_test.push_back(quote_ident(c) + " IS NOT NULL");
    }
    const std::string cols = join(quoted(op_.columns), ", ");
    const std::string index = quote_ident(op_.constraint);
    online_phase_sql p;
    if (primary) {
        std::vector<std::string> is_null;
        for (const auto& c : nullable) {
            not_null_through_check(p, c);
            is_null.push_back("_ender_row." + quote_ident(c) + " IS NULL");
        }
        if (!is_null.empty())
            pending(p, join(is_null, " OR "), "a column of the primary key contains null values",
                    "A primary key column is NULL in the rows with key ");
    }
    expand_view(p, select_list());
    index_built_concurrently(
        p, op_.constraint,
        "CREATE UNIQUE INDEX CONCURRENTLY " + index + " ON " + q_ + " (" + cols + ")");
    p.duplicates = "SELECT pg_catalog.count(*) OVER (), ROW(" + cols + ")::text FROM " + q_ +
                   " WHERE " + join(not_null_test, " AND ") + " GROUP BY " + cols +
                   " HAVING pg_catalog.count(*) > 1 ORDER BY " + cols + " LIMIT 5";
    p.contract.push_back("ALTER TABLE " + q_ + " ADD CONSTRAINT " + index +
                         (primary ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + index);
    drop_helpers(p, false);
    return p;
}

// A check or foreign key added NOT VALID at expand and validated by the worker.
online_phase_sql phase_renderer::add_constraint() const {
    const std::string name = quote_ident(op_.constraint);
    online_phase_sql p;
    std::string definition;
    if (!op_.check.empty()) {
        p.checks.push_back(type_check(op_.check, "boolean"));
        definition = "CHECK (" + op_.check + ")";
        pending(p, "(" + op_.check + ") IS FALSE",
                "check constraint \"" + op_.constraint + "\" is violated by some rows",
                "Check \"" + op_.constraint + "\" is false in the rows with key ");
    } else {
        std::vector<std::string> present, match;
        for (std::size_t i = 0; i < op_.columns.size(); ++i) {
            (void)column(op_.columns[i]);
            present.push_back("_ender_row." + quote_ident(op_.columns[i]) + " IS NOT NULL");
            match.push_back("_ender_ref." + quote_ident(op_.ref_columns[i]) + " = _ender_row." +
                            quote_ident(op_.columns[i]));
        }
        const std::string ref =
            (op_.ref_schema ? quote_ident(*op_.ref_schema) + "." : std::string()) +
            quote_ident(op_.ref_table);
        definition = "FOREIGN KEY (" + join(quoted(op_.columns), ", ") + ") REFERENCES " + ref +
                     " (" + join(quoted(op_.ref_columns), ", ") + ")";
        if (!op_.on_delete.empty()) definition += " ON DELETE " + op_.on_delete;
        if (!op_.on_update.empty()) definition += " ON UPDATE " + op_.on_update;
        pending(p,
                join(present, " AND ") + " AND NOT EXISTS (SELECT FROM " + ref +
                    " AS _ender_ref WHERE " + join(match, " AND ") + ")",
                "some rows reference no row of \"" + op_.ref_table + "\"",
                "Foreign key \"" + op_.constraint +
                    "\" finds no referenced row for the rows with key ");
    }
    p.expand.push_back("ALTER TABLE " + q_ + " ADD CONSTRAINT " + name + " " + definition +
                       " NOT VALID");
    expand_view(p, select_list());
    p.validate.push_back("ALTER TABLE " + q_ + " VALIDATE CONSTRAINT " + name);
    p.rollback.push_back("ALTER TABLE " + q_ + " DROP CONSTRAINT IF EXISTS " + name);
    drop_helpers(p, false);
    return p;
}

// An index built CONCURRENTLY by the worker; nothing to do at contract but the view schema.
online_phase_sql phase_renderer::create_index() const {
    online_phase_sql p;
    expand_view(p, select_list());
    index_built_concurrently(p, op_.index,
                             "CREATE INDEX CONCURRENTLY " + quote_ident(op_.index) + " ON " + q_ +
                                 " " + op_.index_definition);
    drop_helpers(p, false);
    return p;
}

// An index dropped CONCURRENTLY by the worker (the table is the index's, found by the glue).
online_phase_sql phase_renderer::drop_index() const {
    online_phase_sql p;
    expand_view(p, select_list());
    p.index_name = op_.index;
    p.drops_index = true;
    p.drop_invalid_index = "DROP INDEX CONCURRENTLY IF EXISTS " + qualified_index(op_.index);
    drop_helpers(p, false);
    return p;
}

}  // namespace

std::string view_schema_name(std::string_view revision) {
    return derived_name("ender_", revision);
}

online_names names_of(std::string_view revision, const online_operation& op) {
    online_names n;
    n.view_schema = view_schema_name(revision);
    const online_kind_id kind = online_kind_of(op.kind).id;
    if (kind == online_kind_id::alter_column) n.new_column = derived_name("_ender_new_", op.column);
    if (kind == online_kind_id::add_column) n.new_column = op.column;
    n.function = derived_name("_ender_sync_", op.table);
    n.trigger = derived_name("_ender_sync_", revision);
    return n;
}

std::string not_null_check_name(std::string_view column) {
    return derived_name("_ender_", column, "_not_null");
}

online_phase_sql render_phase_sql(std::string_view revision, const online_operation& op,
                                  const online_table& table) {
    return phase_renderer(revision, op, table).render();
}

}  // namespace ender::engine
