// GRANT and REVOKE between two privilege lists (see privileges.hpp).
#include "privileges.hpp"

namespace ender::engine {
namespace {

std::string what(const grant_target& t, const privilege& p) {
    return p.name + (t.column.empty() ? "" : " (" + quote_ident(t.column) + ")") + " ON " + t.on;
}

std::string grant(const grant_target& t, const privilege& p, bool with_option) {
    return "GRANT " + what(t, p) + " TO " + grantee_sql(p.grantee) +
           (with_option ? " WITH GRANT OPTION" : "");
}

std::string revoke(const grant_target& t, const privilege& p, bool option_only) {
    return std::string("REVOKE ") + (option_only ? "GRANT OPTION FOR " : "") + what(t, p) +
           " FROM " + grantee_sql(p.grantee);
}

// The entry of `list` for the same grantee and privilege, or nullptr.
const privilege* entry(const privilege_list& list, const privilege& p) {
    for (const auto& q : list)
        if (q.grantee == p.grantee && q.name == p.name) return &q;
    return nullptr;
}

}  // namespace

std::string grantee_sql(const std::string& grantee) {
    if (grantee == "PUBLIC") return grantee;                         // the pseudo-role
    if (!grantee.empty() && grantee.front() == '"') return grantee;  // a quoted role name
    return quote_ident(grantee);
}

privilege_list default_privileges(const std::string& on) {
    auto starts = [&](const char* kind) { return on.rfind(kind, 0) == 0; };
    if (starts("FUNCTION ") || starts("PROCEDURE ")) return {{"PUBLIC", "EXECUTE", false}};
    if (starts("TYPE ") || starts("DOMAIN ")) return {{"PUBLIC", "USAGE", false}};
    return {};
}

std::vector<diff_step> privilege_steps(const grant_target& target, const privilege_list& before,
                                       const privilege_list& after) {
    std::vector<diff_step> out;
    auto add = [&](std::string sql, std::string reverse) {
        out.push_back({std::move(sql),
                       std::move(reverse),
                       "privilege",
                       target.name,
                       {hazard::authorization},
                       true,
                       {}});
    };
    for (const auto& p : before)
        if (!entry(after, p)) add(revoke(target, p, false), grant(target, p, p.grantable));
    for (const auto& p : after) {
        const privilege* old = entry(before, p);
        if (!old)
            add(grant(target, p, p.grantable), revoke(target, p, false));
        else if (old->grantable != p.grantable)
            p.grantable ? add(grant(target, p, true), revoke(target, p, true))
                        : add(revoke(target, p, true), grant(target, p, true));
    }
    return out;
}

std::string restore_privileges(const grant_target& target, const privilege_list& privileges) {
    std::string out;
    for (const auto& s : privilege_steps(target, default_privileges(target.on), privileges))
        out += s.sql + ";\n";
    return out;
}

}  // namespace ender::engine
