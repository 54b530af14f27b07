// The replication topology of a fleet (docs/replication.md): which members publish, which
// subscribe, and to which member each subscription connects, read from pg_publication and
// pg_subscription and matched to the members of the DSN file by host, port and database, or
// declared in the file ("# subscribes to N") where the connection string cannot be read.
#pragma once

#include "output.hpp"

#include "ender/session.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ender::cli {

struct publication {
    std::string name;
    bool all_tables = false;           // FOR ALL TABLES
    std::vector<std::string> schemas;  // TABLES IN SCHEMA
};

struct subscription {
    std::string name;
    std::vector<std::string> publications;
    std::string slot;                      // on the publisher
    std::optional<std::string> conninfo;   // absent: not readable (it needs superuser)
    std::optional<std::size_t> publisher;  // the member it connects to, when one matches
};

// One line of the DSN file and what its server says about itself.
struct member {
    std::string dsn;
    std::string shown;                                   // with passwords as ***
    std::optional<std::size_t> declared;                 // "# subscribes to N": member N-1
    std::string database, port, sockets, address, host;  // the server's own, and the DSN's host
    std::vector<publication> publications;
    std::vector<subscription> subscriptions;
    int depth = 0;  // 0: subscribes to no member; else one more than its deepest publisher
};

// The DSN file: one member per line, blank lines and # lines skipped; a line may end with
// "# subscribes to N" (N counts the members from 1).
std::vector<member> read_members(const std::string& file);

// Reads what `db` (the session of `m`) publishes and subscribes to.
void read_replication(member& m, ender::session& db);

// Matches every subscription to a member, then sets each member's depth. A cycle (two members
// that replicate to each other) is refused.
void match_topology(std::vector<member>& members);

// Whether any member subscribes to another member.
bool replicated(const std::vector<member>& members);

// The members as plan rows: publishes, subscribes to.
ordered_json topology_rows(const std::vector<member>& members);

}  // namespace ender::cli
