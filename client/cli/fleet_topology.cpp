// The replication topology of a fleet: members read from the DSN file, their publications and
// subscriptions read from the catalogs, subscriptions matched to members. See
// fleet_topology.hpp and docs/replication.md.
#include "fleet_topology.hpp"

#include <libpq-fe.h>

#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <sstream>

namespace ender::cli {

namespace {

// keyword -> value of a connection string (keywords or URI), libpq's own parse.
std::map<std::string, std::string> conninfo_fields(const std::string& dsn) {
    std::map<std::string, std::string> out;
    char* message = nullptr;
    std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(
        PQconninfoParse(dsn.c_str(), &message), PQconninfoFree);
    PQfreemem(message);
    if (!options) return out;
    for (auto* opt = options.get(); opt->keyword; ++opt)
        if (opt->val && *opt->val) out[opt->keyword] = opt->val;
    return out;
}

bool loopback(const std::string& host) {
    return host == "localhost" || host == "127.0.0.1" || host == "::1";
}

// Whether a subscription's connection string names member `m`: the same database and port,
// and a host that is the member's socket directory, its address, or its DSN's host (loopback
// names count as one).
bool names_member(const std::string& conninfo, const member& m) {
    auto f = conninfo_fields(conninfo);
    std::string db = f.count("dbname") ? f["dbname"] : f.count("user") ? f["user"] : "";
    std::string port = f.count("port") ? f["port"] : "5432";
    std::string host = f.count("hostaddr") ? f["hostaddr"] : f.count("host") ? f["host"] : "";
    if (db != m.database || port != m.port) return false;
    if (host.empty() || host[0] == '/') {
        if (m.sockets.empty()) return host == m.host;  // the directories cannot be read
        auto dirs = split_list(m.sockets);
        return std::find(dirs.begin(), dirs.end(), host.empty() ? "/var/run/postgresql" : host) !=
               dirs.end();
    }
    if (host == m.address || host == m.host) return true;
    return loopback(host) && (loopback(m.address) || loopback(m.host));
}

}  // namespace

std::vector<member> read_members(const std::string& file) {
    static const std::regex declared(R"(^(.*?)\s+#\s*subscribes\s+to\s+([0-9]{1,4})\s*$)",
                                     std::regex::icase);
    std::istringstream in(read_file(file));
    std::vector<member> members;
    std::vector<std::size_t> line_of;
    std::size_t line_number = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_number;
        line = trim(line);
        if (line.empty() || line[0] == '#') continue;
        member m;
        std::smatch match;
        if (std::regex_match(line, match, declared)) {
            // Both groups before `line` changes: the match points into it.
            std::size_t n = std::stoul(match[2]);
            line = trim(match[1]);
            if (n < 1)
                fail("invalid member number 0 on line " + std::to_string(line_number) + " of \"" +
                         file + "\"",
                     {}, "Members are counted from 1, in the order of the file.");
            m.declared = n - 1;
        }
        m.dsn = line;
        m.shown = shown_dsn(line);
        members.push_back(std::move(m));
        line_of.push_back(line_number);
    }
    if (members.empty())
        fail("DSN file \"" + file + "\" lists no database", {},
             "Write one connection string per line; lines starting with # are comments.");
    for (std::size_t i = 0; i < members.size(); ++i)
        if (members[i].declared &&
            (*members[i].declared >= members.size() || *members[i].declared == i))
            fail("line " + std::to_string(line_of[i]) + " of \"" + file +
                     "\" subscribes to member " + std::to_string(*members[i].declared + 1) +
                     ", which is not another member",
                 "The file lists " + std::to_string(members.size()) + " members.",
                 "Count the members from 1, in the order of the file, blank and comment lines "
                 "left out.");
    return members;
}

void read_replication(member& m, ender::session& db) {
    auto self = rows(db,
                     "SELECT pg_catalog.current_database() AS database,"
                     " pg_catalog.current_setting('port') AS port,"
                     " CASE WHEN pg_catalog.pg_has_role('pg_read_all_settings', 'USAGE')"
                     "      THEN pg_catalog.current_setting('unix_socket_directories')"
                     "      ELSE '' END AS sockets,"  // unreadable: the DSN's host decides
                     " coalesce(pg_catalog.host(pg_catalog.inet_server_addr()), '') AS address")[0];
    m.database = self["database"];
    m.port = self["port"];
    m.sockets = self["sockets"];
    m.address = self["address"];
    auto f = conninfo_fields(m.dsn);
    m.host = f.count("hostaddr") ? f["hostaddr"] : f.count("host") ? f["host"] : "";

    for (auto& p : rows(db,
                        "SELECT p.pubname AS name, p.puballtables AS all_tables,"
                        "       ARRAY(SELECT n.nspname::text"
                        "               FROM pg_catalog.pg_publication_namespace pn"
                        "               JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid"
                        "              WHERE pn.pnpubid = p.oid ORDER BY 1) AS schemas"
                        "  FROM pg_catalog.pg_publication p ORDER BY 1"))
        m.publications.push_back({p["name"], p["all_tables"], p["schemas"]});

    // subconninfo holds passwords: only superusers may read it.
    bool readable = db.scalar<bool>(
        "SELECT pg_catalog.has_column_privilege('pg_catalog.pg_subscription', 'subconninfo',"
        " 'SELECT')");
    std::string query =
        std::string("SELECT s.subname AS name, s.subpublications::text[] AS publications,") +
        " coalesce(s.subslotname::text, s.subname::text) AS slot" +
        (readable ? ", s.subconninfo AS conninfo" : "") +
        "  FROM pg_catalog.pg_subscription s"
        " WHERE s.subdbid = (SELECT oid FROM pg_catalog.pg_database"
        "                     WHERE datname = pg_catalog.current_database())"
        " ORDER BY 1";
    for (auto& s : rows(db, query)) {
        subscription sub{s["name"], s["publications"], s["slot"], std::nullopt, std::nullopt};
        if (readable) sub.conninfo = s["conninfo"].get<std::string>();
        m.subscriptions.push_back(std::move(sub));
    }
}

void match_topology(std::vector<member>& members) {
    for (std::size_t i = 0; i < members.size(); ++i)
        for (auto& s : members[i].subscriptions) {
            if (s.conninfo)
                for (std::size_t j = 0; j < members.size(); ++j)
                    if (j != i && names_member(*s.conninfo, members[j])) s.publisher = j;
            // Declared in the file: for the subscriptions whose connection could not be read.
            if (!s.publisher && !s.conninfo && members[i].declared)
                s.publisher = members[i].declared;
            if (!s.publisher && !s.conninfo)
                print_warning("the publisher of subscription \"" + s.name + "\" of member " +
                                  std::to_string(i + 1) + " is unknown",
                              "Only superusers may read a subscription's connection string.",
                              "If it is a member of the fleet, end its line of the DSN file with "
                              "\"# subscribes to N\".");
        }
    // Depth: how many members replicate in front of this one.
    std::vector<int> state(members.size(), 0);  // 0 new, 1 visiting, 2 done
    std::function<int(std::size_t)> depth = [&](std::size_t i) -> int {
        if (state[i] == 2) return members[i].depth;
        if (state[i] == 1)
            fail("the members of the fleet replicate in a cycle",
                 "Member \"" + members[i].shown + "\" subscribes, through others, to itself.",
                 "ender orders upgrades from publishers to subscribers; upgrade a "
                 "bidirectional setup member by member with ender upgrade --dsn.",
                 exit_database);
        state[i] = 1;
        int d = 0;
        for (auto& s : members[i].subscriptions)
            if (s.publisher) d = std::max(d, depth(*s.publisher) + 1);
        members[i].depth = d;
        state[i] = 2;
        return d;
    };
    for (std::size_t i = 0; i < members.size(); ++i) depth(i);
}

bool replicated(const std::vector<member>& members) {
    for (auto& m : members)
        if (m.depth > 0) return true;
    return false;
}

ordered_json topology_rows(const std::vector<member>& members) {
    ordered_json out = ordered_json::array();
    for (std::size_t i = 0; i < members.size(); ++i) {
        const member& m = members[i];
        std::vector<std::string> pubs, subs;
        for (auto& p : m.publications)
            pubs.push_back(p.name + (p.all_tables ? " (all tables)"
                                     : p.schemas.empty()
                                         ? " (tables)"
                                         : " (schemas " + quoted_list(p.schemas) + ")"));
        for (auto& s : m.subscriptions)
            subs.push_back(s.name + " -> " +
                           (s.publisher  ? "member " + std::to_string(*s.publisher + 1)
                            : s.conninfo ? "outside the fleet"
                                         : "unknown (declare it: # subscribes to N)"));
        out.push_back({{"member", i + 1},
                       {"database", m.shown},
                       {"publishes", pubs},
                       {"subscribes", subs},
                       {"depth", m.depth}});
    }
    return out;
}

}  // namespace ender::cli
