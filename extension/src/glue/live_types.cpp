// Collations, enums, domains and composite types of the live snapshot (live_kinds.hpp), read as
// the "collations", "enums", "domains" and "composite_types" lists of ender._snapshot_json.
#include "live_kinds.hpp"

namespace ender::glue::catalog {

namespace {

// Extension members are described by their extension (the NOT EXISTS of each query).
constexpr const char* collations_sql = R"sql(
SELECT n.nspname::text, c.collname::text,
       CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'c' THEN 'libc' ELSE 'default' END,
       CASE WHEN c.collprovider = 'i' THEN c.colliculocale END,
       CASE WHEN c.collprovider = 'c' THEN c.collcollate END,
       CASE WHEN c.collprovider = 'c' THEN c.collctype END,
       c.collisdeterministic, ds.description
  FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_collation'::regclass AND ds.objoid = c.oid AND ds.objsubid = 0
 WHERE c.collnamespace = ANY ($1)
   AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_collation'::regclass AND e.objid = c.oid AND e.deptype = 'e')
 ORDER BY n.nspname, c.collname
)sql";

// The enums, domains and composite types, in document order (each kind's list keeps it).
constexpr const char* types_sql = R"sql(
SELECT t.oid, n.nspname::text, t.typname::text, ds.description, t.typtype,
       CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e
                                             WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END,
       format_type(t.typbasetype, t.typtypmod), t.typnotnull, pg_get_expr(t.typdefaultbin, 0),
       CASE WHEN t.typcollation <> bt.typcollation
            THEN (SELECT quote_ident(co.collname) FROM pg_collation co WHERE co.oid = t.typcollation) END,
       t.typrelid
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
  LEFT JOIN pg_class k ON k.oid = t.typrelid
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_type'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
 WHERE t.typnamespace = ANY ($1) AND (t.typtype IN ('e', 'd') OR t.typtype = 'c' AND k.relkind = 'c')
   AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
 ORDER BY n.nspname, t.typname
)sql";

constexpr const char* domain_constraints_sql = R"sql(
SELECT c.contypid, c.conname::text, pg_get_constraintdef(c.oid), c.convalidated,
       obj_description(c.oid, 'pg_constraint')
  FROM unnest($1) d(oid) JOIN pg_constraint c ON c.contypid = d.oid
 ORDER BY c.contypid, c.conname
)sql";

// A collation is named only when it differs from the type's default.
constexpr const char* attributes_sql = R"sql(
SELECT a.attrelid, a.attname::text, format_type(a.atttypid, a.atttypmod),
       CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0
            THEN CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                      ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END,
       ds.description
  FROM unnest($1) r(oid) JOIN pg_attribute a ON a.attrelid = r.oid
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = a.attrelid AND ds.objsubid = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum
)sql";

}  // namespace

void read_collations(Datum schemas, std::vector<engine::collation_def>& out) {
    for_each_row(query(collations_sql, schemas), [&](const row& r) {
        out.push_back(engine::collation_def{
            {r.str(1), r.str(2)}, r.str(3), r.opt(4), r.opt(5), r.opt(6), r.boolean(7), r.opt(8)});
    });
}

void read_types(Datum schemas, engine::snapshot& s) {
    owners domains, relations;  // a composite type's pg_class row holds its attributes
    for_each_row(query(types_sql, schemas), [&](const row& r) {
        engine::qualified_name id{r.str(2), r.str(3)};
        switch (r.character(5)) {
            case 'e':
                s.enums.push_back(engine::enum_def{std::move(id), r.strings(6), r.opt(4)});
                break;
            case 'd':
                domains.add(r.oid(1));
                s.domains.push_back(engine::domain_def{
                    std::move(id), text_of(r, 7), r.boolean(8), r.opt(9), r.opt(10), r.opt(4), {}});
                break;
            default:
                relations.add(r.oid(11));
                s.composite_types.push_back(engine::composite_def{std::move(id), {}, r.opt(4)});
        }
    });
    domains.each_of(domain_constraints_sql, [&](std::size_t i, const row& r) {
        s.domains[i].constraints.push_back(engine::constraint_def{
            r.str(2), "check", text_of(r, 3), r.boolean(4), false, false, r.opt(5), {}});
    });
    relations.each_of(attributes_sql, [&](std::size_t i, const row& r) {
        s.composite_types[i].attributes.push_back(
            engine::column_def{r.str(2), text_of(r, 3), false, {}, {}, {}, r.opt(4), r.opt(5)});
    });
}

}  // namespace ender::glue::catalog
