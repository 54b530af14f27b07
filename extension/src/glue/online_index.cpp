// Online jobs that build or drop an index (add_unique, add_primary_key, create_index,
// drop_index): the index's state as the worker sees it, the index a drop_index names, and the
// rollback a drop can no longer have. docs/zero-downtime.md.
#include "online_jobs.hpp"

#include "../engine/error.hpp"
#include "../engine/quote.hpp"
#include "guard.hpp"
#include "spi.hpp"

namespace ender::glue {

std::string index_state(const std::string& schema, const std::string& index) {
    pinned_search_path pinned;
    pinned.push();
    auto rows = run_cached(
        "SELECT i.indisvalid FROM pg_catalog.pg_index i"
        "  JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
        "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = $1 AND c.relname = $2",
        {schema, index});
    pinned.pop();
    return rows.empty() ? std::string() : *rows.front()[0];
}

void find_dropped_index(const std::string& revision, engine::online_operation& op,
                        std::string& schema) {
    const std::string shown = (op.schema ? *op.schema + "." : std::string()) + op.index;
    auto rows = run_cached(
        "SELECT n.nspname, t.relname, c.relkind, t.relkind,"
        "       (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(k.conname) || ' on table ' ||"
        "                                     k.conrelid::pg_catalog.regclass::text, ', ')"
        "          FROM pg_catalog.pg_constraint k WHERE k.conindid = c.oid)"
        "  FROM pg_catalog.pg_class c"
        "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        "  LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid"
        "  LEFT JOIN pg_catalog.pg_class t ON t.oid = i.indrelid"
        " WHERE c.oid = pg_catalog.to_regclass($1)",
        {(op.schema ? engine::quote_ident(*op.schema) + "." : std::string()) +
         engine::quote_ident(op.index)});
    if (rows.empty() || (*rows.front()[2] != "i" && *rows.front()[2] != "I"))
        throw engine::error(engine::sqlstate::undefined_object,
                            "index \"" + shown + "\" does not exist",
                            "The online operation of revision \"" + revision + "\" names it" +
                                (op.schema ? "." : "; it is looked up through the search_path."));
    const auto& r = rows.front();
    if (*r[2] == "I" || *r[3] != "r")
        throw engine::error(engine::sqlstate::feature_not_supported,
                            "index \"" + shown + "\" cannot be dropped online",
                            "drop_index drops the index of an ordinary table CONCURRENTLY; this "
                            "one belongs to a partitioned table, or to no ordinary table.",
                            "Drop it in the upgrade section of a plain revision.");
    if (r[4])
        throw engine::error(
            "2BP01",
            "cannot drop index \"" + shown + "\" because constraint " + *r[4] + " requires it", "",
            "Drop the constraint instead, in a plain revision.");
    schema = *r[0];
    op.table = *r[1];
}

void refuse_rollback_after_drop(const std::string& revision, const std::string& phase,
                                const std::string& schema, const std::string& index) {
    const std::string name = schema + "." + index;
    if (phase == "validate" || phase == "ready")
        throw engine::error(
            engine::sqlstate::object_not_in_prerequisite_state,
            "online revision \"" + revision + "\" cannot be rolled back: it drops index \"" + name +
                "\"",
            phase == "ready" ? "Its worker has dropped the index; a rollback cannot bring it back."
                             : "Its worker is dropping the index CONCURRENTLY; a rollback cannot "
                               "bring it back.",
            "Complete it with ender_complete('" + revision + "') (after CALL ender_wait('" +
                revision + "')), and create the index again in a later revision if it is needed.");
    if (index_state(schema, index) == "f")
        pg_guard([&] {
            ereport(NOTICE,
                    (errmsg("index \"%s\" stays invalid", name.c_str()),
                     errdetail("The failed DROP INDEX CONCURRENTLY of online revision \"%s\" left "
                               "it invalid: queries do not use it, writes still maintain it.",
                               revision.c_str()),
                     errhint("Drop it with DROP INDEX CONCURRENTLY, or make it valid again with "
                             "REINDEX INDEX CONCURRENTLY.")));
        });
}

}  // namespace ender::glue
