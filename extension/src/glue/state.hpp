// ender's own tables as the engine sees them: the revision graph and the applied position,
// loaded in one query; the state lock that serialises every change; SRF output helpers.
#pragma once
#include "pg.hpp"

#include "../engine/targets.hpp"
#include "../engine/revision_graph.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ender::glue {

struct loaded_state {
    engine::revision_graph graph;
    engine::position position;
};

// Reads every registered revision (in registration order) and which are applied.
loaded_state load_state();

// Serialises changes to ender's state: waits for a concurrent change to commit (READ
// COMMITTED), or fails with SQLSTATE 40001 if one committed after this transaction's
// snapshot (REPEATABLE READ, SERIALIZABLE).
void lock_state();

// Text argument `n` of the call, or an error naming `what` when it is NULL.
std::string text_arg(FunctionCallInfo fcinfo, int n, const char* what);
std::optional<std::string> optional_text_arg(FunctionCallInfo fcinfo, int n);
// Elements of a text[] argument; NULL means empty; a NULL element is an error naming `what`.
std::vector<std::string> text_array_arg(FunctionCallInfo fcinfo, int n, const char* what);

// Returns `value` as the text result of a function.
Datum return_text(const std::string& value);

// Returns `values` as the rows of a SETOF text function.
Datum return_text_set(FunctionCallInfo fcinfo, const std::vector<std::string>& values);

// The ids of `nodes`, in order.
std::vector<std::string> ids_of(const engine::revision_graph& g,
                                const std::vector<std::size_t>& nodes);

}  // namespace ender::glue
