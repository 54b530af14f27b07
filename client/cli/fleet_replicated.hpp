// The safe order of a replicated fleet's upgrade (docs/replication.md): each pending revision
// classified from ender_hazards (the parse tree) as additive or subtractive, and turned into
// steps: apply on a member, wait for a subscriber to confirm its publisher's LSN, refresh a
// subscription.
#pragma once

#include "files.hpp"
#include "fleet_topology.hpp"
#include "verbs.hpp"

#include <functional>
#include <string>
#include <vector>

namespace ender::cli {

struct classified_revision {
    std::string id;
    std::string message;
    std::string kind;  // additive, subtractive, mixed, online, none (no statement)
    bool new_table = false;
    std::string out_of_order;  // mixed: the first additive statement after a subtractive one
};

// One statement of a section as ender_hazards reads it (the parse tree): its line in the
// section, its text, and whether it takes schema away (deletes data, or a new constraint that
// existing rows can fail).
struct classified_statement {
    int line = 0;
    std::string sql;
    bool subtractive = false;
    bool creates_table = false;
};

std::vector<classified_statement> classify_statements(ender::session& db, const std::string& sql);

// `ids` (pending, in order) classified with ender_hazards on `db`.
std::vector<classified_revision> classify(ender::session& db,
                                          const std::vector<migration_file>& files,
                                          const std::vector<std::string>& ids);

// Refuses (exit 3, nothing applied) a plan with a mixed or an online revision.
void refuse_unordered(const std::vector<classified_revision>& plan);

struct fleet_step {
    std::string revision;
    std::string kind;
    std::string action;  // apply, wait, refresh
    std::size_t member;
    std::string subscription;  // wait, refresh
};

std::vector<fleet_step> order_steps(const std::vector<member>& members,
                                    const std::vector<classified_revision>& plan);

// "apply on member 2", "wait until subscription s of member 2 confirms member 1's LSN"...
std::string describe(const std::vector<member>& members, const fleet_step& s);

// Runs the steps in order, one session per member; `applied` collects the ids each member
// applied; `done` is called after each step with its seconds. Throws on the first failure.
void run_steps(std::vector<member>& members, std::vector<ender::session>& sessions,
               const std::vector<fleet_step>& steps, std::vector<std::vector<std::string>>& applied,
               const std::function<void(const fleet_step&, double)>& done, int catch_up_timeout_s);

// upgrade --dsn-file over a fleet whose topology is read (--plan, or members that replicate):
// --plan prints the topology and the steps; otherwise the steps run, and the first failure
// stops them (exit 3).
int replicated_upgrade(const context& x, std::vector<member>& members,
                       std::vector<ender::session>& sessions,
                       const std::vector<migration_file>& files, const std::string& target);

}  // namespace ender::cli
