// The schema diff (diff_planner.hpp): tables created anew. PostgreSQL cannot alter a partition
// key (nor make a table partitioned or plain), nor reorder columns: when the target allows it
// ("allow": ["rewrites_table"]) the table and its partitions are created anew: its rows are set
// aside in a table of their own, the old tree dropped, the new one created, and the rows copied
// back (routed to the new partitions). Without the allowance a partition key change is refused
// and a column order reported (unmade_differences).
#include "diff_planner.hpp"

#include "error.hpp"

#include <algorithm>

namespace ender::engine::diff_detail {

namespace {

std::string partition_key_text(const opt_text& key) {
    return key ? *key : std::string("none");
}

}  // namespace

// Called first by analyse(): which tables are created anew (their partition key changes, or
// their column order when it counts).
void diff_planner::recreate_tables() {
    const bool allowed =
        std::find(to_.allow.begin(), to_.allow.end(), "rewrites_table") != to_.allow.end();
    for (const auto& t : from_.tables) {
        const table_def* target = to_table(t.id);
        if (!target || t.partition_key == target->partition_key) continue;
        if (!allowed)
            throw error(sqlstate::feature_not_supported,
                        "cannot change the partition key of table " + qualified(t.id) + " in place",
                        "PostgreSQL cannot alter a partition key (here " +
                            partition_key_text(t.partition_key) + " to " +
                            partition_key_text(target->partition_key) +
                            "): the table and its partitions must be created anew and their rows "
                            "copied, which rewrites them under ACCESS EXCLUSIVE.",
                        "Add \"allow\": [\"rewrites_table\"] to the target document to plan the "
                        "rebuild.");
        rekeyed_roots_.insert(t.id);
        recreated_.insert(t.id);
    }
    // A table whose columns would not come out in the target's order, when that counts.
    if (allowed && column_order_)
        for (const auto& d : unmade_differences(from_, to_)) {
            rekeyed_roots_.insert(d.table);
            recreated_.insert(d.table);
        }
    // Their partitions, at any depth, go with them.
    for (bool grew = !recreated_.empty(); grew;) {
        grew = false;
        for (const auto& t : from_.tables)
            if (t.partition_of &&
                recreated_.count({t.partition_of->schema, t.partition_of->table}) &&
                recreated_.insert(t.id).second)
                grew = true;
    }
}

// The step before the drop of the old tree: its rows, set aside under the old table's name
// with "__ender_old".
std::string diff_planner::set_rows_aside() const {
    std::string sql;
    for (const auto& id : rekeyed_roots_)
        sql += "CREATE TABLE " + qualified({id.schema, old_enum_name(id)}) + " AS TABLE " +
               qualified(id) + ";\n";
    return sql;
}

// Right after the new tables are created: the rows set aside go into the new tree (the
// columns both have, but generated ones), identity values kept and their sequences moved past
// them; then the table that held them goes.
void diff_planner::copy_rows_back() {
    for (const auto& id : rekeyed_roots_) {
        const table_def* old = find_id(from_.tables, id);
        const table_def* t = to_table(id);
        const std::string aside = qualified({id.schema, old_enum_name(id)});
        std::string columns, sequences;
        bool identity = false;
        for (const auto& c : t->columns) {
            const column_def* o = find_named(old->columns, c.name);
            if (!o || o->generated || c.generated) continue;
            columns += (columns.empty() ? "" : ", ") + quote_ident(c.name);
            if (!c.identity) continue;
            identity = true;
            sequences += ";\nSELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(" +
                         quote_literal(qualified(id)) + ", " + quote_literal(c.name) + "), max(" +
                         quote_ident(c.name) + ")) FROM " + qualified(id) + " HAVING max(" +
                         quote_ident(c.name) + ") IS NOT NULL";
        }
        std::string sql = "INSERT INTO " + qualified(id) + " (" + columns + ")" +
                          (identity ? " OVERRIDING SYSTEM VALUE" : "") + " SELECT " + columns +
                          " FROM " + aside + sequences + ";\nDROP TABLE " + aside;
        add(tables_, sql, {}, "table", qualified(id),
            {hazard::rewrites_table, hazard::can_fail, hazard::deletes_data});
    }
}

}  // namespace ender::engine::diff_detail
