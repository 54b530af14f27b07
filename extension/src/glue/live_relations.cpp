// Views, materialized views and sequences of the live snapshot (live_kinds.hpp), read as the
// "views" and "sequences" lists of ender._snapshot_json.
#include "catalog_tables.hpp"
#include "live_kinds.hpp"

namespace ender::glue::catalog {

namespace {

constexpr const char* views_sql = R"sql(
SELECT c.oid, n.nspname::text, c.relname::text, c.relkind = 'm', pg_get_viewdef(c.oid),
       c.reloptions::text[], ds.description
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = c.oid AND ds.objsubid = 0
 WHERE c.relnamespace = ANY ($1) AND c.relkind IN ('v', 'm')
   AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
 ORDER BY n.nspname, c.relname
)sql";

constexpr const char* view_columns_sql = R"sql(
SELECT a.attrelid, a.attname::text, ds.description
  FROM unnest($1) r(oid) JOIN pg_attribute a ON a.attrelid = r.oid
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = a.attrelid AND ds.objsubid = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum
)sql";

// Indexes of materialized views; those that back a constraint are described by the constraint.
constexpr const char* view_indexes_sql = R"sql(
SELECT i.indrelid, ic.relname::text, pg_get_indexdef(i.indexrelid), i.indisunique, ds.description
  FROM unnest($1) r(oid) JOIN pg_index i ON i.indrelid = r.oid
  JOIN pg_class ic ON ic.oid = i.indexrelid
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = i.indexrelid AND ds.objsubid = 0
 WHERE NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
   AND NOT EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
 ORDER BY i.indrelid, ic.relname
)sql";

// The tables and views a view reads (pg_depend through its rewrite rule), each with the columns
// it reads, sorted as names sort (the document's jsonb_agg(DISTINCT attname)).
constexpr const char* view_reads_sql = R"sql(
SELECT rd.ev_class, dn.nspname::text, dc.relname::text, rd.columns::text[]
  FROM (SELECT rw.ev_class, d.refobjid,
               COALESCE(array_agg(DISTINCT a.attname) FILTER (WHERE a.attname IS NOT NULL), '{}') AS columns
          FROM unnest($1) r(oid) JOIN pg_rewrite rw ON rw.ev_class = r.oid
          JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                          AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> rw.ev_class
          LEFT JOIN pg_attribute a ON d.refobjsubid > 0 AND a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
         GROUP BY rw.ev_class, d.refobjid) rd
  JOIN pg_class dc ON dc.oid = rd.refobjid
  JOIN pg_namespace dn ON dn.oid = dc.relnamespace
 ORDER BY rd.ev_class, dn.nspname, dc.relname
)sql";

// The functions a view calls, in the order of the document's jsonb_agg(DISTINCT {schema, name,
// argument_types}): jsonb sorts objects by their values in key order (name, schema,
// argument_types), strings as text in the database's collation.
constexpr const char* view_calls_sql = R"sql(
SELECT DISTINCT rw.ev_class, fn.nspname::text, fp.proname::text, oidvectortypes(fp.proargtypes)
  FROM unnest($1) r(oid) JOIN pg_rewrite rw ON rw.ev_class = r.oid
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid AND d.refclassid = 'pg_proc'::regclass
  JOIN pg_proc fp ON fp.oid = d.refobjid
  JOIN pg_namespace fn ON fn.oid = fp.pronamespace
 WHERE fn.nspname <> 'pg_catalog'
 ORDER BY 1, 3, 2, 4
)sql";

// Identity sequences belong to their column.
constexpr const char* sequences_sql = R"sql(
SELECT c.oid, n.nspname::text, c.relname::text, format_type(s.seqtypid, NULL), s.seqstart,
       s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, ds.description
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_sequence s ON s.seqrelid = c.oid
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = c.oid AND ds.objsubid = 0
 WHERE c.relnamespace = ANY ($1) AND c.relkind = 'S'
   AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype IN ('e', 'i'))
 ORDER BY n.nspname, c.relname
)sql";

// The column a sequence belongs to (OWNED BY).
constexpr const char* sequence_owners_sql = R"sql(
SELECT d.objid, on_.nspname::text, oc.relname::text, a.attname::text
  FROM unnest($1) r(oid)
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = r.oid
                  AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'
  JOIN pg_class oc ON oc.oid = d.refobjid
  JOIN pg_namespace on_ ON on_.oid = oc.relnamespace
  JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
 ORDER BY d.objid
)sql";

}  // namespace

void read_views(Datum schemas, std::vector<engine::view_def>& out) {
    owners views;
    for_each_row(query(views_sql, schemas), [&](const row& r) {
        views.add(r.oid(1));
        engine::view_def v;
        v.id = engine::qualified_name{r.str(2), r.str(3)};
        v.materialized = r.boolean(4);
        v.definition = text_of(r, 5);
        v.options = r.strings(6);
        v.comment = r.opt(7);
        out.push_back(std::move(v));
    });
    views.each_of(view_columns_sql, [&](std::size_t i, const row& r) {
        out[i].column_comments.emplace_back(r.str(2), r.opt(3));
    });
    views.each_of(view_indexes_sql, [&](std::size_t i, const row& r) {
        out[i].indexes.push_back(
            engine::index_def{r.str(2), text_of(r, 3), r.boolean(4), r.opt(5)});
    });
    views.each_of(triggers_query,
                  [&](std::size_t i, const row& r) { write_trigger(r, out[i].triggers); });
    views.each_of(view_reads_sql, [&](std::size_t i, const row& r) {
        engine::qualified_name id{r.str(2), r.str(3)};
        out[i].columns_read[id] = r.strings(4);
        out[i].depends_on.push_back(std::move(id));
    });
    views.each_of(view_calls_sql, [&](std::size_t i, const row& r) {
        out[i].functions.emplace_back(engine::qualified_name{r.str(2), r.str(3)}, text_of(r, 4));
    });
}

void read_sequences(Datum schemas, std::vector<engine::sequence_def>& out) {
    owners sequences;
    for_each_row(query(sequences_sql, schemas), [&](const row& r) {
        sequences.add(r.oid(1));
        engine::sequence_def s;
        s.id = engine::qualified_name{r.str(2), r.str(3)};
        s.type = text_of(r, 4);
        s.start = r.bigint(5);
        s.increment = r.bigint(6);
        s.min = r.bigint(7);
        s.max = r.bigint(8);
        s.cache = r.bigint(9);
        s.cycle = r.boolean(10);
        s.comment = r.opt(11);
        out.push_back(std::move(s));
    });
    sequences.each_of(sequence_owners_sql, [&](std::size_t i, const row& r) {
        out[i].owned_by = {engine::qualified_name{r.str(2), r.str(3)}, text_of(r, 4)};
    });
}

}  // namespace ender::glue::catalog
