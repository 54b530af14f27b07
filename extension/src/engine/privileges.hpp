// Privileges in the diff: the GRANT and REVOKE statements between two privilege lists of one
// object (see docs/snapshot-format.md, "Privileges"). Owners are not part of it.
#pragma once
#include "cpp_only.hpp"

#include "diff.hpp"
#include "snapshot.hpp"

#include <string>
#include <vector>

namespace ender::engine {

// What GRANT names an object by ("TABLE \"s\".\"t\"", "SCHEMA \"s\"", "FUNCTION \"s\".\"f\"(a
// integer)"), the column for column privileges (empty otherwise), and how the steps name the
// object.
struct grant_target {
    std::string on, column, name;
};

// A grantee of a document as SQL: "PUBLIC" is the pseudo-role; a name that starts with a double
// quote is a role name written as a quoted identifier (how a snapshot writes a role that is
// itself named PUBLIC, or whose name starts with a quote), kept as it is; any other name is
// quoted.
std::string grantee_sql(const std::string& grantee);

// The privileges PostgreSQL gives an object of this GRANT kind ("FUNCTION", "TYPE", "TABLE"...)
// when it is created, besides its owner's: EXECUTE to PUBLIC on functions and procedures,
// USAGE to PUBLIC on types and domains, nothing on the rest.
privilege_list default_privileges(const std::string& on);

// The steps that turn `before` into `after`, one per privilege: GRANT, REVOKE, or a grant option
// given or taken back. Each has its reverse and the hazard changes_authorization.
std::vector<diff_step> privilege_steps(const grant_target& target, const privilege_list& before,
                                       const privilege_list& after);

// The statements, each ending in ";\n", that give a freshly created object the privileges it
// had (for the reverse of a drop).
std::string restore_privileges(const grant_target& target, const privilege_list& privileges);

}  // namespace ender::engine
