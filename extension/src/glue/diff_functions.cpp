// ender_diff's engine calls: the live schema against a target document, or two documents
// against each other. Against the live schema, the renames the target declares are tried in a
// rolled-back subtransaction first (PostgreSQL rewrites the definitions that mention a renamed
// object, so the rest of the diff is computed against the schema they leave), and a target not
// written by ender_snapshot is normalised through the server (normalize.hpp).
#include "pg.hpp"  // first: PostgreSQL headers before any engine header

#include "../engine/diff.hpp"
#include "../engine/error.hpp"
#include "../engine/online_forms.hpp"
#include "../engine/renames.hpp"
#include "../engine/snapshot.hpp"
#include "conversions.hpp"
#include "guard.hpp"
#include "hazards.hpp"
#include "normalize.hpp"
#include "snapshot_jsonb.hpp"
#include "spi.hpp"
#include "state.hpp"
#include "trial.hpp"

#include <algorithm>
#include <set>

using namespace ender;

namespace {

// The diff's options: online, the casts the server has (conversions.hpp), and the volatility of
// the functions the target's column defaults call, from pg_proc (the engine reads no catalog).
// A name matches every function of that name (in that schema when qualified); any volatile
// overload makes it volatile.
engine::diff_options options_arg(FunctionCallInfo fcinfo, int n, const engine::snapshot& target) {
    engine::diff_options options;
    options.online = n >= PG_NARGS() || PG_ARGISNULL(n) || PG_GETARG_BOOL(n);
    options.cast_exists = glue::cast_exists;
    std::set<std::string> names;
    for (const auto& t : target.tables)
        for (const auto& c : t.columns)
            if (c.default_expr)
                for (auto& f : engine::online_form::called_functions(*c.default_expr))
                    names.insert(f);
    if (names.empty()) return options;
    glue::pinned_search_path pinned;
    for (const auto& r : glue::run_cached(
             "SELECT u.name, CASE WHEN pg_catalog.bool_or(p.provolatile = 'v') THEN 'v'"
             "                    WHEN pg_catalog.bool_or(p.provolatile = 's') THEN 's' ELSE 'i' "
             "END"
             "  FROM pg_catalog.unnest($1::text[]) AS u(name)"
             "  CROSS JOIN LATERAL pg_catalog.parse_ident(u.name, false) AS i(parts)"
             "  JOIN pg_catalog.pg_proc p ON p.proname = i.parts[pg_catalog.cardinality(i.parts)]"
             "  JOIN pg_catalog.pg_namespace s ON s.oid = p.pronamespace"
             " WHERE pg_catalog.cardinality(i.parts) = 1"
             "    OR s.nspname = i.parts[pg_catalog.cardinality(i.parts) - 1]"
             " GROUP BY u.name",
             {std::vector<std::string>(names.begin(), names.end())}))
        options.function_volatility.emplace(*r[0], (*r[1])[0]);
    return options;
}

// The steps' hazards from the one classifier (hazards.hpp), over their SQL in order: the words
// ender_hazards gives the same statements. The engine's own words stay for a step the
// parser does not read (none is known; the diff tests parse every planned line), and its
// rewrites_table stays where the statements do not show it: rows of a table copied into the
// table created anew for a new partition key.
void classify(std::vector<engine::diff_step>& steps) {
    glue::hazard_context context;
    for (auto& s : steps) {
        try {
            bool rewrites = std::find(s.hazards.begin(), s.hazards.end(),
                                      engine::hazard::rewrites_table) != s.hazards.end();
            s.hazards = glue::sql_hazards(s.sql, context);
            if (rewrites && std::find(s.hazards.begin(), s.hazards.end(),
                                      engine::hazard::rewrites_table) == s.hazards.end()) {
                // In the classifier's order: after takes_access_exclusive and blocks_writes.
                auto at = s.hazards.begin();
                while (at != s.hazards.end() && (*at == engine::hazard::access_exclusive ||
                                                 *at == engine::hazard::blocks_writes))
                    ++at;
                s.hazards.insert(at, engine::hazard::rewrites_table);
            }
        } catch (const glue::pg_error&) {
            // pg_guard has copied and flushed the error: the engine's words stay.
        }
    }
}

// Returns `steps` as the rows of ender_diff's result.
Datum return_steps(FunctionCallInfo fcinfo, std::vector<engine::diff_step> steps) {
    classify(steps);
    glue::pg_guard([&] {
        InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        auto text = [](const std::string& s) {
            return PointerGetDatum(cstring_to_text_with_len(s.data(), s.size()));
        };
        int number = 0;
        for (const auto& s : steps) {
            Datum* hazards = static_cast<Datum*>(palloc(sizeof(Datum) * (s.hazards.size() + 1)));
            for (std::size_t i = 0; i < s.hazards.size(); ++i) hazards[i] = text(s.hazards[i]);
            Datum values[8] = {
                Int32GetDatum(++number),
                text(s.sql),
                s.reverse_sql ? text(*s.reverse_sql) : (Datum)0,
                text(s.object_kind),
                text(s.object_name),
                PointerGetDatum(construct_array(hazards, static_cast<int>(s.hazards.size()),
                                                TEXTOID, -1, false, TYPALIGN_INT)),
                BoolGetDatum(s.in_transaction),
                s.online_operation ? text(*s.online_operation) : (Datum)0};
            bool nulls[8] = {false, false, !s.reverse_sql, false,
                             false, false, false,          !s.online_operation};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    });
    return (Datum)0;
}

// The live schema as the renames leave it: they run in a subtransaction that is rolled back at
// once, with a short lock_timeout (when none is set) so the attempt never queues behind long
// transactions while blocking others behind itself.
engine::snapshot after_renames(const std::vector<engine::diff_step>& renames, bool privileges) {
    std::size_t current = 0;
    try {
        return glue::rolled_back([&] {
            glue::pg_guard([] {
                if (LockTimeout == 0)
                    set_config_option("lock_timeout", "2s", PGC_USERSET, PGC_S_SESSION,
                                      GUC_ACTION_LOCAL, true, 0, false);
            });
            for (; current < renames.size(); ++current)
                glue::pg_guard([&] {
                    int rc = SPI_execute(renames[current].sql.c_str(), false, 0);
                    if (rc < 0)
                        elog(ERROR, "ender could not try a rename: %s", SPI_result_code_string(rc));
                });
            return glue::read_snapshot(nullptr, privileges);
        });
    } catch (const glue::pg_error& e) {
        if (e.data()->sqlerrcode != ERRCODE_LOCK_NOT_AVAILABLE) throw;
        throw engine::error(
            "55P03", "could not lock the objects the target renames",
            "ender_diff tries the renames in a subtransaction it rolls back, and \"" +
                renames[current].sql + "\" waited too long for its lock.",
            "Run ender_diff again when the transactions that use these objects are done.");
    }
}

}  // namespace

// ender._diff(current text, target text, online boolean, renamed text) RETURNS TABLE(step int,
//   sql text, reverse_sql text, object_kind text, object_name text, hazards text[],
//   in_transaction boolean, online_operation text): two documents as they are (both from
//   ender_snapshot: nothing is normalised). The renames from `current`, then the diff from
//   `renamed` (the schema after them; NULL when there are none).
ENDER_FUNCTION(ender_diff_documents) {
    auto current = engine::parse_snapshot(glue::text_arg(fcinfo, 0, "current snapshot"));
    auto target = engine::parse_snapshot(glue::text_arg(fcinfo, 1, "target snapshot"));
    auto steps = engine::rename_steps(current, target);
    if (auto renamed = glue::optional_text_arg(fcinfo, 3))
        current = engine::parse_snapshot(*renamed);
    auto options = [&] {
        glue::spi_scope spi;
        return options_arg(fcinfo, 2, target);
    }();
    {
        glue::pinned_search_path pinned;  // types spelled and looked up as the snapshot does
        glue::prepare_conversions(target);
        for (auto& s : engine::diff(current, target, options)) steps.push_back(std::move(s));
    }
    return return_steps(fcinfo, std::move(steps));
}

namespace {

// The steps from the live schema (read with privileges when the target lists them) to the
// target (argument 0; argument 1, when there is one, says online): the renames it declares, then
// the rest. Each difference the diff leaves as it is (engine::unmade_differences) is named in a
// NOTICE: ender_check, which counts these steps, shows them too.
std::vector<engine::diff_step> live_steps(FunctionCallInfo fcinfo, engine::snapshot target) {
    std::vector<engine::diff_step> steps;
    glue::spi_scope spi;
    auto options = options_arg(fcinfo, 1, target);
    glue::pinned_search_path pinned;
    glue::prepare_conversions(target);
    auto live = glue::read_snapshot(nullptr, target.privileges);
    // Declared renames, and constraints and indexes the target names differently.
    steps = engine::rename_steps(live, target);
    if (!steps.empty()) live = after_renames(steps, target.privileges);
    // Column order counts in documents ender_snapshot wrote (database to database) and in those
    // that allow rewrites_table: the diff then makes it; in the first without the allowance it
    // reports it. A model's or a hand-written document's order is otherwise not a request.
    const bool rebuilds = std::find(target.allow.begin(), target.allow.end(),
                                    engine::hazard::rewrites_table) != target.allow.end();
    options.column_order = target.deparsed_by.has_value() || rebuilds;
    const auto differences = options.column_order && !rebuilds
                                 ? engine::unmade_differences(live, target)
                                 : std::vector<engine::unmade_difference>{};
    for (auto& s : glue::diff_by_meaning(live, std::move(target), options))
        steps.push_back(std::move(s));
    for (const auto& d : differences)
        glue::pg_guard([&] {
            ereport(NOTICE, (errmsg("%s", d.message.c_str()), errdetail("%s", d.detail.c_str()),
                             errhint("Add \"allow\": [\"rewrites_table\"] to the target "
                                     "document to have the table created anew in its order, "
                                     "or write the target in the live order.")));
        });
    return steps;
}

}  // namespace

// ender._diff_live(target text, online boolean): the same columns, from the live schema.
ENDER_FUNCTION(ender_diff_live) {
    auto target = engine::parse_snapshot(glue::text_arg(fcinfo, 0, "target snapshot"));
    return return_steps(fcinfo, live_steps(fcinfo, std::move(target)));
}

// ender._diff_live(target jsonb, online boolean): the same, the document read from the jsonb
// value itself (snapshot_jsonb.hpp).
ENDER_FUNCTION(ender_diff_live_jsonb) {
    if (PG_ARGISNULL(0)) throw engine::error("22004", "target snapshot must not be null");
    return return_steps(fcinfo, live_steps(fcinfo, glue::parse_snapshot_jsonb(PG_GETARG_DATUM(0))));
}
