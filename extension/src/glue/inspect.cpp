// Read-only views of the revision graph: ender_current, ender_heads, ender_branches and
// ender_resolve. They take no lock and read a consistent snapshot.
#include "pg.hpp"  // first: PostgreSQL headers before any engine header

#include "../engine/targets.hpp"
#include "guard.hpp"
#include "spi.hpp"
#include "state.hpp"

namespace ender::glue {
namespace {

// Loads the state and hands it to `f`, inside an SPI connection with search_path pinned.
template <typename F>
auto with_state(F&& f) {
    spi_scope spi;
    pinned_search_path pinned;
    auto state = load_state();
    return f(state);
}

}  // namespace
}  // namespace ender::glue

using namespace ender;

// ender_current() RETURNS SETOF text: the applied revisions with no applied child
ENDER_FUNCTION(ender_current) {
    auto ids = glue::with_state([](const glue::loaded_state& s) {
        return glue::ids_of(s.graph, engine::current_heads(s.graph, s.position));
    });
    return glue::return_text_set(fcinfo, ids);
}

// ender_heads() RETURNS SETOF text: the revisions no other revision builds on
ENDER_FUNCTION(ender_heads) {
    auto ids = glue::with_state(
        [](const glue::loaded_state& s) { return glue::ids_of(s.graph, s.graph.heads()); });
    return glue::return_text_set(fcinfo, ids);
}

// ender_resolve(target text) RETURNS SETOF text: the revisions a target names
ENDER_FUNCTION(ender_resolve) {
    std::string target = glue::text_arg(fcinfo, 0, "target");
    auto ids = glue::with_state([&](const glue::loaded_state& s) {
        return glue::ids_of(s.graph, engine::resolve_target(s.graph, s.position, target));
    });
    return glue::return_text_set(fcinfo, ids);
}

// ender_branches() RETURNS TABLE (revision text, children text[]): the branch points
ENDER_FUNCTION(ender_branches) {
    struct branch {
        std::string id;
        std::string children;  // a text[] literal
    };
    auto branches = glue::with_state([](const glue::loaded_state& s) {
        std::vector<branch> out;
        for (std::size_t i : s.graph.branch_points())
            out.push_back(
                {s.graph.id(i), glue::array_literal(glue::ids_of(s.graph, s.graph.children(i)))});
        return out;
    });
    glue::pg_guard([&] {
        InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        Oid input, ioparam;
        getTypeInputInfo(TEXTARRAYOID, &input, &ioparam);
        for (const auto& b : branches) {
            Datum values[2] = {
                PointerGetDatum(cstring_to_text_with_len(b.id.data(), b.id.size())),
                OidInputFunctionCall(input, const_cast<char*>(b.children.c_str()), ioparam, -1)};
            bool nulls[2] = {false, false};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    });
    return (Datum)0;
}
