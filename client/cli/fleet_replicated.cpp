// upgrade --dsn-file over a replicated fleet (docs/replication.md): revision by revision, each
// in the order that keeps logical replication flowing. Additive revisions run on subscribers
// first (deepest first), then on their publishers, and the subscriptions are refreshed when a
// new table is published by FOR ALL TABLES or TABLES IN SCHEMA; subtractive revisions run on
// publishers first, then on each subscriber once it has confirmed the publisher's LSN.
#include "fleet_replicated.hpp"

#include "verbs.hpp"

#include <chrono>
#include <iostream>
#include <regex>
#include <thread>

namespace ender::cli {

namespace {

// What a statement does to replication, from ender_hazards' words (the parse tree).
bool subtractive(const ordered_json& hazards) {
    for (auto& h : hazards)
        if (h == "deletes_data" || h == "can_fail_on_existing_rows") return true;
    return false;
}

bool creates_table(const std::string& sql) {
    static const std::regex create_table(
        R"(^\s*create\s+((global|local|temp|temporary|unlogged)\s+)*table\s)", std::regex::icase);
    return std::regex_search(sql, create_table);
}

}  // namespace

std::vector<classified_statement> classify_statements(ender::session& db, const std::string& sql) {
    std::vector<classified_statement> out;
    for (auto& s : rows(db, "SELECT line, sql, hazards FROM ender_hazards($1)", sql)) {
        std::string text = s["sql"];
        out.push_back({s["line"].get<int>(), text, subtractive(s["hazards"]), creates_table(text)});
    }
    return out;
}

std::vector<classified_revision> classify(ender::session& db,
                                          const std::vector<migration_file>& files,
                                          const std::vector<std::string>& ids) {
    std::vector<classified_revision> out;
    for (auto& id : ids) {
        const migration_file& f = file_of(files, id);
        classified_revision r{id, f.revision.message.value_or(""), "none", false, {}};
        if (f.revision.online) {
            r.kind = "online";
            out.push_back(r);
            continue;
        }
        bool adds = false, removes = false;
        for (auto& s : classify_statements(db, f.revision.upgrade)) {
            r.new_table = r.new_table || s.creates_table;
            if (s.subtractive) {
                removes = true;
            } else {
                adds = true;
                if (removes && r.out_of_order.empty())
                    r.out_of_order =
                        "line " + std::to_string(s.line) + ": " + one_line(s.sql).substr(0, 60);
            }
        }
        r.kind = adds && removes ? "mixed" : adds ? "additive" : removes ? "subtractive" : "none";
        out.push_back(r);
    }
    return out;
}

void refuse_unordered(const std::vector<classified_revision>& plan) {
    for (auto& r : plan) {
        if (r.kind == "mixed")
            fail(
                "revision \"" + r.id + "\" both adds and removes schema in a replicated fleet",
                "Additive statements must reach subscribers before their publisher, subtractive "
                "ones after it; one revision cannot do both." +
                    (r.out_of_order.empty() ? std::string()
                                            : " An additive statement follows a subtractive one (" +
                                                  r.out_of_order + ")."),
                r.out_of_order.empty()
                    ? "Run \"ender split " + r.id +
                          "\": it writes the subtractive statements (drops, new constraints) "
                          "into a child revision; review both files, then upgrade again."
                    : "Split it by hand into two revisions: the additive statements (new tables "
                      "and columns, relaxed constraints) first, the subtractive ones (drops, new "
                      "constraints) in a child revision.",
                exit_database);
        if (r.kind == "online")
            fail("online revision \"" + r.id + "\" cannot be ordered across a replicated fleet",
                 "Its phases run in a background worker on each member.",
                 "Upgrade each member to it with ender upgrade --dsn, subscribers first for an "
                 "added column (docs/replication.md).",
                 exit_database);
    }
}

namespace {

std::vector<std::size_t> at_depth(const std::vector<member>& members, int depth) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < members.size(); ++i)
        if (members[i].depth == depth) out.push_back(i);
    return out;
}

int max_depth(const std::vector<member>& members) {
    int d = 0;
    for (auto& m : members) d = std::max(d, m.depth);
    return d;
}

// Whether the publications a subscription takes from its publisher pick up new tables.
bool takes_new_tables(const member& publisher, const subscription& s) {
    for (auto& p : publisher.publications)
        if (std::find(s.publications.begin(), s.publications.end(), p.name) !=
                s.publications.end() &&
            (p.all_tables || !p.schemas.empty()))
            return true;
    return false;
}

}  // namespace

std::vector<fleet_step> order_steps(const std::vector<member>& members,
                                    const std::vector<classified_revision>& plan) {
    std::vector<fleet_step> out;
    int deepest = max_depth(members);
    for (auto& r : plan) {
        if (r.kind == "subtractive") {
            for (int d = 0; d <= deepest; ++d)
                for (auto i : at_depth(members, d)) {
                    for (auto& s : members[i].subscriptions)
                        if (s.publisher) out.push_back({r.id, r.kind, "wait", i, s.name});
                    out.push_back({r.id, r.kind, "apply", i, {}});
                }
            continue;
        }
        for (int d = deepest; d >= 0; --d)
            for (auto i : at_depth(members, d)) out.push_back({r.id, r.kind, "apply", i, {}});
        if (!r.new_table) continue;
        for (std::size_t i = 0; i < members.size(); ++i)
            for (auto& s : members[i].subscriptions)
                if (s.publisher && takes_new_tables(members[*s.publisher], s))
                    out.push_back({r.id, r.kind, "refresh", i, s.name});
    }
    return out;
}

std::string describe(const std::vector<member>& members, const fleet_step& s) {
    std::string who = "member " + std::to_string(s.member + 1);
    if (s.action == "apply") return "apply on " + who;
    if (s.action == "refresh") return "refresh subscription " + s.subscription + " on " + who;
    return "wait until subscription " + s.subscription + " of " + who + " confirms member " +
           std::to_string(*std::find_if(members[s.member].subscriptions.begin(),
                                        members[s.member].subscriptions.end(),
                                        [&](auto& x) { return x.name == s.subscription; })
                               ->publisher +
                          1) +
           "'s LSN";
}

namespace {

// Polls the publisher's slot until the subscriber has confirmed `lsn` (it has applied, or
// skipped, everything the publisher wrote before it).
void wait_for(ender::session& publisher, const std::string& slot, const std::string& lsn,
              const std::string& who, int timeout_s) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    for (;;) {
        auto r = rows(publisher,
                      "SELECT confirmed_flush_lsn >= $1::pg_lsn AS caught_up"
                      "  FROM pg_catalog.pg_replication_slots WHERE slot_name = $2",
                      lsn, slot);
        if (r.empty())
            fail("replication slot \"" + slot + "\" of " + who + " is missing on its publisher", {},
                 "Check the subscription with \\dRs+ on the subscriber.", exit_database);
        if (r[0]["caught_up"] == true) return;
        if (std::chrono::steady_clock::now() > deadline)
            fail(who + " did not catch up with its publisher",
                 "Its slot \"" + slot + "\" has not confirmed " + lsn + " after " +
                     std::to_string(timeout_s) + " seconds.",
                 "Look for apply errors in the subscriber's log, then run the upgrade again: "
                 "members already at a revision skip it.",
                 exit_database);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace

void run_steps(std::vector<member>& members, std::vector<ender::session>& sessions,
               const std::vector<fleet_step>& steps, std::vector<std::vector<std::string>>& applied,
               const std::function<void(const fleet_step&, double)>& done, int catch_up_timeout_s) {
    std::vector<std::string> lsn(members.size());  // each member's LSN after its last apply
    for (auto& s : steps) {
        auto start = std::chrono::steady_clock::now();
        ender::session& db = sessions[s.member];
        if (s.action == "apply") {
            auto tx = db.begin();
            for (auto& [id] : db.query<std::tuple<std::string>>(
                     "SELECT id FROM ender_upgrade($1) id", s.revision))
                applied[s.member].push_back(id);
            tx.commit();
            lsn[s.member] = db.scalar<std::string>("SELECT pg_catalog.pg_current_wal_lsn()::text");
        } else if (s.action == "refresh") {
            // Not in a transaction block: REFRESH PUBLICATION refuses to run in one.
            db.execute("SET lock_timeout = '5s'");
            db.execute(db.scalar<std::string>(
                "SELECT pg_catalog.format('ALTER SUBSCRIPTION %I REFRESH PUBLICATION', $1::text)",
                s.subscription));
            db.execute("RESET lock_timeout");
        } else {
            const subscription& sub = *std::find_if(
                members[s.member].subscriptions.begin(), members[s.member].subscriptions.end(),
                [&](auto& x) { return x.name == s.subscription; });
            std::size_t p = *sub.publisher;
            if (lsn[p].empty())
                lsn[p] =
                    sessions[p].scalar<std::string>("SELECT pg_catalog.pg_current_wal_lsn()::text");
            wait_for(sessions[p], sub.slot, lsn[p], "member " + std::to_string(s.member + 1),
                     catch_up_timeout_s);
        }
        done(s, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
}

}  // namespace ender::cli

namespace ender::cli {

namespace {

// The pending revisions of every member, in order: the longest list, then what the others
// add to it (members at different positions of the same files). The files are registered to
// check them (drift), and the registration rolled back.
std::vector<std::string> pending_union(std::vector<ender::session>& sessions,
                                       const std::vector<migration_file>& files,
                                       const fs::path& dir, const std::string& target) {
    std::vector<std::vector<std::string>> lists;
    for (auto& db : sessions) {
        auto tx = db.begin();
        register_files(db, files, dir);
        std::vector<std::string> ids;
        for (auto& [id, message] : pending_revisions(db, files, target)) ids.push_back(id);
        tx.rollback();
        lists.push_back(std::move(ids));
    }
    std::stable_sort(lists.begin(), lists.end(),
                     [](auto& a, auto& b) { return a.size() > b.size(); });
    std::vector<std::string> out;
    for (auto& l : lists)
        for (auto& id : l)
            if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    return out;
}

std::string error_text(const std::string& m, const std::string& detail) {
    return one_line(trim(m)) + (detail.empty() ? "" : " (" + one_line(detail) + ")");
}

}  // namespace

int replicated_upgrade(const context& x, std::vector<member>& members,
                       std::vector<ender::session>& sessions,
                       const std::vector<migration_file>& files, const std::string& target) {
    const options& o = x.o;
    bool plan_only = o.flag("plan");
    auto ids = pending_union(sessions, files, x.c.dir, target);
    auto plan = classify(sessions[0], files, ids);
    auto steps = order_steps(members, plan);
    auto topology = topology_rows(members);

    ordered_json step_rows = ordered_json::array();
    for (auto& s : steps)
        step_rows.push_back({{"revision", s.revision},
                             {"class", s.kind},
                             {"member", s.member + 1},
                             {"action", s.action},
                             {"step", describe(members, s)}});
    if (plan_only) {
        if (o.json) {
            std::cout << ordered_json{{"members", topology}, {"steps", step_rows}}.dump(2) << "\n";
        } else {
            for (auto& row : topology) {
                row["publishes"] = row["publishes"].empty() ? "-" : cell(row["publishes"]);
                row["subscribes"] = row["subscribes"].empty() ? "-" : cell(row["subscribes"]);
            }
            print_table(topology, {"member", "database", "publishes", "subscribes"});
            std::cout << "\n";
            if (steps.empty())
                std::cout << "nothing to upgrade: every member is at " << target << "\n";
            else
                print_table(step_rows, {"revision", "class", "step"});
        }
        refuse_unordered(plan);
        return exit_ok;
    }
    refuse_unordered(plan);
    for (auto& db : sessions) {  // nothing refused: registered for good
        auto tx = db.begin();
        register_files(db, files, x.c.dir);
        tx.commit();
    }

    std::vector<std::vector<std::string>> applied(members.size());
    std::vector<double> seconds(members.size(), 0);
    std::vector<std::string> errors(members.size());
    std::size_t failed_at = steps.size(), current = 0;
    auto done = [&](const fleet_step& s, double t) {
        seconds[s.member] += t;
        ++current;
        if (!o.json)
            std::cout << s.revision << "  " << s.kind << "  " << describe(members, s) << "  ("
                      << static_cast<long>(t * 1000) << " ms)\n"
                      << std::flush;
    };
    try {
        run_steps(members, sessions, steps, applied, done, 600);
    } catch (const cli_error& e) {
        failed_at = current;
        errors[steps[current].member] = error_text(e.message, e.detail);
    } catch (const ender::error& e) {
        failed_at = current;
        errors[steps[current].member] = error_text(e.what(), e.detail());
    }

    ordered_json table = ordered_json::array();
    for (std::size_t i = 0; i < members.size(); ++i) {
        char shown[32];
        std::snprintf(shown, sizeof shown, "%.2f", seconds[i]);
        bool ok = errors[i].empty();
        table.push_back({{"database", members[i].shown},
                         {"outcome", ok ? (failed_at < steps.size() ? "stopped" : "ok") : "failed"},
                         {"applied", applied[i]},
                         {"seconds", o.json ? ordered_json(seconds[i]) : ordered_json(shown)},
                         {"error", ok ? ordered_json(nullptr) : ordered_json(errors[i])}});
    }
    if (o.json) {
        std::cout << ordered_json{{"members", topology}, {"steps", step_rows}, {"databases", table}}
                         .dump(2)
                  << "\n";
    } else {
        for (auto& row : table) row["applied"] = std::to_string(row["applied"].size());
        print_table(table, {"database", "outcome", "applied", "seconds", "error"});
        if (failed_at < steps.size())
            std::cout << "stopped at step " << failed_at + 1 << " of " << steps.size() << " ("
                      << steps[failed_at].revision << ": " << describe(members, steps[failed_at])
                      << "); the later steps did not run\n";
        else
            std::cout << "upgraded " << members.size() << " replicated databases in "
                      << steps.size() << " steps\n";
    }
    return failed_at < steps.size() ? exit_database : exit_ok;
}

}  // namespace ender::cli
