// The tables of a snapshot, read from the catalogs in C++: ender._snapshot_tables(schemas oid[])
// returns the "tables" list of the snapshot document (docs/snapshot-format.md) as json text, and
// read_tables (catalog_tables.hpp) reads the same tables into the engine's structures for the
// live side of a diff (live_snapshot.hpp): one reading, two writers.
//
// Tables are most of a schema (a 2,000-table schema has 42,000 columns, 9,000 constraints and
// 6,000 indexes), and building their objects in SQL (json_build_object per column, json_agg
// per table, the joins that bring each list to its table) cost more than reading the catalogs.
// Columns, constraints and indexes are read straight from their catalogs by one reader each
// (catalog_table_parts.hpp): no SQL statement between the catalog rows and the text. The
// smaller lists (triggers, policies, parents) come from one flat query each, ordered by table.
// Expressions still come from the server's deparsers (pg_get_expr, pg_get_constraintdef, ...),
// as everywhere else.
//
// Called by ender._snapshot_json, which pins the session settings the deparsers depend on.
#include "pg.hpp"  // first: PostgreSQL headers before any engine header

#include "../engine/json_text.hpp"
#include "catalog_tables.hpp"

#include "catalog_rows.hpp"
#include "catalog_table_parts.hpp"
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

}  // namespace

namespace ender::glue::catalog {

// Triggers of tables and views (their oids, $1), by table and name.
const char* const triggers_query = R"sql(
SELECT t.tgrelid, t.tgname::text, pg_get_triggerdef(t.oid), t.tgenabled, ds.description
  FROM unnest($1) r(oid)
  JOIN pg_trigger t ON t.tgrelid = r.oid
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_trigger'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
 WHERE NOT t.tgisinternal AND t.tgparentid = 0
 ORDER BY t.tgrelid, t.tgname
)sql";

}  // namespace ender::glue::catalog

namespace {

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

// The tables and what their lists' readers share, read once for either output.
struct tables_read {
    SPITupleTable* rows = nullptr;
    std::vector<Oid> oids;
    std::vector<std::string> qualified;  // schema.table, quoted
    std::unordered_map<Oid, std::size_t> index;
    descriptions comments;
    column_store names;

    explicit tables_read(Datum schemas) : rows(query(tables_sql, schemas)) {
        oids.reserve(rows->numvals);
        for_each_row(rows, [&](const row& r) {
            oids.push_back(r.oid(1));
            qualified.emplace_back(quote_qualified_identifier(r.str(2), r.str(3)));
        });
        index.reserve(oids.size());
        for (std::size_t i = 0; i < oids.size(); ++i) index.emplace(oids[i], i);
        glue::pg_guard([&] { comments.load(); });
    }
    table_set set() { return table_set{oids, qualified, comments, names, {}}; }
    // Calls each(i, row) for the rows of `sql` (tables' oids as $1, ordered by table), i the
    // index of the row's table (column 1).
    template <typename F>
    void each_of(const char* sql, F&& each) {
        for_each_row(query(sql, oid_array(oids)),
                     [&](const row& r) { each(index.at(r.oid(1)), r); });
    }
};

// One trigger, policy or parent of a table: into its JSON list, or into the engine's object.
void write_trigger(const row& r, json_text& list) {
    json_text& t = list.begin_object();
    t.key("name").value(r.str(2)).key("definition").value_or_null(r.str(3));
    t.key("enabled")
        .value_or_null(enabled_word(r.character(4)))
        .key("comment")
        .value_or_null(r.str(5));
    t.end_object();
}
void write_policy(const row& r, json_text& list) {
    json_text& p = list.begin_object();
    p.key("name").value(r.str(2)).key("command").value(command_word(r.character(3)));
    p.key("permissive").value(r.boolean(4)).key("roles");
    r.strings(5, p);
    p.key("using").value_or_null(r.str(6)).key("with_check").value_or_null(r.str(7));
    p.key("comment").value_or_null(r.str(8)).end_object();
}
void write_policy(const row& r, engine::table_def& t) {
    t.policies.push_back(engine::policy_def{r.str(2), command_word(r.character(3)), r.boolean(4),
                                            r.strings(5), r.opt(6), r.opt(7), r.opt(8)});
}
void write_parent(const row& r, json_text& list) {
    list.begin_object().key("schema").value(r.str(2)).key("table").value(r.str(3)).end_object();
}
void write_parent(const row& r, engine::table_def& t) {
    t.inherits.push_back(engine::qualified_name{r.str(2), r.str(3)});
}

// The lists of one kind (triggers, policies, parents) of every table, as JSON arrays.
class table_lists {
public:
    explicit table_lists(std::size_t count) : lists_(count) {
        for (auto& l : lists_) l.begin_array();
    }
    json_text& operator[](std::size_t i) { return lists_[i]; }
    // Closes every list; then list(i) is the JSON array of the i-th table.
    void close() {
        for (auto& l : lists_) l.end_array();
    }
    std::string_view list(std::size_t i) const { return lists_[i].str(); }

private:
    std::vector<json_text> lists_;
};

}  // namespace

namespace ender::glue::catalog {

void write_trigger(const row& r, std::vector<engine::trigger_def>& triggers) {
    const char* definition = r.str(3);
    const char* enabled = enabled_word(r.character(4));
    triggers.push_back(engine::trigger_def{r.str(2), definition ? definition : "",
                                           enabled ? enabled : "", r.opt(5)});
}

void read_tables(Datum schemas, std::vector<engine::table_def>& tables) {
    tables_read read(schemas);
    table_set set = read.set();
    tables.clear();
    tables.resize(read.oids.size());
    read_columns(set, tables);
    read_constraints(set, tables);
    read_indexes(set, tables);
    read.each_of(triggers_query,
                 [&](std::size_t i, const row& r) { write_trigger(r, tables[i].triggers); });
    read.each_of(policies_sql, [&](std::size_t i, const row& r) { write_policy(r, tables[i]); });
    read.each_of(parents_sql, [&](std::size_t i, const row& r) { write_parent(r, tables[i]); });
    std::size_t i = 0;
    for_each_row(read.rows, [&](const row& r) {
        engine::table_def& t = tables[i++];
        t.id = engine::qualified_name{r.str(2), r.str(3)};
        t.partitioned = r.boolean(4);
        t.unlogged = r.boolean(5);
        t.partition_key = r.opt(6);
        if (r.boolean(7)) {
            const char* bound = r.str(10);
            t.partition_of = engine::partition_parent{r.str(8), r.str(9), bound ? bound : ""};
            t.inherits.clear();
        }
        t.row_security = r.boolean(11);
        t.force_row_security = r.boolean(12);
        const char* identity = r.str(13);
        t.replica_identity = identity ? identity : "";
        t.comment = r.opt(14);
    });
}

}  // namespace ender::glue::catalog

// ender._snapshot_tables(schemas oid[]) RETURNS json
ENDER_FUNCTION(ender_snapshot_tables) {
    Datum schemas = PG_GETARG_DATUM(0);
    glue::spi_scope spi;
    tables_read read(schemas);
    const std::size_t count = read.oids.size();

    // Columns, constraints and indexes: most of the document, read straight from the catalogs.
    table_set set = read.set();
    std::vector<json_text> columns, constraints, indexes;
    read_columns(set, columns);
    read_constraints(set, constraints);
    read_indexes(set, indexes);

    table_lists triggers(count), policies(count), parents(count);
    read.each_of(triggers_query,
                 [&](std::size_t i, const row& r) { write_trigger(r, triggers[i]); });
    read.each_of(policies_sql, [&](std::size_t i, const row& r) { write_policy(r, policies[i]); });
    read.each_of(parents_sql, [&](std::size_t i, const row& r) { write_parent(r, parents[i]); });
    for (auto* lists : {&triggers, &policies, &parents}) lists->close();

    // The tables, in the order of the first query, with their lists.
    json_text doc;
    doc.begin_array();
    std::size_t i = 0;
    for_each_row(read.rows, [&](const row& r) {
        doc.begin_object();
        doc.key("schema").value(r.str(2)).key("name").value(r.str(3));
        doc.key("partitioned").value(r.boolean(4)).key("unlogged").value(r.boolean(5));
        doc.key("columns").raw(columns[i].str()).key("constraints").raw(constraints[i].str());
        doc.key("indexes").raw(indexes[i].str()).key("triggers").raw(triggers.list(i));
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
