// The live schema read into the engine's snapshot (live_snapshot.hpp): the schemas a snapshot
// covers are resolved by ender._snapshot_schemas (its checks and errors), then one reader per
// kind (live_kinds.hpp, catalog_tables.hpp) fills its list, under the settings
// ender._snapshot_json pins. A snapshot with privileges is still read through the document
// (ender_snapshot(schemas, true), whose privileges are added to the jsonb by SQL).
#include "live_snapshot.hpp"

#include "catalog_tables.hpp"
#include "guard.hpp"
#include "live_kinds.hpp"
#include "spi.hpp"

#include <exception>

namespace ender::glue {

namespace {

using namespace catalog;

// The oid[] of the schemas a snapshot of `schemas` covers (valid until SPI_finish).
Datum covered_schemas(const std::vector<std::string>* schemas) {
    Datum covered = 0;
    pg_guard([&] {
        Oid types[1] = {TEXTARRAYOID};
        Datum values[1] = {0};
        char nulls[1] = {'n'};
        if (schemas) {
            Datum* items = static_cast<Datum*>(palloc(sizeof(Datum) * (schemas->size() + 1)));
            for (std::size_t i = 0; i < schemas->size(); ++i)
                items[i] = PointerGetDatum(
                    cstring_to_text_with_len((*schemas)[i].data(), (*schemas)[i].size()));
            values[0] = PointerGetDatum(construct_array(items, static_cast<int>(schemas->size()),
                                                        TEXTOID, -1, false, TYPALIGN_INT));
            nulls[0] = ' ';
        }
        int rc = SPI_execute_with_args("SELECT ender._snapshot_schemas($1)", 1, types, values,
                                       nulls, true, 1);
        if (rc != SPI_OK_SELECT || SPI_processed != 1)
            elog(ERROR, "ender could not resolve the schemas of a snapshot: %s",
                 SPI_result_code_string(rc));
        bool null = false;
        covered = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &null);
        // An empty list of schemas covers none (array_agg of no rows is null).
        if (null) covered = PointerGetDatum(construct_empty_array(OIDOID));
    });
    return covered;
}

constexpr const char* schemas_sql = R"sql(
SELECT n.nspname::text, obj_description(n.oid, 'pg_namespace')
  FROM pg_namespace n WHERE n.oid = ANY ($1) ORDER BY n.nspname
)sql";

// Extensions: those installed in the schemas read, or every one when all schemas are read.
constexpr const char* extensions_sql = R"sql(
SELECT x.extname::text, n.nspname::text, x.extversion, obj_description(x.oid, 'pg_extension')
  FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
 WHERE x.extname <> 'ender' AND x.extnamespace = ANY ($1)
 ORDER BY x.extname
)sql";
constexpr const char* all_extensions_sql = R"sql(
SELECT x.extname::text, n.nspname::text, x.extversion, obj_description(x.oid, 'pg_extension')
  FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
 WHERE x.extname <> 'ender' AND $1 IS NOT NULL
 ORDER BY x.extname
)sql";

// Range types, aggregates, operators, casts and text search objects: still read by their SQL
// functions as json (few in most schemas) and parsed as a document of these lists alone.
constexpr const char* catalog_objects_sql = R"sql(
SELECT json_build_object('format', 'ender-snapshot', 'version', 1,
    'schemas', '[]'::json, 'extensions', '[]'::json, 'enums', '[]'::json, 'domains', '[]'::json,
    'composite_types', '[]'::json, 'sequences', '[]'::json, 'tables', '[]'::json,
    'views', '[]'::json, 'functions', '[]'::json, 'event_triggers', '[]'::json,
    'range_types', COALESCE(ender._snapshot_range_types($1), '[]'),
    'aggregates', COALESCE(ender._snapshot_aggregates($1), '[]'),
    'operators', COALESCE(ender._snapshot_operators($1), '[]'),
    'casts', COALESCE(ender._snapshot_casts($1), '[]'),
    'text_search_dictionaries', COALESCE(ender._snapshot_text_search_dictionaries($1), '[]'),
    'text_search_configurations', COALESCE(ender._snapshot_text_search_configurations($1), '[]'))::text
)sql";

void read_catalog_objects(Datum schemas, engine::snapshot& s) {
    std::string text;
    for_each_row(query(catalog_objects_sql, schemas), [&](const row& r) { text = r.str(1); });
    engine::snapshot parsed = engine::parse_snapshot(text);
    s.range_types = std::move(parsed.range_types);
    s.range_types_listed = true;
    s.aggregates = std::move(parsed.aggregates);
    s.operators = std::move(parsed.operators);
    s.casts = std::move(parsed.casts);
    s.text_search_dictionaries = std::move(parsed.text_search_dictionaries);
    s.text_search_configurations = std::move(parsed.text_search_configurations);
    s.aggregates_listed = s.operators_listed = s.casts_listed = s.text_search_listed = true;
}

// The catalogs as a statement run now would see them: what this transaction (and, in READ
// COMMITTED, others) changed before, such as the renames ender_diff tries or the objects a
// normalising build made. The readers' queries (read-only SPI) and catalog scans use it.
class current_snapshot {
public:
    current_snapshot() : exceptions_(std::uncaught_exceptions()) {
        pg_guard([] {
            CommandCounterIncrement();
            PushActiveSnapshot(GetTransactionSnapshot());
            UpdateActiveSnapshotCommandId();
        });
    }
    ~current_snapshot() {
        if (std::uncaught_exceptions() > exceptions_) return;  // the abort pops it
        try {
            pg_guard([] { PopActiveSnapshot(); });
        } catch (...) {
        }
    }
    current_snapshot(const current_snapshot&) = delete;
    current_snapshot& operator=(const current_snapshot&) = delete;

private:
    int exceptions_;
};

// The snapshot read from the catalogs into the structures.
engine::snapshot read_live(const std::vector<std::string>* schemas) {
    engine::snapshot s;
    spi_scope spi;  // everything palloc'd here is freed when it ends
    pinned_search_path pinned(true);
    current_snapshot now;
    const Datum covered = covered_schemas(schemas);
    s.deparsed_by = PG_VERSION_NUM / 10000;
    for_each_row(query(schemas_sql, covered), [&](const row& r) {
        s.schemas.push_back(engine::schema_def{r.str(1), r.opt(2)});
    });
    for_each_row(query(schemas ? extensions_sql : all_extensions_sql, covered), [&](const row& r) {
        s.extensions.push_back(engine::extension_def{r.str(1), r.str(2), text_of(r, 3), r.opt(4)});
    });
    s.collations_listed = true;
    read_collations(covered, s.collations);
    read_types(covered, s);
    read_sequences(covered, s.sequences);
    read_tables(covered, s.tables);
    read_views(covered, s.views);
    read_functions(covered, s.functions);
    read_event_triggers(covered, s.event_triggers);
    read_catalog_objects(covered, s);
    return s;
}

}  // namespace

// The snapshot parsed from the document ender_snapshot writes (the path before read_live, kept
// for privileges and for ender._live_snapshot_mismatch).
engine::snapshot read_snapshot_document(const std::vector<std::string>* schemas, bool privileges) {
    // Without privileges the snapshot's json text is parsed as it is built (no jsonb round trip).
    // (Each statement text keeps one cached plan, so the NULL and the list forms are separate.)
    std::vector<text_row> rows;
    if (!schemas)
        rows = privileges ? run_cached("SELECT pg_catalog.ender_snapshot(NULL, true)::text")
                          : run_cached("SELECT ender._snapshot_json(NULL)::text");
    else
        rows = privileges ? run_cached("SELECT pg_catalog.ender_snapshot($1::text[], true)::text",
                                       {sql_param(*schemas)})
                          : run_cached("SELECT ender._snapshot_json($1::text[])::text",
                                       {sql_param(*schemas)});
    return engine::parse_snapshot(*rows.at(0).at(0));
}

engine::snapshot read_snapshot(const std::vector<std::string>* schemas, bool privileges) {
    return privileges ? read_snapshot_document(schemas, true) : read_live(schemas);
}

engine::snapshot read_live_snapshot(const std::vector<std::string>* schemas) {
    return read_live(schemas);
}

}  // namespace ender::glue
