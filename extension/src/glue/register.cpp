// ender_register (migration-file and structured forms) and ender_register_many: validation,
// checksums, drift detection and the graph check, then one row per new or replaced revision.
#include "pg.hpp"  // first: PostgreSQL headers before any engine header

#include "../engine/error.hpp"
#include "../engine/online_custom.hpp"
#include "../engine/revision.hpp"
#include "../engine/revision_graph.hpp"
#include "guard.hpp"
#include "online_custom.hpp"
#include "owner_rights.hpp"
#include "spi.hpp"
#include "state.hpp"
#include "statements.hpp"
#include "verified.hpp"

#include <unordered_map>

namespace ender::glue {
namespace {

struct incoming {
    engine::revision revision;
    std::optional<std::string> source;  // the migration file, when registered from one
};

enum class action { skip, insert, update };

// The C++ data step of each new or replaced revision ("-- ender:step"), in its column: a
// replaced revision may have lost its step. A 0.1 catalog, not updated yet, has no such column:
// a revision with a step needs the update.
void record_steps(const std::vector<incoming>& batch, const std::vector<action>& actions) {
    std::vector<text_cell> ids, steps;
    bool any_step = false;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (actions[i] == action::skip) continue;
        const auto& r = batch[i].revision;
        if (!r.step && actions[i] == action::insert) continue;
        ids.emplace_back(r.id);
        steps.push_back(r.step);
        any_step = any_step || r.step;
    }
    if (ids.empty()) return;
    const bool has_column = *run_cached(
                                 "SELECT EXISTS (SELECT FROM pg_catalog.pg_attribute"
                                 " WHERE attrelid = 'ender.revision'::pg_catalog.regclass"
                                 "   AND attname = 'step' AND NOT attisdropped)")
                                 .front()[0] == "t";
    if (!has_column) {
        if (!any_step) return;
        throw engine::error(engine::sqlstate::object_not_in_prerequisite_state,
                            "revision \"" + *ids.front() +
                                "\" has a C++ data step, which this database's ender cannot record",
                            "The catalog of ender 0.1 has no place for a revision's step.",
                            "Run ALTER EXTENSION ender UPDATE, then register the revision again.");
    }
    run_owned(
        "UPDATE ender.revision r SET step = u.step"
        "  FROM unnest($1::text[], $2::text[]) AS u(id, step) WHERE r.id = u.id",
        {std::move(ids), std::move(steps)});
}

// Registers `batch` atomically; returns the id of every revision in it, in order.
std::vector<std::string> register_revisions(std::vector<incoming> batch, bool replace) {
    busy_scope busy("ender_register");
    spi_scope spi;
    pinned_search_path pinned;
    lock_state();

    auto rows = run_owned(
        "SELECT r.id, pg_catalog.array_to_string(r.parents, ' '),"
        "       pg_catalog.array_to_string(r.depends_on, ' '), r.branch_label, r.checksum,"
        "       a.revision_id IS NOT NULL"
        "       OR EXISTS (SELECT FROM ender.online_job j WHERE j.revision_id = r.id)"
        "  FROM ender.revision r LEFT JOIN ender.applied a ON a.revision_id = r.id"
        " ORDER BY r.seq");
    struct known {
        std::size_t node;
        std::string checksum;
        bool applied;
    };
    std::vector<engine::graph_node> nodes;
    std::unordered_map<std::string, known> by_id;
    for (auto& row : rows) {
        by_id.emplace(*row[0], known{nodes.size(), *row[4], *row[5] == "t"});
        nodes.push_back(
            {*row[0], engine::split_names(*row[1]), engine::split_names(*row[2]), row[3]});
    }

    std::vector<action> actions;
    std::vector<std::string> checksums, ids;
    for (const auto& item : batch) {
        const auto& r = item.revision;
        split_statements(r.upgrade, r.id, "upgrade");
        if (r.downgrade) split_statements(*r.downgrade, r.id, "downgrade");
        if (r.online && engine::is_custom(*r.online)) check_custom_phases(r);
        std::string checksum = revision_checksum(r);
        engine::graph_node node{r.id, r.parents, r.depends_on, r.branch_label};
        ids.push_back(r.id);
        checksums.push_back(checksum);

        auto it = by_id.find(r.id);
        if (it == by_id.end()) {
            by_id.emplace(r.id, known{nodes.size(), checksum, false});
            nodes.push_back(std::move(node));
            actions.push_back(action::insert);
            continue;
        }
        known& k = it->second;
        if (k.checksum == checksum) {
            actions.push_back(action::skip);
            continue;
        }
        if (k.applied)
            throw engine::error(
                engine::sqlstate::object_not_in_prerequisite_state,
                "revision \"" + r.id + "\" is applied and its content has changed",
                "The applied revision has checksum " + k.checksum + "; the new content has " +
                    checksum + ".",
                "An applied revision cannot change. Restore its original file, or write a new "
                "revision with the change.");
        if (!replace)
            throw engine::error(engine::sqlstate::duplicate_object,
                                "revision \"" + r.id +
                                    "\" is already registered with different "
                                    "content",
                                "The registered revision has checksum " + k.checksum +
                                    "; the new content has " + checksum + ".",
                                "The revision is not applied yet: pass replace => true to replace "
                                "it.");
        nodes[k.node] = std::move(node);
        k.checksum = checksum;
        actions.push_back(action::update);
    }

    engine::revision_graph graph(std::move(nodes));  // unknown parents, label clashes, cycles
    (void)graph;

    // A file registered again with the checksum it had restores content changed in the table
    // since (ender_upgrade refuses to run such a revision).
    std::vector<std::string> unchanged;
    for (std::size_t i = 0; i < batch.size(); ++i)
        if (actions[i] == action::skip) unchanged.push_back(ids[i]);
    for (const auto& id : altered_revisions(unchanged))
        for (std::size_t i = 0; i < batch.size(); ++i)
            if (ids[i] == id) actions[i] = action::update;

    // New revisions go in with one statement (in batch order, which sets their seq);
    // replacements of pending ones are rare and go one by one.
    std::vector<text_cell> ids_in, parents_in, depends_in, labels_in, messages_in, upgrades_in,
        downgrades_in, checksums_in, sources_in, online_in;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (actions[i] == action::skip) continue;
        const auto& r = batch[i].revision;
        if (actions[i] == action::update) {
            run_owned(
                "UPDATE ender.revision SET parents = $2::text[], depends_on = $3::text[],"
                "       branch_label = $4, message = $5, upgrade_sql = $6, downgrade_sql = $7,"
                "       checksum = $8, source = $9, online = $10, registered_at = pg_catalog.now(),"
                "       registered_by = $11"
                " WHERE id = $1",
                {r.id, array_literal(r.parents), array_literal(r.depends_on), r.branch_label,
                 r.message, r.upgrade, r.downgrade, checksums[i], batch[i].source, r.online,
                 caller_name()});
            continue;
        }
        ids_in.emplace_back(r.id);
        parents_in.emplace_back(array_literal(r.parents));
        depends_in.emplace_back(array_literal(r.depends_on));
        labels_in.push_back(r.branch_label);
        messages_in.push_back(r.message);
        upgrades_in.emplace_back(r.upgrade);
        downgrades_in.push_back(r.downgrade);
        checksums_in.emplace_back(checksums[i]);
        sources_in.push_back(batch[i].source);
        online_in.push_back(r.online);
    }
    if (!ids_in.empty())
        run_owned(
            "INSERT INTO ender.revision (id, parents, depends_on, branch_label, message,"
            "       upgrade_sql, downgrade_sql, checksum, source, online, registered_by)"
            " SELECT u.id, u.parents::text[], u.depends_on::text[], u.label, u.message, u.up,"
            "        u.down, u.checksum, u.source, u.online, $11"
            "   FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"
            "               $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])"
            "        WITH ORDINALITY AS u(id, parents, depends_on, label, message, up, down,"
            "                             checksum, source, online, n)"
            "  ORDER BY u.n",
            {std::move(ids_in), std::move(parents_in), std::move(depends_in), std::move(labels_in),
             std::move(messages_in), std::move(upgrades_in), std::move(downgrades_in),
             std::move(checksums_in), std::move(sources_in), std::move(online_in), caller_name()});
    record_steps(batch, actions);
    return ids;
}

bool bool_arg(FunctionCallInfo fcinfo, int n) {
    return PG_NARGS() > n && !PG_ARGISNULL(n) && PG_GETARG_BOOL(n);
}

}  // namespace
}  // namespace ender::glue

using namespace ender;

// ender_register(source text, replace boolean DEFAULT false) RETURNS text
ENDER_FUNCTION(ender_register_file) {
    std::string source = glue::text_arg(fcinfo, 0, "migration source");
    std::vector<glue::incoming> batch;
    batch.push_back({engine::parse_migration(source), source});
    auto ids = glue::register_revisions(std::move(batch), glue::bool_arg(fcinfo, 1));
    return glue::return_text(ids.front());
}

// ender_register(id, parents, upgrade, downgrade, message, branch_label, depends_on, replace)
ENDER_FUNCTION(ender_register_fields) {
    engine::revision r;
    r.id = glue::text_arg(fcinfo, 0, "revision id");
    r.parents = glue::text_array_arg(fcinfo, 1, "parents");
    r.upgrade = glue::text_arg(fcinfo, 2, "upgrade SQL");
    r.downgrade = glue::optional_text_arg(fcinfo, 3);
    r.message = glue::optional_text_arg(fcinfo, 4);
    r.branch_label = glue::optional_text_arg(fcinfo, 5);
    r.depends_on = glue::text_array_arg(fcinfo, 6, "depends_on");
    engine::validate(r);
    std::vector<glue::incoming> batch;
    batch.push_back({std::move(r), std::nullopt});
    auto ids = glue::register_revisions(std::move(batch), glue::bool_arg(fcinfo, 7));
    return glue::return_text(ids.front());
}

// ender_register_many(sources text[], replace boolean DEFAULT false) RETURNS SETOF text
ENDER_FUNCTION(ender_register_many) {
    if (PG_ARGISNULL(0)) throw engine::error("22004", "migration sources must not be null");
    auto sources = glue::text_array_arg(fcinfo, 0, "migration sources");
    std::vector<glue::incoming> batch;
    batch.reserve(sources.size());
    for (std::size_t i = 0; i < sources.size(); ++i) {
        try {
            batch.push_back({engine::parse_migration(sources[i]), std::move(sources[i])});
        } catch (const engine::error& e) {
            // Say which of the sources is at fault.
            throw engine::error(e.sqlstate(), e.what(),
                                "In migration source " + std::to_string(i + 1) + " of " +
                                    std::to_string(sources.size()) + ". " + e.detail(),
                                e.hint());
        }
    }
    auto ids = glue::register_revisions(std::move(batch), glue::bool_arg(fcinfo, 1));
    return glue::return_text_set(fcinfo, ids);
}
