// Who may change ender's state, and as whom its own statements run. ender's tables are
// writable by the extension's owner only; ender's C functions write them for their caller by
// running each of their own statements with the owner's rights (as a SECURITY DEFINER function
// would, with search_path pinned), one statement at a time, and never a statement that holds
// user text. Migration SQL, online phases and every query over user tables run as the caller.
// docs/security.md.
#pragma once
#include "pg.hpp"
#include "spi.hpp"

#include <string>

namespace ender::glue {

// Runs one of ender's own statements over its tables (a string literal, as run_cached) with
// the extension owner's rights: search_path pinned to pg_catalog, pg_temp and the restrictions
// of a security-restricted operation (no SET ROLE, no temporary objects). The caller's role is
// what the statement records: pass caller_name() where it writes who did it.
std::vector<text_row> run_owned(const char* sql, std::initializer_list<sql_param> params = {});

// The name of the role ender's functions act for (the current user, not the owner).
std::string caller_name();

// The extension's owner (pg_extension.extowner).
Oid extension_owner();

// True when the current user has the privileges of `role` (is it, or a member of it, or a
// superuser): who may act on an online job, start its worker or signal it.
bool acts_for(Oid role);

// Refuses (42501, with a hint) a role that cannot log in as the owner of a new online job: its
// worker logs in as that role.
void require_login_role(Oid role, const std::string& revision);

// The role ender_admin, InvalidOid when it was dropped.
Oid ender_admin_role();

// The reason `role` cannot run a worker (it was dropped, cannot log in, or no longer has the
// privileges of ender_admin and is no superuser), or "" when it can.
std::string worker_role_problem(Oid role);

// Marks this backend busy for the duration of a state-changing ender function; refuses
// (55000) nested calls (a migration, an online phase or a trigger calling ender_upgrade,
// ender_register, ender_complete...).
class busy_scope {
public:
    explicit busy_scope(const char* function);
    ~busy_scope();
    busy_scope(const busy_scope&) = delete;
    busy_scope& operator=(const busy_scope&) = delete;
};

}  // namespace ender::glue
