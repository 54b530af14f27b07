// The diff of range types (CREATE TYPE … AS RANGE; diff_planner.hpp): created with the other
// types, before the composite types and tables that may use them; dropped with the other types
// (diff_removals.cpp); commented and granted like them (diff_dependents.cpp). PostgreSQL cannot
// alter a range type: a changed one is refused.
#include "diff_planner.hpp"

namespace ender::engine::diff_detail {

void diff_planner::create_range_types() {
    for (const auto& r : to_.range_types) {
        const range_def* old = find_id(from_.range_types, r.id);
        if (!old) {
            if (r.canonical)  // written in C, against a shell type made first
                unsupported("a canonical function", qualified(r.id));
            add(early_, range_sql(r), "DROP TYPE " + qualified(r.id), "type", qualified(r.id));
            continue;
        }
        if (range_sql(*old) != range_sql(r))
            unsupported("the definition", qualified(r.id));  // PostgreSQL cannot alter it
    }
}

}  // namespace ender::engine::diff_detail
