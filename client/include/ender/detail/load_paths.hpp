// Load paths run side by side: the queries of one step of a path (what it sends and what it does
// with the answers), so that the steps of several paths at the same level share one round trip
// (session::run_pipeline). load.hpp walks the paths; select.hpp and session::load run them.
#pragma once

#include "ender/session.hpp"

#include <functional>
#include <span>
#include <vector>

namespace ender::detail {

// The statements of one step of a load path, and how their results are attached to the objects:
// each as it arrives (in order), so that a round never holds all its results, then finish().
struct step_queries {
    std::vector<pipelined> statements;
    std::function<void(const result&)> attach;
    std::function<void()> finish;
    // Makes the relationships this step marked loaded unloaded again, when a statement of its
    // round fails: a relationship is either loaded whole or not loaded.
    std::function<void()> undo;
    // The objects of the step are in hand already (the query of the step before joined them):
    // the next step's queries are made at once, into the same round trip.
    bool ready = false;
};

struct path_step;
// Walks a load path: once the objects the current step starts from are loaded, fills `step` with
// its queries and returns true, or returns false when the path has nothing left to load.
using path_walker = std::function<bool(path_step&)>;
struct path_step {
    step_queries queries;
    path_walker next;  // the step after this one (empty at the end of the path)
};

// Runs load paths side by side: each round makes the current step of every path, sends all
// their statements in one pipeline, attaches the results, then moves every path on a step.
void run_loads(session& db, std::vector<path_walker> paths);

}  // namespace ender::detail
