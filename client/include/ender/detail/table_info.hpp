// Internal: the runtime description of a mapped table (names, SQL types, constraints, indexes)
// that the typed mapping in model.hpp builds once; DDL and snapshots are made from it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ender::detail {

struct enum_info {
    std::string schema;
    std::string name;
    std::vector<std::string> labels;
};

// Where a foreign key points; resolved late, so that models may reference each other.
struct key_target {
    std::string schema;
    std::string table;
    std::vector<std::string> columns;
};

// How a column converts from an earlier type (converts_from): the USING expression of the
// type change and the one back; `from` empty for any earlier type, `down` empty for none.
struct conversion_info {
    std::optional<std::string> from;
    std::string up;
    std::optional<std::string> down;
};

struct column_info {
    std::string name;
    std::string type;  // format_type spelling
    bool not_null = true;
    std::optional<std::string> default_sql;
    std::optional<std::string> identity;  // "always", "by default"
    std::optional<std::string> comment;
    std::optional<std::string> renamed_from;   // the column's old name (renames in the diff)
    std::vector<conversion_info> conversions;  // from earlier types (type changes in the diff)
    std::optional<std::string> on_update;      // SQL assigned by every update (updated_at = now())
    bool server_generated = false;             // left out of INSERT, read back by RETURNING
    bool soft_delete = false;                  // deleted_at of the soft-delete mixin
    bool serial = false;                       // numbered by a sequence the column owns
    bool select_as_text = false;
    std::optional<enum_info> enum_type;
};

struct foreign_key_info {
    std::optional<std::string> name;
    std::vector<std::string> columns;
    std::function<key_target()> target;
    std::string on_delete = "no action";
    std::string on_update = "no action";
    std::optional<std::string> comment;
};

struct check_info {
    std::optional<std::string> name;
    std::string expression;             // as the catalog prints it, without the outer parentheses
    std::optional<std::string> column;  // for a check declared on a column
    std::optional<std::string> comment;
};

struct unique_info {
    std::optional<std::string> name;
    std::vector<std::string> columns;
    std::optional<std::string> comment;
};

struct index_key {
    std::string text;  // a column name, or an expression as the catalog prints it
    bool expression = false;
    bool descending = false;
};

struct index_info {
    std::optional<std::string> name;
    std::vector<index_key> keys;
    bool unique = false;
    std::optional<std::string> predicate;
    std::string method = "btree";
    std::optional<std::string> comment;
};

// A foreign key a relationship implies (relationship.hpp), on whichever table holds the key
// columns: schema::of adds it, with an index on its columns, unless the models declare it.
struct relation_key {
    std::function<key_target()> from;  // the table and columns holding the key
    std::function<key_target()> to;    // the referenced table and its primary key
    std::string on_delete = "no action";
    bool unique = false;  // one-to-one: the index is unique
};

struct table_info;

// A model's place in an inheritance hierarchy (inheritance.hpp).
struct inheritance_info {
    enum style_t { single, joined, concrete } style = single;
    std::string base_schema, base_name;  // the base model's table
    std::size_t base_columns = 0;        // columns [0, base_columns) of the model are the base's
    std::optional<std::string> discriminator;  // the base's discriminator column (not concrete)
    std::string identity;                      // this model's discriminator value
    // The table this model adds to the database: its own columns only (single, merged into the
    // base's table), the key and its own columns (joined), everything (concrete).
    std::shared_ptr<const table_info> physical;
};

// The base of a hierarchy (polymorphic_on / polymorphic_union in inheritance.hpp).
struct polymorphic_info {
    std::optional<std::string> discriminator;  // none: concrete tables, read through UNION ALL
    std::optional<std::string> identity;       // the base's own value; none: abstract base
};

struct table_info {
    std::string schema = "public";
    std::string name;
    std::optional<std::string> comment;
    std::optional<std::string> renamed_from;  // the table's old name, in the same schema
    std::vector<column_info> columns;
    std::vector<std::string> primary_key;
    std::optional<std::string> primary_key_name;
    std::vector<unique_info> uniques;
    std::vector<check_info> checks;
    std::vector<foreign_key_info> foreign_keys;
    std::vector<index_info> indexes;
    std::vector<relation_key> relation_keys;
    std::optional<inheritance_info> inheritance;  // a subtype
    std::optional<polymorphic_info> polymorphic;  // a base of subtypes

    // The table alias a column is read through: the base's for a joined subtype's inherited
    // columns, the table's own otherwise.
    const std::string& qualifier(std::size_t column) const {
        if (inheritance && inheritance->style == inheritance_info::joined &&
            column < inheritance->base_columns)
            return inheritance->base_name;
        return name;
    }

    // "schema"."table", quoted where needed.
    std::string qualified() const;
    // The position of a column, or -1.
    int find(std::string_view column) const;
    // The soft-delete column's position, or -1.
    int soft_delete_column() const;
};

}  // namespace ender::detail
