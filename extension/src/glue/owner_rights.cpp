// ender's own statements with the extension owner's rights, the role checks of online jobs,
// and the nested-call guard (see owner_rights.hpp).
#include "owner_rights.hpp"

#include "../engine/error.hpp"
#include "guard.hpp"

extern "C" {
#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_extension.h"
#include "commands/extension.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

namespace ender::glue {
namespace {

// Switches to the extension owner for one statement; restores the caller on the way out, error
// or not (an aborted (sub)transaction restores it too).
class owner_switch {
public:
    owner_switch() {
        Oid owner = extension_owner();
        GetUserIdAndSecContext(&user_, &context_);
        SetUserIdAndSecContext(
            owner, context_ | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
    }
    ~owner_switch() { SetUserIdAndSecContext(user_, context_); }
    owner_switch(const owner_switch&) = delete;
    owner_switch& operator=(const owner_switch&) = delete;

private:
    Oid user_ = InvalidOid;
    int context_ = 0;
};

bool running = false;  // a state-changing ender function is under way in this backend

}  // namespace

Oid extension_owner() {
    Oid owner = InvalidOid;
    pg_guard([&] {
        Oid extension = get_extension_oid("ender", false);
        // pg_extension has no syscache: one index lookup.
        Relation rel = table_open(ExtensionRelationId, AccessShareLock);
        ScanKeyData key;
        ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(extension));
        SysScanDesc scan = systable_beginscan(rel, ExtensionOidIndexId, true, nullptr, 1, &key);
        HeapTuple tuple = systable_getnext(scan);
        if (HeapTupleIsValid(tuple))
            owner = reinterpret_cast<Form_pg_extension>(GETSTRUCT(tuple))->extowner;
        systable_endscan(scan);
        table_close(rel, AccessShareLock);
        if (!OidIsValid(owner)) elog(ERROR, "could not find the owner of extension \"ender\"");
    });
    return owner;
}

std::vector<text_row> run_owned(const char* sql, std::initializer_list<sql_param> params) {
    pinned_search_path pinned;
    owner_switch as_owner;
    return run_cached(sql, params);
}

std::string caller_name() {
    std::string name;
    pg_guard([&] { name = GetUserNameFromId(GetUserId(), false); });
    return name;
}

bool acts_for(Oid role) {
    bool yes = false;
    pg_guard([&] { yes = has_privs_of_role(GetUserId(), role); });
    return yes;
}

Oid ender_admin_role() {
    Oid role = InvalidOid;
    pg_guard([&] { role = get_role_oid("ender_admin", true); });
    return role;
}

std::string worker_role_problem(Oid role) {
    NameData name;
    bool exists = false, can_login = false, admin = false;
    pg_guard([&] {
        HeapTuple tuple = SearchSysCache1(AUTHOID, ObjectIdGetDatum(role));
        if (!HeapTupleIsValid(tuple)) return;
        auto* form = reinterpret_cast<Form_pg_authid>(GETSTRUCT(tuple));
        exists = true;
        name = form->rolname;
        can_login = form->rolcanlogin;
        ReleaseSysCache(tuple);
        // The owner must still be allowed to run ender's state-changing functions: a member
        // of ender_admin (with its privileges) or a superuser (has_privs_of_role says yes).
        Oid admin_role = get_role_oid("ender_admin", true);
        admin = OidIsValid(admin_role) && has_privs_of_role(role, admin_role);
    });
    if (!exists) return "its owner (role " + std::to_string(role) + ") no longer exists";
    const std::string owner = std::string("its owner, role \"") + NameStr(name) + "\", ";
    if (!can_login) return owner + "cannot log in (NOLOGIN), and the worker logs in as that role";
    if (!admin) return owner + "is no longer a member of ender_admin";
    return "";
}

void require_login_role(Oid role, const std::string& revision) {
    std::string name;
    bool can_login = false;
    pg_guard([&] {
        HeapTuple tuple = SearchSysCache1(AUTHOID, ObjectIdGetDatum(role));
        if (!HeapTupleIsValid(tuple)) elog(ERROR, "cache lookup failed for role %u", role);
        auto* form = reinterpret_cast<Form_pg_authid>(GETSTRUCT(tuple));
        name = NameStr(form->rolname);
        can_login = form->rolcanlogin;
        ReleaseSysCache(tuple);
    });
    if (can_login) return;
    throw engine::error(
        "42501", "role \"" + name + "\" cannot start online revision \"" + revision + "\"",
        "The background worker of an online revision logs in as the role that starts it, and "
        "role \"" +
            name + "\" cannot log in (NOLOGIN).",
        "Start it as a role that can log in (RESET ROLE, or SET ROLE to a member of ender_admin "
        "with LOGIN).");
}

busy_scope::busy_scope(const char* function) {
    if (running)
        throw engine::error(engine::sqlstate::object_not_in_prerequisite_state,
                            std::string(function) + " cannot run inside another ender operation",
                            "A migration's SQL called an ender function that changes the "
                            "migration state.");
    running = true;
}

busy_scope::~busy_scope() {
    running = false;
}

}  // namespace ender::glue
