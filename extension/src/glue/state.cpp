// Loading ender's state into the engine, the state lock, and argument/result helpers.
#include "state.hpp"

#include "../engine/error.hpp"
#include "../engine/revision.hpp"
#include "guard.hpp"
#include "owner_rights.hpp"
#include "spi.hpp"

#include <algorithm>

namespace ender::glue {

loaded_state load_state() {
    // A full join: an applied row without its revision (only a superuser's manual edit can
    // make one; ender.applied has no foreign key, to keep bookkeeping cheap) is reported.
    auto rows = run_owned(
        "SELECT r.id, pg_catalog.array_to_string(r.parents, ' '),"
        "       pg_catalog.array_to_string(r.depends_on, ' '), r.branch_label, a.seq,"
        "       a.revision_id"
        "  FROM ender.revision r FULL JOIN ender.applied a ON a.revision_id = r.id"
        " ORDER BY r.seq");
    std::vector<engine::graph_node> nodes;
    nodes.reserve(rows.size());
    std::vector<std::pair<long long, std::size_t>> applied;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto& row = rows[i];
        if (!row[0])
            throw engine::error(
                engine::sqlstate::object_not_in_prerequisite_state,
                "ender's state is damaged: applied revision \"" + *row[5] + "\" is not registered",
                "ender.applied lists it, but ender.revision has no such row.",
                "Restore ender.revision from a backup, or delete the row from "
                "ender.applied if the revision was never applied.");
        nodes.push_back({std::move(*row[0]), engine::split_names(*row[1]),
                         engine::split_names(*row[2]), std::move(row[3])});
        if (row[4]) applied.emplace_back(std::stoll(*row[4]), i);
    }
    engine::revision_graph graph(std::move(nodes));
    engine::position position{graph.empty_set(), {}};
    std::sort(applied.begin(), applied.end());
    for (auto [seq, i] : applied) {
        position.applied[i] = true;
        position.applied_order.push_back(i);
    }
    return {std::move(graph), std::move(position)};
}

void lock_state() {
    auto rows =
        run_owned("UPDATE ender.state SET generation = generation + 1 RETURNING generation");
    if (rows.size() != 1)
        throw engine::error(engine::sqlstate::object_not_in_prerequisite_state,
                            "ender's state row is missing",
                            "The table ender.state must hold exactly one row.",
                            "Reinstall the extension or restore the row from a backup.");
}

std::string text_arg(FunctionCallInfo fcinfo, int n, const char* what) {
    auto value = optional_text_arg(fcinfo, n);
    if (!value) throw engine::error("22004", std::string(what) + " must not be null");
    return *value;
}

std::optional<std::string> optional_text_arg(FunctionCallInfo fcinfo, int n) {
    if (PG_NARGS() <= n || PG_ARGISNULL(n)) return std::nullopt;
    const char* data = nullptr;
    int length = 0;
    pg_guard([&] {
        text* t = PG_GETARG_TEXT_PP(n);
        data = VARDATA_ANY(t);
        length = VARSIZE_ANY_EXHDR(t);
    });
    return std::string(data, static_cast<std::size_t>(length));
}

std::vector<std::string> text_array_arg(FunctionCallInfo fcinfo, int n, const char* what) {
    std::vector<std::string> out;
    if (PG_NARGS() <= n || PG_ARGISNULL(n)) return out;
    std::vector<std::pair<const char*, int>> items;  // views into the detoasted array
    bool has_null = false;
    pg_guard([&] {
        ArrayType* array = PG_GETARG_ARRAYTYPE_P(n);
        if (ARR_NDIM(array) > 1)
            ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                            errmsg("%s must be a one-dimensional array", what)));
        Datum* elements;
        bool* nulls;
        int count;
        deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls, &count);
        items.reserve(count);
        for (int i = 0; i < count; ++i) {
            if (nulls[i]) {
                has_null = true;
                continue;
            }
            text* t = DatumGetTextPP(elements[i]);
            items.emplace_back(VARDATA_ANY(t), static_cast<int>(VARSIZE_ANY_EXHDR(t)));
        }
    });
    if (has_null) throw engine::error("22004", std::string(what) + " must not contain null");
    out.reserve(items.size());
    for (auto [data, length] : items) out.emplace_back(data, static_cast<std::size_t>(length));
    return out;
}

Datum return_text(const std::string& value) {
    text* result = nullptr;
    pg_guard([&] { result = cstring_to_text_with_len(value.data(), value.size()); });
    return PointerGetDatum(result);
}

Datum return_text_set(FunctionCallInfo fcinfo, const std::vector<std::string>& values) {
    pg_guard([&] {
        InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        for (const auto& v : values) {
            Datum value = PointerGetDatum(cstring_to_text_with_len(v.data(), v.size()));
            bool isnull = false;
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
        }
    });
    return (Datum)0;
}

std::vector<std::string> ids_of(const engine::revision_graph& g,
                                const std::vector<std::size_t>& nodes) {
    std::vector<std::string> out;
    out.reserve(nodes.size());
    for (std::size_t i : nodes) out.push_back(g.id(i));
    return out;
}

}  // namespace ender::glue
