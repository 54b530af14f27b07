// ender_diff's engine calls: the live schema against a target document (normalised through the
// server first when it was not written by ender_snapshot), or two documents against each other.
#include "pg.hpp"  // first: PostgreSQL headers before any engine header

#include "../engine/diff.hpp"
#include "../engine/snapshot.hpp"
#include "guard.hpp"
#include "normalize.hpp"
#include "spi.hpp"
#include "state.hpp"

using namespace ender;

namespace {

engine::diff_options options_arg(FunctionCallInfo fcinfo, int n) {
    engine::diff_options options;
    options.online = PG_ARGISNULL(n) || PG_GETARG_BOOL(n);
    return options;
}

// Returns `steps` as the rows of ender_diff's result.
Datum return_steps(FunctionCallInfo fcinfo, const std::vector<engine::diff_step>& steps) {
    glue::pg_guard([&] {
        InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        auto text = [](const std::string& s) { return PointerGetDatum(cstring_to_text_with_len(s.data(), s.size())); };
        int number = 0;
        for (const auto& s : steps) {
            Datum* hazards = static_cast<Datum*>(palloc(sizeof(Datum) * (s.hazards.size() + 1)));
            for (std::size_t i = 0; i < s.hazards.size(); ++i) hazards[i] = text(s.hazards[i]);
            Datum values[7] = {Int32GetDatum(++number),
                               text(s.sql),
                               s.reverse_sql ? text(*s.reverse_sql) : (Datum)0,
                               text(s.object_kind),
                               text(s.object_name),
                               PointerGetDatum(construct_array(hazards, static_cast<int>(s.hazards.size()), TEXTOID,
                                                               -1, false, TYPALIGN_INT)),
                               BoolGetDatum(s.in_transaction)};
            bool nulls[7] = {false, false, !s.reverse_sql, false, false, false, false};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    });
    return (Datum)0;
}

}  // namespace

// ender._diff(current text, target text, online boolean) RETURNS TABLE(step int, sql text,
//   reverse_sql text, object_kind text, object_name text, hazards text[], in_transaction boolean)
// Two documents as they are: no normalising (both should come from ender_snapshot).
ENDER_FUNCTION(ender_diff_documents) {
    auto current = engine::parse_snapshot(glue::text_arg(fcinfo, 0, "current snapshot"));
    auto target = engine::parse_snapshot(glue::text_arg(fcinfo, 1, "target snapshot"));
    return return_steps(fcinfo, engine::diff(current, target, options_arg(fcinfo, 2)));
}

// ender._diff_live(target text, online boolean): the same columns, from the live schema.
ENDER_FUNCTION(ender_diff_live) {
    auto target = engine::parse_snapshot(glue::text_arg(fcinfo, 0, "target snapshot"));
    auto options = options_arg(fcinfo, 1);
    glue::spi_connect();
    glue::pinned_search_path pinned;
    pinned.push();
    auto rows = glue::run_internal("SELECT ender._snapshot_json(NULL)::text");  // json text: no jsonb round trip
    auto live = engine::parse_snapshot(*rows.at(0).at(0));
    if (glue::needs_normalising(live, target)) target = glue::normalise(live, target);
    auto steps = engine::diff(live, target, options);
    pinned.pop();
    glue::spi_finish();
    return return_steps(fcinfo, steps);
}
