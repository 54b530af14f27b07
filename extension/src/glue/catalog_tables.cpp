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

extern "C" {
#include "catalog/pg_collation.h"
#include "catalog/pg_namespace.h"
#include "commands/defrem.h"
#include "utils/syscache.h"
}

#include <cctype>
#include <cstdint>
#include <cstring>
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

// Columns. Defaults cannot refer to columns, so they are deparsed without the table's context,
// once per distinct expression (deparsed_once); generated expressions need the context. Types
// and collations are named once per distinct value (type_names, collation_names).
constexpr const char* columns_sql = R"sql(
SELECT a.attrelid, a.attname::text, a.attnotnull, a.attidentity, a.attgenerated, a.attislocal,
       a.atttypid, a.atttypmod, a.attcollation,
       CASE WHEN a.attgenerated = '' THEN d.adbin::text END,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,
       ds.description, a.attnum
  FROM unnest($1) r(oid)
  JOIN pg_attribute a ON a.attrelid = r.oid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = a.attrelid
                             AND ds.objsubid = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum
)sql";

// Constraints: a constraint trigger is described by its trigger, inherited checks on the
// parent, partitions' copies by the partitioned table. Definitions: the server deparses checks
// and exclusions; key_constraint_definition writes keys.
constexpr const char* constraints_sql = R"sql(
SELECT c.conrelid, c.conname::text, c.contype,
       CASE WHEN c.contype NOT IN ('p', 'u', 'f') THEN pg_get_constraintdef(c.oid) END,
       c.condeferrable, c.condeferred, c.convalidated,
       c.conkey, fn.nspname::text, fr.relname::text, c.confrelid, c.confkey, c.confupdtype, c.confdeltype, c.confmatchtype, ds.description,
       c.oid, c.confdelsetcols, i.indnullsnotdistinct, i.indkey::int2[]
  FROM unnest($1) r(oid)
  JOIN pg_constraint c ON c.conrelid = r.oid
  LEFT JOIN pg_index i ON i.indexrelid = c.conindid AND c.contype IN ('p', 'u')
  LEFT JOIN pg_class fr ON fr.oid = c.confrelid
  LEFT JOIN pg_namespace fn ON fn.oid = fr.relnamespace
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_constraint'::regclass AND ds.objoid = c.oid AND ds.objsubid = 0
 WHERE c.conparentid = 0 AND c.contype <> 't' AND c.conislocal
 ORDER BY c.conrelid, c.conname
)sql";

// Column names of tables outside the schemas read, that foreign keys reference.
constexpr const char* attribute_names_sql = R"sql(
SELECT a.attrelid, a.attnum, a.attname::text, a.atttypid, a.attcollation FROM pg_attribute a
 WHERE a.attrelid = ANY ($1) AND a.attnum > 0 AND NOT a.attisdropped
)sql";

// Indexes that back a constraint are described by the constraint, partitions' copies by the
// partitioned table's index. Definitions: see index_definition.
constexpr const char* indexes_sql = R"sql(
SELECT i.indrelid, ic.relname::text, i.indexrelid, i.indisunique, am.amname::text,
       pg_get_expr(i.indpred, i.indrelid), i.indnullsnotdistinct, ds.description,
       -- what index_definition needs to know whether it can write the definition itself
       i.indexprs IS NULL AND ic.reloptions IS NULL AND ic.relkind = 'i'
           AND NOT EXISTS (SELECT FROM pg_attribute o WHERE o.attrelid = i.indexrelid AND o.attoptions IS NOT NULL),
       am.oid, i.indnkeyatts, i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[], i.indoption::int2[]
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

// What index and constraint definitions need of a table column.
struct column_info {
    std::string name;
    Oid type = InvalidOid;
    Oid collation = InvalidOid;
};

// The columns of tables by table and number.
class column_store {
public:
    // Called inside pg_guard.
    void add(Oid table, int number, const char* name, Oid type, Oid collation) {
        auto& columns = tables_[table];
        if (columns.size() <= static_cast<std::size_t>(number)) columns.resize(number + 1);
        auto& c = columns[number];
        c.name = name;
        c.type = type;
        c.collation = collation;
    }
    bool has(Oid table) const { return tables_.count(table) != 0; }
    const std::vector<column_info>& of(Oid table) { return tables_[table]; }

private:
    std::unordered_map<Oid, std::vector<column_info>> tables_;
};

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
        if (!null)
            deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT, &items,
                              &nulls, &count);
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
    void column_names(int column, const std::vector<column_info>& names, json_text& out) const {
        bool null;
        Datum d = heap_getattr(tuple_, column, desc_, &null);
        Datum* items = nullptr;
        bool* nulls = nullptr;
        int count = 0;
        if (!null)
            deconstruct_array(DatumGetArrayTypeP(d), INT2OID, 2, true, TYPALIGN_SHORT, &items,
                              &nulls, &count);
        auto named = [&](int i) {
            const int n = DatumGetInt16(items[i]);
            return !nulls[i] && n > 0 && static_cast<std::size_t>(n) < names.size() &&
                   !names[n].name.empty();
        };
        bool any = false;
        for (int i = 0; i < count && !any; ++i) any = named(i);
        if (!any) {
            out.null();
            return;
        }
        out.begin_array();
        for (int i = 0; i < count; ++i)
            if (named(i)) out.value(names[DatumGetInt16(items[i])].name);
        out.end_array();
    }

    // The elements of an int2[] or oid[] column (palloc'd; `count` set).
    Datum* elements(int column, Oid type, int& count) const {
        bool null;
        Datum d = heap_getattr(tuple_, column, desc_, &null);
        Datum* items = nullptr;
        bool* nulls = nullptr;
        count = 0;
        if (!null)
            deconstruct_array(DatumGetArrayTypeP(d), type, type == INT2OID ? 2 : 4, true,
                              type == INT2OID ? TYPALIGN_SHORT : TYPALIGN_INT, &items, &nulls,
                              &count);
        return items;
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
        if (rc != SPI_OK_SELECT)
            elog(ERROR, "ender could not read the catalogs: %s", SPI_result_code_string(rc));
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
        result = PointerGetDatum(construct_array(items, static_cast<int>(oids.size()), OIDOID,
                                                 sizeof(Oid), true, TYPALIGN_INT));
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
        case 'O':
            return "origin";
        case 'D':
            return "disabled";
        case 'R':
            return "replica";
        case 'A':
            return "always";
    }
    return nullptr;
}

const char* action_word(char c) {
    switch (c) {
        case 'a':
            return "no action";
        case 'r':
            return "restrict";
        case 'c':
            return "cascade";
        case 'n':
            return "set null";
        case 'd':
            return "set default";
    }
    return nullptr;
}

const char* constraint_word(char c) {
    switch (c) {
        case 'p':
            return "primary key";
        case 'u':
            return "unique";
        case 'f':
            return "foreign key";
        case 'c':
            return "check";
        case 'x':
            return "exclusion";
    }
    return nullptr;
}

const char* command_word(char c) {
    switch (c) {
        case 'r':
            return "select";
        case 'a':
            return "insert";
        case 'w':
            return "update";
        case 'd':
            return "delete";
    }
    return "all";
}

// Names of types (format_type), each computed once per type and modifier.
class type_names {
public:
    // Called inside pg_guard.
    const std::string& of(Oid type, int32 typmod) {
        const auto key =
            (static_cast<std::uint64_t>(type) << 32) | static_cast<std::uint32_t>(typmod);
        auto found = names_.find(key);
        if (found == names_.end())
            found = names_
                        .emplace(key, format_type_extended(
                                          type, typmod,
                                          FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_ALLOW_INVALID))
                        .first;
        return found->second;
    }

private:
    std::unordered_map<std::uint64_t, std::string> names_;
};

// The collation a column names: none when it is its type's default, else the collation's name,
// schema-qualified outside pg_catalog. Looked up once per type and collation.
class collation_names {
public:
    // Called inside pg_guard; nullptr when the column uses its type's collation.
    const char* of(Oid type, Oid collation) {
        if (!OidIsValid(collation)) return nullptr;
        auto type_default = defaults_.find(type);
        if (type_default == defaults_.end())
            type_default = defaults_.emplace(type, get_typcollation(type)).first;
        if (collation == type_default->second) return nullptr;
        auto found = names_.find(collation);
        if (found == names_.end()) {
            HeapTuple tuple = SearchSysCache1(COLLOID, ObjectIdGetDatum(collation));
            if (!HeapTupleIsValid(tuple))
                elog(ERROR, "cache lookup failed for collation %u", collation);
            auto* form = reinterpret_cast<Form_pg_collation>(GETSTRUCT(tuple));
            const char* name = quote_identifier(NameStr(form->collname));
            found = names_
                        .emplace(collation, form->collnamespace == PG_CATALOG_NAMESPACE
                                                ? std::string(name)
                                                : std::string(quote_identifier(
                                                      get_namespace_name(form->collnamespace))) +
                                                      "." + name)
                        .first;
            ReleaseSysCache(tuple);
        }
        return found->second.c_str();
    }

private:
    std::unordered_map<Oid, Oid> defaults_;
    std::unordered_map<Oid, std::string> names_;
};

// Expressions that need no table context (defaults), deparsed once per distinct stored tree.
class deparsed_once {
public:
    // Called inside pg_guard; `tree` is the pg_node_tree as text.
    const std::string& of(const char* tree) {
        auto found = texts_.find(std::string_view(tree));
        if (found == texts_.end()) {
            Datum deparsed = DirectFunctionCall2(pg_get_expr, CStringGetTextDatum(tree),
                                                 ObjectIdGetDatum(InvalidOid));
            found = texts_.emplace(tree, text_to_cstring(DatumGetTextPP(deparsed))).first;
        }
        return found->second;
    }

private:
    struct hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, std::string, hash, std::equal_to<>> texts_;
};

// The default operator class of a type for an access method, looked up once per pair.
class default_opclasses {
public:
    // Called inside pg_guard.
    Oid of(Oid type, Oid method) {
        const auto key = (static_cast<std::uint64_t>(type) << 32) | method;
        auto found = classes_.find(key);
        if (found == classes_.end())
            found = classes_.emplace(key, GetDefaultOpClass(type, method)).first;
        return found->second;
    }

private:
    std::unordered_map<std::uint64_t, Oid> classes_;
};

// The text pg_get_indexdef prints, for an index of plain columns with their default operator
// classes and collations, ascending, without options or expressions: written here without the
// relation opening and operator class scans pg_get_indexdef does for every index. False for any
// other index, which is left to pg_get_indexdef. sql/snapshot.sql checks that both agree.
// Called inside pg_guard; `out` lives outside.
bool simple_index_definition(const row& r, const std::vector<column_info>& columns,
                             const std::string& table, default_opclasses& defaults,
                             std::string& out) {
    if (!r.boolean(9)) return false;
    const Oid method = r.oid(10);
    const int key_count = r.number(11);
    int n = 0, classes_n = 0, collations_n = 0, options_n = 0;
    Datum* keys = r.elements(12, INT2OID, n);
    Datum* classes = r.elements(13, OIDOID, classes_n);
    Datum* collations = r.elements(14, OIDOID, collations_n);
    Datum* options = r.elements(15, INT2OID, options_n);
    if (classes_n < key_count || collations_n < key_count || options_n < key_count) return false;
    out.assign(r.boolean(4) ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    out += quote_identifier(r.str(2));
    out += " ON ";
    out += table;
    out += " USING ";
    out += quote_identifier(r.str(5));
    out += " (";
    for (int k = 0; k < n; ++k) {
        const int number = DatumGetInt16(keys[k]);
        if (number <= 0 || static_cast<std::size_t>(number) >= columns.size() ||
            columns[number].name.empty())
            return false;
        const column_info& column = columns[number];
        if (k == key_count)
            out += ") INCLUDE (";
        else if (k > 0)
            out += ", ";
        out += quote_identifier(column.name.c_str());
        if (k >= key_count) continue;
        const Oid collation = DatumGetObjectId(collations[k]);
        if (OidIsValid(collation) && collation != column.collation) return false;
        if (defaults.of(column.type, method) != DatumGetObjectId(classes[k])) return false;
        if (DatumGetInt16(options[k]) != 0) return false;
    }
    out += ')';
    if (r.boolean(7)) out += " NULLS NOT DISTINCT";
    if (const char* predicate = r.str(6)) {
        out += " WHERE ";
        out += predicate;
    }
    return true;
}

// Appends the names of the columns numbered by the elements [from, to) of `numbers`, quoted and
// separated as pg_get_constraintdef separates them. False when one has no name.
bool append_column_list(const Datum* numbers, int from, int to,
                        const std::vector<column_info>& columns, std::string& out) {
    for (int k = from; k < to; ++k) {
        const int number = DatumGetInt16(numbers[k]);
        if (number <= 0 || static_cast<std::size_t>(number) >= columns.size() ||
            columns[number].name.empty())
            return false;
        if (k > from) out += ", ";
        out += quote_identifier(columns[number].name.c_str());
    }
    return true;
}

// Appends " ON UPDATE CASCADE" and the like, as pg_get_constraintdef writes an action; nothing
// for the default (no action). False for an action it does not know.
bool append_action(const char* clause, char action, std::string& out) {
    if (action == 'a') return true;
    const char* word = action_word(action);
    if (!word) return false;
    out += clause;
    for (const char* c = word; *c; ++c)
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
    return true;
}

// The text pg_get_constraintdef prints for a primary key, unique constraint or foreign key,
// written from the row without its per-constraint catalog scans; false when anything is
// unusual (the server then writes it). sql/snapshot_definitions.sql checks that both agree.
// Called inside pg_guard; `out` lives outside.
bool key_constraint_definition(const row& r, const std::vector<column_info>& own,
                               const std::vector<column_info>& referenced, std::string& out) {
    const char type = r.character(3);
    int key_count = 0;
    Datum* keys = r.elements(8, INT2OID, key_count);
    if (key_count == 0) return false;
    out.clear();
    if (type == 'p' || type == 'u') {
        if (r.is_null(20)) return false;
        out += type == 'p' ? "PRIMARY KEY " : "UNIQUE ";
        if (type == 'u' && r.boolean(19)) out += "NULLS NOT DISTINCT ";
        out += '(';
        if (!append_column_list(keys, 0, key_count, own, out)) return false;
        out += ')';
        int index_count = 0;
        Datum* index_keys = r.elements(20, INT2OID, index_count);
        if (index_count > key_count) {
            out += " INCLUDE (";
            if (!append_column_list(index_keys, key_count, index_count, own, out)) return false;
            out += ')';
        }
    } else if (type == 'f') {
        const char* schema = r.str(9);
        if (!schema || std::strcmp(schema, "pg_catalog") == 0 ||
            std::strncmp(schema, "pg_temp", 7) == 0)
            return false;  // names the server would print unqualified
        out += "FOREIGN KEY (";
        if (!append_column_list(keys, 0, key_count, own, out)) return false;
        out += ") REFERENCES ";
        out += quote_qualified_identifier(schema, r.str(10));
        out += '(';
        int referenced_count = 0;
        Datum* referenced_keys = r.elements(12, INT2OID, referenced_count);
        if (!append_column_list(referenced_keys, 0, referenced_count, referenced, out))
            return false;
        out += ')';
        const char match = r.character(15);
        if (match == 'f')
            out += " MATCH FULL";
        else if (match == 'p')
            out += " MATCH PARTIAL";
        else if (match != 's')
            return false;
        if (!append_action(" ON UPDATE ", r.character(13), out) ||
            !append_action(" ON DELETE ", r.character(14), out))
            return false;
        if (!r.is_null(18)) {
            int set_count = 0;
            Datum* set_columns = r.elements(18, INT2OID, set_count);
            out += " (";
            if (!append_column_list(set_columns, 0, set_count, own, out)) return false;
            out += ')';
        }
    } else {
        return false;
    }
    if (r.boolean(5)) out += " DEFERRABLE";
    if (r.boolean(6)) out += " INITIALLY DEFERRED";
    if (!r.boolean(7)) out += " NOT VALID";
    return true;
}

// The lists of one kind (columns, constraints, ...) of every table, as JSON arrays: rows come
// ordered by table, and each goes to its table's array.
class table_lists {
public:
    table_lists(const std::unordered_map<Oid, std::size_t>& index, std::size_t count)
        : index_(index), lists_(count) {
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
    std::vector<std::string> qualified;  // schema.table, quoted
    for_each_row(tables, [&](const row& r) {
        table_oids.push_back(r.oid(1));
        qualified.emplace_back(quote_qualified_identifier(r.str(2), r.str(3)));
    });
    const std::size_t count = table_oids.size();
    std::unordered_map<Oid, std::size_t> index;
    index.reserve(count);
    for (std::size_t i = 0; i < count; ++i) index.emplace(table_oids[i], i);
    const Datum oids = oid_array(table_oids);
    // Columns by table and number, for the keys of constraints and indexes.
    column_store names;
    table_lists columns(index, count);
    type_names types;
    collation_names collations;
    deparsed_once defaults;
    for_each_row(query(columns_sql, oids), [&](const row& r) {
        names.add(r.oid(1), r.number(13), r.str(2), r.oid(7), r.oid(9));
        json_text& c = columns.of(r.oid(1)).begin_object();
        c.key("name").value(r.str(2)).key("type").value(types.of(r.oid(7), r.integer(8)));
        c.key("not_null").value(r.boolean(3)).key("default");
        if (const char* tree = r.str(10))
            c.value(defaults.of(tree));
        else
            c.null();
        c.key("generated").value_or_null(r.character(5) == 's' ? r.str(11) : nullptr);
        const char identity = r.character(4);
        c.key("identity")
            .value_or_null(identity == 'a'   ? "always"
                           : identity == 'd' ? "by default"
                                             : nullptr);
        c.key("collation")
            .value_or_null(collations.of(r.oid(7), r.oid(9)))
            .key("comment")
            .value_or_null(r.str(12));
        c.key("inherited").value(!r.boolean(6)).end_object();
    });

    // The columns of referenced tables outside the schemas read.
    SPITupleTable* constraint_rows = query(constraints_sql, oids);
    std::vector<Oid> outside;
    for_each_row(constraint_rows, [&](const row& r) {
        if (r.character(3) == 'f' && !names.has(r.oid(11))) outside.push_back(r.oid(11));
    });
    if (!outside.empty())
        for_each_row(query(attribute_names_sql, oid_array(outside)), [&](const row& r) {
            names.add(r.oid(1), r.number(2), r.str(3), r.oid(4), r.oid(5));
        });
    table_lists constraints(index, count);
    std::string definition;
    for_each_row(constraint_rows, [&](const row& r) {
        json_text& c = constraints.of(r.oid(1)).begin_object();
        const char type = r.character(3);
        c.key("name").value(r.str(2)).key("type").value_or_null(constraint_word(type));
        c.key("definition");
        if (!r.is_null(4))
            c.value(r.str(4));
        else if (key_constraint_definition(r, names.of(r.oid(1)), names.of(r.oid(11)), definition))
            c.value(definition);
        else
            c.value(text_to_cstring(
                DatumGetTextPP(DirectFunctionCall1(pg_get_constraintdef, r.oid(17)))));
        c.key("deferrable")
            .value(r.boolean(5))
            .key("deferred")
            .value(r.boolean(6))
            .key("valid")
            .value(r.boolean(7));
        c.key("columns");
        r.column_names(8, names.of(r.oid(1)), c);
        c.key("references");
        if (type == 'f') {
            c.begin_object().key("schema").value_or_null(r.str(9)).key("table").value_or_null(
                r.str(10));
            c.key("columns");
            r.column_names(12, names.of(r.oid(11)), c);
            c.key("on_update").value_or_null(action_word(r.character(13)));
            c.key("on_delete").value_or_null(action_word(r.character(14)));
            const char match = r.character(15);
            c.key("match")
                .value(match == 'f'   ? "full"
                       : match == 'p' ? "partial"
                                      : "simple")
                .end_object();
        } else {
            c.null();
        }
        c.key("comment").value_or_null(r.str(16)).end_object();
    });

    table_lists indexes(index, count);
    default_opclasses opclasses;
    for_each_row(query(indexes_sql, oids), [&](const row& r) {
        json_text& i = indexes.of(r.oid(1)).begin_object();
        i.key("name").value(r.str(2)).key("definition");
        if (simple_index_definition(r, names.of(r.oid(1)), qualified[index.at(r.oid(1))], opclasses,
                                    definition))
            i.value(definition);
        else
            i.value(
                text_to_cstring(DatumGetTextPP(DirectFunctionCall1(pg_get_indexdef, r.oid(3)))));
        i.key("unique").value(r.boolean(4));
        i.key("method").value(r.str(5)).key("predicate").value_or_null(r.str(6));
        i.key("nulls_not_distinct")
            .value(r.boolean(7))
            .key("comment")
            .value_or_null(r.str(8))
            .end_object();
    });

    table_lists triggers(index, count);
    for_each_row(query(triggers_sql, oids), [&](const row& r) {
        json_text& t = triggers.of(r.oid(1)).begin_object();
        t.key("name").value(r.str(2)).key("definition").value_or_null(r.str(3));
        t.key("enabled")
            .value_or_null(enabled_word(r.character(4)))
            .key("comment")
            .value_or_null(r.str(5));
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
        parents.of(r.oid(1))
            .begin_object()
            .key("schema")
            .value(r.str(2))
            .key("table")
            .value(r.str(3))
            .end_object();
    });
    for (auto* lists : {&columns, &constraints, &indexes, &triggers, &policies, &parents})
        lists->close();

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
        doc.key("replica_identity")
            .value_or_null(r.str(13))
            .key("comment")
            .value_or_null(r.str(14));
        doc.end_object();
        ++i;
    });
    doc.end_array();
    glue::spi_finish();  // frees the rows; the result is made in the caller's memory context
    Datum result = 0;
    glue::pg_guard([&] {
        result = PointerGetDatum(cstring_to_text_with_len(doc.str().data(), doc.str().size()));
    });
    return result;
}
