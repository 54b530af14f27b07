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
#include "catalog_definitions.hpp"
#include "catalog_names.hpp"
#include "catalog_rows.hpp"
#include "guard.hpp"
#include "spi.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

using namespace ender;
using namespace ender::glue::catalog;
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
    glue::spi_scope spi;

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
    spi.finish();  // frees the rows; the result is made in the caller's memory context
    Datum result = 0;
    glue::pg_guard([&] {
        result = PointerGetDatum(cstring_to_text_with_len(doc.str().data(), doc.str().size()));
    });
    return result;
}
