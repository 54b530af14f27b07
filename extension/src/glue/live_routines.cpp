// Functions, procedures and event triggers of the live snapshot (live_kinds.hpp), read as the
// "functions" and "event_triggers" lists of ender._snapshot_json.
#include "live_kinds.hpp"

namespace ender::glue::catalog {

namespace {

// Aggregates are read with their options (ender._snapshot_aggregates).
constexpr const char* functions_sql = R"sql(
SELECT p.oid, n.nspname::text, p.proname::text,
       CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'w' THEN 'window' ELSE 'function' END,
       pg_get_function_identity_arguments(p.oid), oidvectortypes(p.proargtypes),
       pg_get_function_result(p.oid), l.lanname::text, pg_get_functiondef(p.oid), ds.description
  FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_language l ON l.oid = p.prolang
  LEFT JOIN pg_description ds ON ds.classoid = 'pg_proc'::regclass AND ds.objoid = p.oid AND ds.objsubid = 0
 WHERE p.pronamespace = ANY ($1) AND p.prokind <> 'a'
   AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
   -- a range type's constructors are the type's
   AND NOT EXISTS (SELECT FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass AND i.objid = p.oid
                                             AND i.refclassid = 'pg_type'::regclass AND i.deptype = 'i')
 ORDER BY n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)
)sql";

// The tables and views a SQL-standard body reads, in the order of the document's
// jsonb_agg(DISTINCT {schema, name}): by name, then schema, as text in the database's collation.
constexpr const char* function_reads_sql = R"sql(
SELECT DISTINCT d.objid, dn.nspname::text, dc.relname::text
  FROM unnest($1) f(oid)
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = f.oid
                  AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'n'
  JOIN pg_class dc ON dc.oid = d.refobjid
  JOIN pg_namespace dn ON dn.oid = dc.relnamespace
 ORDER BY 1, 3, 2
)sql";

constexpr const char* event_triggers_sql = R"sql(
SELECT e.evtname::text, e.evtevent::text, e.evtfoid::regproc::text, e.evttags, e.evtenabled,
       obj_description(e.oid, 'pg_event_trigger')
  FROM pg_event_trigger e JOIN pg_proc p ON p.oid = e.evtfoid
 WHERE p.pronamespace = ANY ($1)
   AND NOT EXISTS (SELECT FROM pg_depend m WHERE m.classid = 'pg_event_trigger'::regclass AND m.objid = e.oid AND m.deptype = 'e')
 ORDER BY e.evtname
)sql";

}  // namespace

void read_functions(Datum schemas, std::vector<engine::function_def>& out) {
    owners functions;
    for_each_row(query(functions_sql, schemas), [&](const row& r) {
        functions.add(r.oid(1));
        out.push_back(engine::function_def{{r.str(2), r.str(3)},
                                           r.str(4),
                                           text_of(r, 5),
                                           text_of(r, 7),
                                           text_of(r, 8),
                                           text_of(r, 9),
                                           r.opt(10),
                                           text_of(r, 6),
                                           {}});
    });
    functions.each_of(function_reads_sql, [&](std::size_t i, const row& r) {
        out[i].depends_on.push_back(engine::qualified_name{r.str(2), r.str(3)});
    });
}

void read_event_triggers(Datum schemas, std::vector<engine::event_trigger_def>& out) {
    for_each_row(query(event_triggers_sql, schemas), [&](const row& r) {
        const char* enabled = enabled_word(r.character(5));
        out.push_back(engine::event_trigger_def{r.str(1), r.str(2), text_of(r, 3),
                                                enabled ? enabled : "", r.strings(4), r.opt(6)});
    });
}

}  // namespace ender::glue::catalog
