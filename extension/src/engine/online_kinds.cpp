// The kinds of online operation (online_kinds.hpp).
#include "online_kinds.hpp"

#include "error.hpp"

namespace ender::engine {

const std::vector<online_kind>& online_kinds() {
    static const std::vector<online_kind> kinds = {
        {online_kind_id::alter_column,
         "alter_column",
         {"alter_column [schema.]table column TYPE type USING (expression) DOWN (expression)"},
         "a column's type changes",
         {{"expand",
           "adds the column in the new type beside the old one, a trigger that keeps both in step "
           "(USING and DOWN), and the schema ender_<revision> with a view of the new shape"},
          {"backfill", "fills the new column in key-ordered batches, each its own transaction"},
          {"validate", "checks every row is in step (and NOT NULL, through a validated check)"},
          {"complete",
           "drops the old column, renames the new one, drops the trigger and the view schema"}}},
        {online_kind_id::rename_column,
         "rename_column",
         {"rename_column [schema.]table old_name TO new_name"},
         "a column is renamed",
         {{"expand",
           "the schema ender_<revision> with a view showing the column under its new name"},
          {"complete", "RENAME COLUMN, and the view schema goes"}}},
        {online_kind_id::add_column,
         "add_column",
         {"add_column [schema.]table column type NOT NULL [DEFAULT (expression)] BACKFILL "
          "(expression)"},
         "a NOT NULL column is added",
         {{"expand",
           "adds the column nullable (with its DEFAULT), a CHECK (column IS NOT NULL) NOT VALID "
           "and a trigger filling it for new rows"},
          {"backfill", "sets it to the BACKFILL expression in key-ordered batches"},
          {"validate", "VALIDATE CONSTRAINT (no write lock)"},
          {"complete",
           "SET NOT NULL (instant: the validated check proves it), then drops the check"}}},
        {online_kind_id::set_not_null,
         "set_not_null",
         {"set_not_null [schema.]table column"},
         "a column becomes NOT NULL",
         {{"expand", "CHECK (column IS NOT NULL) NOT VALID"},
          {"validate", "VALIDATE CONSTRAINT (no write lock)"},
          {"complete",
           "SET NOT NULL (instant: the validated check proves it), then drops the check"}}},
        {online_kind_id::add_unique,
         "add_unique",
         {"add_unique [schema.]table constraint_name (column [, ...])"},
         "a unique constraint is added",
         {{"expand", "the schema ender_<revision> with a view of the new shape"},
          {"validate",
           "CREATE UNIQUE INDEX CONCURRENTLY (an invalid index left by a failed build is dropped "
           "and built again); duplicate keys fail the job, naming them"},
          {"complete", "ADD CONSTRAINT ... UNIQUE USING INDEX"}}},
        {online_kind_id::add_primary_key,
         "add_primary_key",
         {"add_primary_key [schema.]table constraint_name (column [, ...])"},
         "a primary key is added",
         {{"expand",
           "CHECK (column IS NOT NULL) NOT VALID for each nullable key column, and the schema "
           "ender_<revision> with a view of the new shape"},
          {"validate",
           "VALIDATE CONSTRAINT on those checks (NULL keys fail the job), then the unique index "
           "built CONCURRENTLY as for add_unique"},
          {"complete",
           "SET NOT NULL (instant: the validated checks prove it), the checks dropped, "
           "ADD CONSTRAINT ... PRIMARY KEY USING INDEX"}}},
        {online_kind_id::add_constraint,
         "add_constraint",
         {"add_constraint [schema.]table constraint_name CHECK (expression)",
          "add_constraint [schema.]table constraint_name FOREIGN KEY (columns) REFERENCES "
          "[schema.]table (columns) [ON DELETE action] [ON UPDATE action]"},
         "a check or foreign key is added",
         {{"expand", "ADD CONSTRAINT ... NOT VALID (new and changed rows are checked at once)"},
          {"validate", "VALIDATE CONSTRAINT (no write lock on the table)"}}},
        {online_kind_id::create_index,
         "create_index",
         {"create_index index_name ON [schema.]table [USING method] (key [, ...]) "
          "[INCLUDE (column [, ...])] [WITH (parameter = value [, ...])] [WHERE (predicate)]"},
         "an index is built",
         {{"expand", "the schema ender_<revision> with a view of the table"},
          {"validate",
           "CREATE INDEX CONCURRENTLY (an invalid index left by a failed build is dropped and "
           "built again)"},
          {"complete", "the view schema goes; rollback drops the index, built or not"}}},
        {online_kind_id::drop_index,
         "drop_index",
         {"drop_index [schema.]index_name"},
         "an index is dropped",
         {{"expand", "the schema ender_<revision> with a view of the index's table"},
          {"validate",
           "DROP INDEX CONCURRENTLY (from then on the revision can only complete, not roll "
           "back)"},
          {"complete", "the view schema goes"}}},
    };
    return kinds;
}

const online_kind* find_online_kind(std::string_view name) {
    for (const auto& kind : online_kinds())
        if (kind.name == name) return &kind;
    return nullptr;
}

const online_kind& online_kind_of(std::string_view name) {
    if (const online_kind* kind = find_online_kind(name)) return *kind;
    throw error(sqlstate::internal_error, "unknown online operation \"" + std::string(name) + "\"");
}

std::string online_forms_text(const online_kind& kind) {
    std::string out;
    for (auto form : kind.forms) out += (out.empty() ? "" : ", or ") + std::string(form);
    return out;
}

std::string online_kind_names() {
    std::string out;
    for (const auto& kind : online_kinds())
        out += (out.empty() ? "" : ", ") + std::string(kind.name);
    return out;
}

}  // namespace ender::engine
