// ender_diff's engine calls: both documents in, the ordered steps out (ender._diff), and the
// renames a target declares (ender._renames). The wrapper ender_diff takes the live snapshot,
// tries the renames in a subtransaction it rolls back to read the schema they leave, and
// passes every document as text.
#include "pg.hpp"  // first: PostgreSQL headers before any engine header

#include "../engine/diff.hpp"
#include "../engine/renames.hpp"
#include "../engine/snapshot.hpp"
#include "guard.hpp"
#include "state.hpp"

using namespace ender;

// ender._renames(current text, target text) RETURNS SETOF text: the rename statements, in order.
ENDER_FUNCTION(ender_diff_renames) {
    auto current = engine::parse_snapshot(glue::text_arg(fcinfo, 0, "current snapshot"));
    auto target = engine::parse_snapshot(glue::text_arg(fcinfo, 1, "target snapshot"));
    std::vector<std::string> statements;
    for (auto& s : engine::plan_renames(current, target)) statements.push_back(std::move(s.sql));
    return glue::return_text_set(fcinfo, statements);
}

// ender._diff(current text, target text, online boolean, renamed text) RETURNS TABLE(step int,
//   sql text, reverse_sql text, object_kind text, object_name text, hazards text[],
//   in_transaction boolean): the renames from `current`, then the diff from `renamed` (the
//   live schema after them; NULL when there are none).
ENDER_FUNCTION(ender_diff_documents) {
    auto current = engine::parse_snapshot(glue::text_arg(fcinfo, 0, "current snapshot"));
    auto target = engine::parse_snapshot(glue::text_arg(fcinfo, 1, "target snapshot"));
    engine::diff_options options;
    options.online = PG_ARGISNULL(2) || PG_GETARG_BOOL(2);
    auto steps = engine::plan_renames(current, target);
    if (auto renamed = glue::optional_text_arg(fcinfo, 3)) current = engine::parse_snapshot(*renamed);
    for (auto& s : engine::diff(current, target, options)) steps.push_back(std::move(s));

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
