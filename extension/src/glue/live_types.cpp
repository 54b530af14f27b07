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

// The user types of one kind: oid, schema, name, comment, then what the kind has.
constexpr const char* enums_sql = R"sql(
SELECT t.oid, n.nspname::text, t.typname::text, ds.description,
       ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_type'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
 WHERE t.typnamespace = ANY ($1) AND t.typtype = 'e'
   AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
 ORDER BY n.nspname, t.typname
)sql";

constexpr const char* domains_sql = R"sql(
SELECT t.oid, n.nspname::text, t.typname::text, ds.description,
       format_type(t.typbasetype, t.typtypmod), t.typnotnull, pg_get_expr(t.typdefaultbin, 0),
       CASE WHEN t.typcollation <> bt.typcollation
            THEN (SELECT quote_ident(co.collname) FROM pg_collation co WHERE co.oid = t.typcollation) END
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_type bt ON bt.oid = t.typbasetype
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_type'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
 WHERE t.typnamespace = ANY ($1) AND t.typtype = 'd'
   AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
 ORDER BY n.nspname, t.typname
)sql";

constexpr const char* domain_constraints_sql = R"sql(
SELECT c.contypid, c.conname::text, pg_get_constraintdef(c.oid), c.convalidated,
       obj_description(c.oid, 'pg_constraint')
  FROM unnest($1) d(oid) JOIN pg_constraint c ON c.contypid = d.oid
 ORDER BY c.contypid, c.conname
)sql";

constexpr const char* composites_sql = R"sql(
SELECT t.oid, n.nspname::text, t.typname::text, ds.description, t.typrelid
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_class k ON k.oid = t.typrelid AND k.relkind = 'c'
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_type'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
 WHERE t.typnamespace = ANY ($1) AND t.typtype = 'c'
   AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
 ORDER BY n.nspname, t.typname
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

engine::qualified_name type_name(const row& r) {
    return engine::qualified_name{r.str(2), r.str(3)};
}

}  // namespace

void read_collations(Datum schemas, std::vector<engine::collation_def>& out) {
    for_each_row(query(collations_sql, schemas), [&](const row& r) {
        out.push_back(engine::collation_def{
            {r.str(1), r.str(2)}, r.str(3), r.opt(4), r.opt(5), r.opt(6), r.boolean(7), r.opt(8)});
    });
}

void read_enums(Datum schemas, std::vector<engine::enum_def>& out) {
    for_each_row(query(enums_sql, schemas), [&](const row& r) {
        out.push_back(engine::enum_def{type_name(r), r.strings(5), r.opt(4)});
    });
}

void read_domains(Datum schemas, std::vector<engine::domain_def>& out) {
    owners domains;
    for_each_row(query(domains_sql, schemas), [&](const row& r) {
        domains.add(r.oid(1));
        out.push_back(engine::domain_def{
            type_name(r), text_of(r, 5), r.boolean(6), r.opt(7), r.opt(8), r.opt(4), {}});
    });
    domains.each_of(domain_constraints_sql, [&](std::size_t i, const row& r) {
        out[i].constraints.push_back(engine::constraint_def{
            r.str(2), "check", text_of(r, 3), r.boolean(4), false, false, r.opt(5), {}});
    });
}

void read_composite_types(Datum schemas, std::vector<engine::composite_def>& out) {
    owners relations;  // the composite types' pg_class rows hold their attributes
    for_each_row(query(composites_sql, schemas), [&](const row& r) {
        relations.add(r.oid(5));
        out.push_back(engine::composite_def{type_name(r), {}, r.opt(4)});
    });
    relations.each_of(attributes_sql, [&](std::size_t i, const row& r) {
        out[i].attributes.push_back(
            engine::column_def{r.str(2), text_of(r, 3), false, {}, {}, {}, r.opt(4), r.opt(5)});
    });
}

}  // namespace ender::glue::catalog
