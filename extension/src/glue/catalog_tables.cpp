// The tables of a snapshot, read from the catalogs in C++: ender._snapshot_tables(schemas oid[])
// returns the "tables" list of the snapshot document (docs/snapshot-format.md) as json text.
//
// Tables are most of a schema (a 2,000-table schema has 42,000 columns, 9,000 constraints and
// 6,000 indexes), and building their objects in SQL (json_build_object per column, json_agg
// per table, the joins that bring each list to its table) cost more than reading the catalogs.
// Here one flat query per list (columns, constraints, indexes, triggers, policies, parents)
// returns rows ordered by table, and the text is written once. The definitions still come from
// the server's deparsers (pg_get_constraintdef, pg_get_indexdef, ...), as everywhere else.
//
// Called by ender._snapshot_json, which pins the session settings the deparsers depend on.
#include "pg.hpp"  // first: PostgreSQL headers before any engine header

#include "../engine/json_text.hpp"
#include "guard.hpp"
#include "spi.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

using namespace ender;
using engine::json_text;

namespace {

// The tables, in document order.
constexpr const char* tables_sql = R"sql(
SELECT c.oid, n.nspname::text, c.relname::text, c.relkind = 'p', c.relpersistence = 'u',
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
       c.relispartition, pn.nspname::text, pc.relname::text,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
       c.relrowsecurity, c.relforcerowsecurity,
       CASE c.relreplident WHEN 'd' THEN 'default' WHEN 'n' THEN 'nothing' WHEN 'f' THEN 'full'
           ELSE (SELECT 'index ' || quote_ident(ic.relname) FROM pg_index i
                   JOIN pg_class ic ON ic.oid = i.indexrelid
                  WHERE i.indrelid = c.oid AND i.indisreplident) END,
       ds.description
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_inherits h ON c.relispartition AND h.inhrelid = c.oid
  LEFT JOIN pg_class pc ON pc.oid = h.inhparent
  LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = c.oid AND ds.objsubid = 0
 WHERE c.relnamespace = ANY ($1) AND c.relkind IN ('r', 'p')
   AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.deptype = 'e' AND e.classid = 'pg_class'::regclass
                                             AND e.objid = c.oid)
 ORDER BY n.nspname, c.relname
)sql";

// Columns. A collation is named only when it differs from the type's default. Defaults cannot
// refer to columns, so they are deparsed without the table's context, once per distinct
// expression (deparsed_once); generated expressions need the context. Types are named once
// per distinct type and modifier.
constexpr const char* columns_sql = R"sql(
SELECT a.attrelid, a.attname::text, a.attnotnull, a.attidentity, a.attgenerated, a.attislocal,
       a.atttypid, a.atttypmod,
       CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0
            THEN CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                      ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END,
       CASE WHEN a.attgenerated = '' THEN d.adbin::text END,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,
       ds.description, a.attnum
  FROM unnest($1) r(oid)
  JOIN pg_attribute a ON a.attrelid = r.oid
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = a.attrelid
                             AND ds.objsubid = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum
)sql";

// Constraints: a constraint trigger is described by its trigger, inherited checks on the
// parent, partitions' copies by the partitioned table.
constexpr const char* constraints_sql = R"sql(
SELECT c.conrelid, c.conname::text, c.contype, pg_get_constraintdef(c.oid),
       c.condeferrable, c.condeferred, c.convalidated,
       c.conkey, fn.nspname::text, fr.relname::text, c.confrelid, c.confkey, c.confupdtype, c.confdeltype, c.confmatchtype, ds.description
  FROM unnest($1) r(oid)
  JOIN pg_constraint c ON c.conrelid = r.oid
  LEFT JOIN pg_class fr ON fr.oid = c.confrelid
  LEFT JOIN pg_namespace fn ON fn.oid = fr.relnamespace
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_constraint'::regclass AND ds.objoid = c.oid AND ds.objsubid = 0
 WHERE c.conparentid = 0 AND c.contype <> 't' AND c.conislocal
 ORDER BY c.conrelid, c.conname
)sql";

// Column names of tables outside the schemas read, that foreign keys reference.
constexpr const char* attribute_names_sql = R"sql(
SELECT a.attrelid, a.attnum, a.attname::text FROM pg_attribute a
 WHERE a.attrelid = ANY ($1) AND a.attnum > 0 AND NOT a.attisdropped
)sql";

// Indexes that back a constraint are described by the constraint, partitions' copies by the
// partitioned table's index.
constexpr const char* indexes_sql = R"sql(
SELECT i.indrelid, ic.relname::text, pg_get_indexdef(i.indexrelid), i.indisunique, am.amname::text,
       pg_get_expr(i.indpred, i.indrelid), i.indnullsnotdistinct, ds.description
  FROM unnest($1) r(oid)
  JOIN pg_index i ON i.indrelid = r.oid
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = i.indexrelid AND ds.objsubid = 0
 WHERE NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
   AND NOT EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
 ORDER BY i.indrelid, ic.relname
)sql";

constexpr const char* triggers_sql = R"sql(
SELECT t.tgrelid, t.tgname::text, pg_get_triggerdef(t.oid), t.tgenabled, ds.description
  FROM unnest($1) r(oid)
  JOIN pg_trigger t ON t.tgrelid = r.oid
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_trigger'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
 WHERE NOT t.tgisinternal AND t.tgparentid = 0
 ORDER BY t.tgrelid, t.tgname
)sql";

constexpr const char* policies_sql = R"sql(
SELECT p.polrelid, p.polname::text, p.polcmd, p.polpermissive,
       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) r),
       pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), ds.description
  FROM unnest($1) r(oid)
  JOIN pg_policy p ON p.polrelid = r.oid
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_policy'::regclass AND ds.objoid = p.oid AND ds.objsubid = 0
 ORDER BY p.polrelid, p.polname
)sql";

// Parents of inheritance children (a partition's parent is its partition_of).
constexpr const char* parents_sql = R"sql(
SELECT h.inhrelid, pn.nspname::text, pc.relname::text
  FROM unnest($1) r(oid)
  JOIN pg_inherits h ON h.inhrelid = r.oid
  JOIN pg_class pc ON pc.oid = h.inhparent
  JOIN pg_namespace pn ON pn.oid = pc.relnamespace
  JOIN pg_class c ON c.oid = r.oid AND NOT c.relispartition
 ORDER BY h.inhrelid, h.inhseqno
)sql";

// One row of an SPI result. Called inside pg_guard only (detoasting may raise an error).
class row {
public:
    row(HeapTuple tuple, TupleDesc desc) : tuple_(tuple), desc_(desc) {}

    bool is_null(int column) const {
        bool null;
        heap_getattr(tuple_, column, desc_, &null);
        return null;
    }
    Oid oid(int column) const { return DatumGetObjectId(datum(column)); }
    bool boolean(int column) const { return DatumGetBool(datum(column)); }
    char character(int column) const { return DatumGetChar(datum(column)); }
    int number(int column) const { return DatumGetInt16(datum(column)); }
    int32 integer(int column) const { return DatumGetInt32(datum(column)); }
    // A text column, or nullptr when NULL (palloc'd in the SPI context).
    const char* str(int column) const {
        bool null;
        Datum d = heap_getattr(tuple_, column, desc_, &null);
        return null ? nullptr : text_to_cstring(DatumGetTextPP(d));
    }
    // A text[] column written as a JSON array.
    void strings(int column, json_text& out) const {
        bool null;
        Datum d = heap_getattr(tuple_, column, desc_, &null);
        Datum* items = nullptr;
        bool* nulls = nullptr;
        int count = 0;
        if (!null) deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT, &items, &nulls, &count);
        out.begin_array();
        for (int i = 0; i < count; ++i)
            if (nulls[i])
                out.null();
            else
                out.value(text_to_cstring(DatumGetTextPP(items[i])));
        out.end_array();
    }

    // An int2[] of column numbers written as the names of those columns (`names` by number);
    // numbers with no name (an expression's 0) are left out, and no name at all is null.
    void column_names(int column, const std::vector<std::string>& names, json_text& out) const {
        bool null;
        Datum d = heap_getattr(tuple_, column, desc_, &null);
        Datum* items = nullptr;
        bool* nulls = nullptr;
        int count = 0;
        if (!null) deconstruct_array(DatumGetArrayTypeP(d), INT2OID, 2, true, TYPALIGN_SHORT, &items, &nulls, &count);
        auto named = [&](int i) {
            const int n = DatumGetInt16(items[i]);
            return !nulls[i] && n > 0 && static_cast<std::size_t>(n) < names.size() && !names[n].empty();
        };
        bool any = false;
        for (int i = 0; i < count && !any; ++i) any = named(i);
        if (!any) {
            out.null();
            return;
        }
        out.begin_array();
        for (int i = 0; i < count; ++i)
            if (named(i)) out.value(names[DatumGetInt16(items[i])]);
        out.end_array();
    }

private:
    Datum datum(int column) const {
        bool null;
        return heap_getattr(tuple_, column, desc_, &null);
    }
    HeapTuple tuple_;
    TupleDesc desc_;
};

// Runs `sql` with `oids` as its one oid[] parameter; the rows stay until SPI_finish.
SPITupleTable* query(const char* sql, Datum oids) {
    SPITupleTable* rows = nullptr;
    glue::pg_guard([&] {
        Oid types[1] = {OIDARRAYOID};
        Datum values[1] = {oids};
        int rc = SPI_execute_with_args(sql, 1, types, values, nullptr, true, 0);
        if (rc != SPI_OK_SELECT) elog(ERROR, "ender could not read the catalogs: %s", SPI_result_code_string(rc));
        rows = SPI_tuptable;
    });
    return rows;
}

// An oid[] of `oids`.
Datum oid_array(const std::vector<Oid>& oids) {
    Datum result = 0;
    glue::pg_guard([&] {
        Datum* items = static_cast<Datum*>(palloc(sizeof(Datum) * (oids.size() + 1)));
        for (std::size_t i = 0; i < oids.size(); ++i) items[i] = ObjectIdGetDatum(oids[i]);
        result = PointerGetDatum(
            construct_array(items, static_cast<int>(oids.size()), OIDOID, sizeof(Oid), true, TYPALIGN_INT));
    });
    return result;
}

// Calls `each(row)` for every row of `rows` inside pg_guard: `each` may only write into objects
// that live outside it.
template <typename F>
void for_each_row(SPITupleTable* rows, F&& each) {
    glue::pg_guard([&] {
        for (uint64 r = 0; r < rows->numvals; ++r) each(row(rows->vals[r], rows->tupdesc));
    });
}

const char* enabled_word(char c) {
    switch (c) {
    case 'O': return "origin";
    case 'D': return "disabled";
    case 'R': return "replica";
    case 'A': return "always";
    }
    return nullptr;
}

const char* action_word(char c) {
    switch (c) {
    case 'a': return "no action";
    case 'r': return "restrict";
    case 'c': return "cascade";
    case 'n': return "set null";
    case 'd': return "set default";
    }
    return nullptr;
}

const char* constraint_word(char c) {
    switch (c) {
    case 'p': return "primary key";
    case 'u': return "unique";
    case 'f': return "foreign key";
    case 'c': return "check";
    case 'x': return "exclusion";
    }
    return nullptr;
}

const char* command_word(char c) {
    switch (c) {
    case 'r': return "select";
    case 'a': return "insert";
    case 'w': return "update";
    case 'd': return "delete";
    }
    return "all";
}

// Names of types (format_type), each computed once per type and modifier.
class type_names {
public:
    // Called inside pg_guard.
    const std::string& of(Oid type, int32 typmod) {
        const auto key = (static_cast<std::uint64_t>(type) << 32) | static_cast<std::uint32_t>(typmod);
        auto found = names_.find(key);
        if (found == names_.end())
            found = names_.emplace(key, format_type_extended(type, typmod, FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_ALLOW_INVALID))
                        .first;
        return found->second;
    }

private:
    std::unordered_map<std::uint64_t, std::string> names_;
};

// Expressions that need no table context (defaults), deparsed once per distinct stored tree.
class deparsed_once {
public:
    // Called inside pg_guard; `tree` is the pg_node_tree as text.
    const std::string& of(const char* tree) {
        auto found = texts_.find(std::string_view(tree));
        if (found == texts_.end()) {
            Datum deparsed = DirectFunctionCall2(pg_get_expr, CStringGetTextDatum(tree), ObjectIdGetDatum(InvalidOid));
            found = texts_.emplace(tree, text_to_cstring(DatumGetTextPP(deparsed))).first;
        }
        return found->second;
    }

private:
    struct hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::string, hash, std::equal_to<>> texts_;
};

// The lists of one kind (columns, constraints, ...) of every table, as JSON arrays: rows come
// ordered by table, and each goes to its table's array.
class table_lists {
public:
    table_lists(const std::unordered_map<Oid, std::size_t>& index, std::size_t count) : index_(index), lists_(count) {
        for (auto& l : lists_) l.begin_array();
    }
    json_text& of(Oid table) { return lists_[index_.at(table)]; }
    // Closes every list; then list(i) is the JSON array of the i-th table.
    void close() {
        for (auto& l : lists_) l.end_array();
    }
    std::string_view list(std::size_t i) const { return lists_[i].str(); }

private:
    const std::unordered_map<Oid, std::size_t>& index_;
    std::vector<json_text> lists_;
};

}  // namespace

// ender._snapshot_tables(schemas oid[]) RETURNS json
ENDER_FUNCTION(ender_snapshot_tables) {
    Datum schemas = PG_GETARG_DATUM(0);
    glue::spi_connect();

    SPITupleTable* tables = query(tables_sql, schemas);
    std::vector<Oid> table_oids;
    table_oids.reserve(tables->numvals);
    for_each_row(tables, [&](const row& r) { table_oids.push_back(r.oid(1)); });
    const std::size_t count = table_oids.size();
    std::unordered_map<Oid, std::size_t> index;
    index.reserve(count);
    for (std::size_t i = 0; i < count; ++i) index.emplace(table_oids[i], i);
    const Datum oids = oid_array(table_oids);
    // Column names by table and number, for the keys of constraints.
    std::unordered_map<Oid, std::vector<std::string>> names;
    table_lists columns(index, count);
    type_names types;
    deparsed_once defaults;
    for_each_row(query(columns_sql, oids), [&](const row& r) {
        auto& of_table = names[r.oid(1)];
        const auto number = static_cast<std::size_t>(r.number(13));
        if (of_table.size() <= number) of_table.resize(number + 1);
        of_table[number] = r.str(2);
        json_text& c = columns.of(r.oid(1)).begin_object();
        c.key("name").value(r.str(2)).key("type").value(types.of(r.oid(7), r.integer(8)));
        c.key("not_null").value(r.boolean(3)).key("default");
        if (const char* tree = r.str(10)) c.value(defaults.of(tree));
        else c.null();
        c.key("generated").value_or_null(r.character(5) == 's' ? r.str(11) : nullptr);
        const char identity = r.character(4);
        c.key("identity").value_or_null(identity == 'a' ? "always" : identity == 'd' ? "by default" : nullptr);
        c.key("collation").value_or_null(r.str(9)).key("comment").value_or_null(r.str(12));
        c.key("inherited").value(!r.boolean(6)).end_object();
    });

    // The columns of referenced tables outside the schemas read.
    SPITupleTable* constraint_rows = query(constraints_sql, oids);
    std::vector<Oid> outside;
    for_each_row(constraint_rows, [&](const row& r) {
        if (r.character(3) == 'f' && !names.count(r.oid(11))) outside.push_back(r.oid(11));
    });
    if (!outside.empty())
        for_each_row(query(attribute_names_sql, oid_array(outside)), [&](const row& r) {
            auto& of_table = names[r.oid(1)];
            const auto number = static_cast<std::size_t>(r.number(2));
            if (of_table.size() <= number) of_table.resize(number + 1);
            of_table[number] = r.str(3);
        });
    table_lists constraints(index, count);
    for_each_row(constraint_rows, [&](const row& r) {
        json_text& c = constraints.of(r.oid(1)).begin_object();
        const char type = r.character(3);
        c.key("name").value(r.str(2)).key("type").value_or_null(constraint_word(type));
        c.key("definition").value_or_null(r.str(4));
        c.key("deferrable").value(r.boolean(5)).key("deferred").value(r.boolean(6)).key("valid").value(r.boolean(7));
        c.key("columns");
        r.column_names(8, names[r.oid(1)], c);
        c.key("references");
        if (type == 'f') {
            c.begin_object().key("schema").value_or_null(r.str(9)).key("table").value_or_null(r.str(10));
            c.key("columns");
            r.column_names(12, names[r.oid(11)], c);
            c.key("on_update").value_or_null(action_word(r.character(13)));
            c.key("on_delete").value_or_null(action_word(r.character(14)));
            const char match = r.character(15);
            c.key("match").value(match == 'f' ? "full" : match == 'p' ? "partial" : "simple").end_object();
        } else {
            c.null();
        }
        c.key("comment").value_or_null(r.str(16)).end_object();
    });

    table_lists indexes(index, count);
    for_each_row(query(indexes_sql, oids), [&](const row& r) {
        json_text& i = indexes.of(r.oid(1)).begin_object();
        i.key("name").value(r.str(2)).key("definition").value_or_null(r.str(3)).key("unique").value(r.boolean(4));
        i.key("method").value(r.str(5)).key("predicate").value_or_null(r.str(6));
        i.key("nulls_not_distinct").value(r.boolean(7)).key("comment").value_or_null(r.str(8)).end_object();
    });

    table_lists triggers(index, count);
    for_each_row(query(triggers_sql, oids), [&](const row& r) {
        json_text& t = triggers.of(r.oid(1)).begin_object();
        t.key("name").value(r.str(2)).key("definition").value_or_null(r.str(3));
        t.key("enabled").value_or_null(enabled_word(r.character(4))).key("comment").value_or_null(r.str(5));
        t.end_object();
    });

    table_lists policies(index, count);
    for_each_row(query(policies_sql, oids), [&](const row& r) {
        json_text& p = policies.of(r.oid(1)).begin_object();
        p.key("name").value(r.str(2)).key("command").value(command_word(r.character(3)));
        p.key("permissive").value(r.boolean(4)).key("roles");
        r.strings(5, p);
        p.key("using").value_or_null(r.str(6)).key("with_check").value_or_null(r.str(7));
        p.key("comment").value_or_null(r.str(8)).end_object();
    });

    table_lists parents(index, count);
    for_each_row(query(parents_sql, oids), [&](const row& r) {
        parents.of(r.oid(1)).begin_object().key("schema").value(r.str(2)).key("table").value(r.str(3)).end_object();
    });
    for (auto* lists : {&columns, &constraints, &indexes, &triggers, &policies, &parents}) lists->close();

    // The tables, in the order of the first query, with their lists.
    json_text doc;
    doc.begin_array();
    std::size_t i = 0;
    for_each_row(tables, [&](const row& r) {
        doc.begin_object();
        doc.key("schema").value(r.str(2)).key("name").value(r.str(3));
        doc.key("partitioned").value(r.boolean(4)).key("unlogged").value(r.boolean(5));
        doc.key("columns").raw(columns.list(i)).key("constraints").raw(constraints.list(i));
        doc.key("indexes").raw(indexes.list(i)).key("triggers").raw(triggers.list(i));
        doc.key("policies").raw(policies.list(i));
        doc.key("partition_key").value_or_null(r.str(6));
        const bool partition = r.boolean(7);
        doc.key("partition_of");
        if (partition) {
            doc.begin_object().key("schema").value(r.str(8)).key("table").value(r.str(9));
            doc.key("bound").value_or_null(r.str(10)).end_object();
        } else {
            doc.null();
        }
        doc.key("inherits").raw(partition ? std::string_view("[]") : parents.list(i));
        doc.key("row_security").value(r.boolean(11)).key("force_row_security").value(r.boolean(12));
        doc.key("replica_identity").value_or_null(r.str(13)).key("comment").value_or_null(r.str(14));
        doc.end_object();
        ++i;
    });
    doc.end_array();
    glue::spi_finish();  // frees the rows; the result is made in the caller's memory context
    Datum result = 0;
    glue::pg_guard([&] { result = PointerGetDatum(cstring_to_text_with_len(doc.str().data(), doc.str().size())); });
    return result;
}
