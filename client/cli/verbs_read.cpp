// current, heads, branches, history and show: what is registered and applied, read through
// the extension's functions.
#include "verbs.hpp"

#include "output.hpp"

#include <cstdio>
#include <iostream>
#include <regex>

namespace ender::cli {

namespace {

const std::vector<std::string> revision_columns = {"revision", "branch", "message"};

std::string revisions_from(const std::string& function) {
    return "SELECT r.id AS revision, r.branch_label AS branch, r.message FROM " + function +
           " x(id) JOIN ender.revision r USING (id) ORDER BY r.seq";
}

const std::string history_query =
    "SELECT id, revision, operation, stamped, outcome, "
    "to_char(started_at, 'YYYY-MM-DD HH24:MI:SS') AS started_at, duration, run_by, statements, "
    "message, target, error_sqlstate, error_message, error_detail, error_hint, error_context "
    "FROM ender_history()";
const std::vector<std::string> history_columns = {"id",       "revision", "operation",
                                                  "stamped",  "outcome",  "started_at",
                                                  "duration", "message",  "error_message"};

// An interval as the server prints it ("00:00:01.234567", "1 day 02:00:00") as a duration to
// read: "12.3 ms", "1.23 s", "2 min 05 s", "26 h 00 min".
std::string readable_duration(const std::string& interval) {
    static const std::regex form(R"(^(?:(\d+) days? )?(\d+):(\d+):(\d+(?:\.\d+)?)$)");
    std::smatch m;
    if (!std::regex_match(interval, m, form)) return interval;
    double seconds = (m[1].matched ? std::stod(m[1].str()) * 86400 : 0) +
                     std::stod(m[2].str()) * 3600 + std::stod(m[3].str()) * 60 +
                     std::stod(m[4].str());
    char out[64];
    if (seconds < 1)
        std::snprintf(out, sizeof out, "%.1f ms", seconds * 1000);
    else if (seconds < 60)
        std::snprintf(out, sizeof out, "%.2f s", seconds);
    else if (seconds < 3600)
        std::snprintf(out, sizeof out, "%d min %02d s", static_cast<int>(seconds) / 60,
                      static_cast<int>(seconds) % 60);
    else
        std::snprintf(out, sizeof out, "%d h %02d min", static_cast<int>(seconds) / 3600,
                      static_cast<int>(seconds) % 3600 / 60);
    return out;
}

void print_history(const options& o, ordered_json r) {
    if (!o.json)
        for (auto& row : r)
            if (row["duration"].is_string())
                row["duration"] = readable_duration(row["duration"].get<std::string>());
    print_rows(o, r, history_columns);
}

// The registered revisions in A:B: what B needs (B included) that A does not. An empty A is
// base, an empty B is heads; either may be any target the extension resolves.
std::vector<std::string> registered_range(ender::session& db, const std::string& range) {
    auto [from, to] = split_range(range, "-r");
    std::vector<engine::graph_node> nodes;
    for (auto& [id, parents, depends_on, label] :
         db.query<std::tuple<std::string, std::vector<std::string>, std::vector<std::string>,
                             std::optional<std::string>>>(
             "SELECT id, parents, depends_on, branch_label FROM ender.revision ORDER BY seq"))
        nodes.push_back({id, parents, depends_on, label});
    engine::revision_graph g(std::move(nodes));
    auto resolve = [&](const std::string& target) {
        std::vector<std::size_t> found;
        for (auto& [id] : db.query<std::tuple<std::string>>("SELECT ender_resolve($1)", target))
            if (auto i = g.find(id)) found.push_back(*i);
        return found;
    };
    auto below = g.ancestors(from.empty() ? std::vector<std::size_t>{} : resolve(from));
    auto upto = g.ancestors(resolve(to.empty() ? "heads" : to));
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < g.size(); ++i)
        if (upto[i] && !below[i]) ids.push_back(g.id(i));
    return ids;
}

}  // namespace

std::pair<std::string, std::string> split_range(const std::string& range, const std::string& what) {
    auto colon = range.find(':');
    if (colon == std::string::npos)
        fail("invalid range \"" + range + "\" for " + what, {},
             "Write A:B, where either side may be left out (base, heads).");
    return {range.substr(0, colon), range.substr(colon + 1)};
}

int cmd_read(const context& x, ender::session& db) {
    const options& o = x.o;
    if (o.verb == "history") {
        allow_only(o, {"rev", "graph"}, 0, 0);
        if (o.flag("graph") && o.has("rev"))
            fail("history --graph draws every revision: -r does not apply to it");
        require_extension(db);
        if (o.flag("graph")) return cmd_history_graph(x, db);
        if (!o.has("rev")) {
            print_history(o, rows(db, history_query));
            return exit_ok;
        }
        auto ids = registered_range(db, o.value("rev"));
        print_history(o, rows(db, history_query + " WHERE revision = ANY($1::text[])", ids));
        return exit_ok;
    }
    allow_only(o, {}, 0, 0);
    require_extension(db);
    if (o.verb == "current") {
        auto r = rows(db, revisions_from("ender_current()"));
        // At base, the table says so rather than being empty (--json: []).
        if (r.empty() && !o.json)
            r.push_back(
                {{"revision", "base"}, {"branch", nullptr}, {"message", "no revision applied"}});
        print_rows(o, r, revision_columns);
    } else if (o.verb == "heads")
        print_rows(o, rows(db, revisions_from("ender_heads()")), revision_columns);
    else
        print_rows(o, rows(db, "SELECT revision, children FROM ender_branches()"),
                   {"revision", "children"});
    return exit_ok;
}

int cmd_show(const context& x, ender::session& db) {
    const options& o = x.o;
    allow_only(o, {}, 1, 1);
    require_extension(db);
    auto r = rows(db, "SELECT * FROM ender_show($1)", o.positional[0]);
    if (o.json) {
        std::cout << r.dump(2) << "\n";
        return exit_ok;
    }
    bool first = true;
    for (const auto& row : r) {
        if (!first) std::cout << "\n";
        first = false;
        for (const char* k :
             {"id", "parents", "children", "depends_on", "branch_label", "message", "applied",
              "applied_at", "is_head", "is_current", "checksum", "registered_at", "registered_by"})
            std::cout << trim(k + std::string(15 - std::string(k).size(), ' ') +
                              one_line(cell(row.value(k, ordered_json()))))
                      << "\n";
        for (const char* k : {"upgrade", "downgrade"}) {
            std::cout << "-- " << k << "\n";
            auto v = row.value(k, ordered_json());
            std::cout << (v.is_null() ? "(none)" : cell(v)) << "\n";
        }
    }
    return exit_ok;
}

}  // namespace ender::cli
