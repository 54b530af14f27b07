// Ending an online job whose table was changed by hand (render_ending_sql, online.hpp): the
// contract and rollback rendered from the table as it is now, leaving out what is already
// done, so that ender_complete and ender_rollback can always end the job.
#include "online.hpp"

#include "error.hpp"
#include "online_kinds.hpp"
#include "quote.hpp"

#include <algorithm>

namespace ender::engine {
namespace {

class ending_renderer {
public:
    ending_renderer(std::string_view revision, const online_operation& op,
                    const online_table& table, bool completing)
        : revision_(revision),
          op_(op),
          t_(table),
          n_(names_of(revision, op)),
          completing_(completing) {
        q_ = quote_ident(t_.schema) + "." + quote_ident(t_.name);
        vs_ = quote_ident(n_.view_schema);
    }

    online_phase_sql render() {
        online_phase_sql p;
        const auto kind = online_kind_of(op_.kind).id;
        const bool trigger =
            kind == online_kind_id::alter_column || kind == online_kind_id::add_column;
        drop_helpers(p, trigger);
        switch (kind) {
            case online_kind_id::alter_column:
                alter_column(p);
                break;
            case online_kind_id::rename_column:
                if (find(op_.column))
                    p.contract.push_back(alter() + "RENAME COLUMN " + quote_ident(op_.column) +
                                         " TO " + quote_ident(op_.new_name));
                else if (!find(op_.new_name))
                    gone(op_.column, "neither it nor \"" + op_.new_name + "\" exists");
                break;
            case online_kind_id::add_column:
                if (!find(op_.column)) gone(op_.column, "it was dropped");
                if (op_.default_expr)
                    p.contract.push_back(alter() + "ALTER COLUMN " + quote_ident(op_.column) +
                                         " SET DEFAULT (" + *op_.default_expr + ")");
                not_null(p, op_.column, true);
                p.rollback.push_back(alter() + "DROP COLUMN IF EXISTS " + quote_ident(op_.column));
                break;
            case online_kind_id::set_not_null:
                if (!find(op_.column)) gone(op_.column, "it was dropped");
                not_null(p, op_.column, true);
                break;
            case online_kind_id::add_unique:
            case online_kind_id::add_primary_key:
                add_unique(p, kind == online_kind_id::add_primary_key);
                break;
            case online_kind_id::add_constraint:
                p.rollback.push_back(alter() + "DROP CONSTRAINT IF EXISTS " +
                                     quote_ident(op_.constraint));
                break;
            case online_kind_id::create_index:
                // The index is the change itself: kept at contract, whoever built it.
                p.rollback.push_back("DROP INDEX IF EXISTS " + quote_ident(t_.schema) + "." +
                                     quote_ident(op_.index));
                break;
            case online_kind_id::drop_index:
                // Gone or not, nothing to undo: ender_rollback refuses once the drop began.
                break;
        }
        return p;
    }

private:
    const online_column* find(const std::string& name) const {
        auto c = std::find_if(t_.columns.begin(), t_.columns.end(),
                              [&](const online_column& x) { return x.name == name; });
        return c == t_.columns.end() ? nullptr : &*c;
    }
    bool has_constraint(const std::string& name) const {
        return std::find(t_.constraints.begin(), t_.constraints.end(), name) !=
               t_.constraints.end();
    }
    std::string alter() const { return "ALTER TABLE " + q_ + " "; }
    // A column the contract needs is missing: refused when completing (a rollback goes on).
    void gone(const std::string& column, const std::string& why) const {
        if (!completing_) return;
        throw error(sqlstate::object_not_in_prerequisite_state,
                    "online revision \"" + revision_ + "\" cannot complete: column \"" + column +
                        "\" of relation \"" + t_.schema + "." + t_.name + "\" is missing",
                    "The column was changed by hand since the revision started: " + why + ".",
                    "Abandon the revision with ender_rollback('" + revision_ + "').");
    }

    // The view schema and what is in it (and the trigger), whichever of them still exist.
    void drop_helpers(online_phase_sql& p, bool trigger) const {
        std::vector<std::string> drops;
        if (trigger)
            drops.push_back("DROP TRIGGER IF EXISTS " + quote_ident(n_.trigger) + " ON " + q_);
        drops.push_back("DROP VIEW IF EXISTS " + vs_ + "." + quote_ident(t_.name));
        if (trigger)
            drops.push_back("DROP FUNCTION IF EXISTS " + vs_ + "." + quote_ident(n_.function) +
                            "()");
        drops.push_back("DROP SCHEMA IF EXISTS " + vs_);
        p.contract = drops;
        p.rollback = drops;
    }

    // The NOT NULL a validated check proves: set (a no-op when already set by hand) and the
    // check dropped, when the check is there (expand added it) or `always`.
    void not_null(online_phase_sql& p, const std::string& column, bool always) const {
        const std::string check = quote_ident(not_null_check_name(column));
        if (has_constraint(not_null_check_name(column)) || always) {
            p.contract.push_back(alter() + "ALTER COLUMN " + quote_ident(column) + " SET NOT NULL");
            p.contract.push_back(alter() + "DROP CONSTRAINT IF EXISTS " + check);
        }
        p.rollback.push_back(alter() + "DROP CONSTRAINT IF EXISTS " + check);
    }

    // Both columns: the swap. The old one dropped by hand: the new one takes its name. The
    // new one gone and the old one of the new type: the swap was done by hand.
    void alter_column(online_phase_sql& p) const {
        const std::string col = quote_ident(op_.column), nc = quote_ident(n_.new_column);
        const online_column* old_column = find(op_.column);
        const bool fresh = find(n_.new_column) != nullptr;
        if (old_column && fresh) {
            p.recheck_at_complete = true;  // the rows of both columns are still there to check
            p.contract.push_back(alter() + "DROP COLUMN " + col);
            p.contract.push_back(alter() + "RENAME COLUMN " + nc + " TO " + col);
            if (old_column->default_expr)
                p.contract.push_back(alter() + "ALTER COLUMN " + col + " SET DEFAULT " +
                                     *old_column->default_expr);
        } else if (fresh) {
            p.contract.push_back(alter() + "RENAME COLUMN " + nc + " TO " + col);
        } else if (!old_column || old_column->type != op_.type) {
            gone(n_.new_column, old_column ? "the column of the new type was dropped"
                                           : "both it and \"" + op_.column + "\" were dropped");
        }
        not_null(p, op_.column, false);
        p.rollback.push_back(alter() + "DROP COLUMN IF EXISTS " + nc);
    }

    // The index attached as the constraint, unless a constraint of its name already is.
    void add_unique(online_phase_sql& p, bool primary) const {
        if (primary)
            for (const auto& c : op_.columns)
                if (has_constraint(not_null_check_name(c))) not_null(p, c, false);
        const std::string index = quote_ident(op_.constraint);
        p.index_name = op_.constraint;
        if (!has_constraint(op_.constraint))
            p.contract.push_back(alter() + "ADD CONSTRAINT " + index +
                                 (primary ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + index);
        p.rollback.push_back("DROP INDEX IF EXISTS " + quote_ident(t_.schema) + "." + index);
    }

    std::string revision_;
    const online_operation& op_;
    const online_table& t_;
    online_names n_;
    bool completing_;
    std::string q_, vs_;
};

}  // namespace

online_phase_sql render_ending_sql(std::string_view revision, const online_operation& op,
                                   const online_table& table, bool completing) {
    return ending_renderer(revision, op, table, completing).render();
}

}  // namespace ender::engine
