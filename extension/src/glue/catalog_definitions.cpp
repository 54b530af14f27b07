// Index and key constraint definitions from catalog rows (catalog_definitions.hpp).
#include "catalog_definitions.hpp"

#include <cctype>
#include <cstring>

namespace ender::glue::catalog {

bool simple_index_definition(const row& r, const std::vector<column_info>& columns,
                             const std::string& table, default_opclasses& defaults,
                             std::string& out) {
    if (!r.boolean(9)) return false;
    const Oid method = r.oid(10);
    const int key_count = r.number(11);
    int n = 0, classes_n = 0, collations_n = 0, options_n = 0;
    Datum* keys = r.elements(12, INT2OID, n);
    Datum* classes = r.elements(13, OIDOID, classes_n);
    Datum* collations = r.elements(14, OIDOID, collations_n);
    Datum* options = r.elements(15, INT2OID, options_n);
    if (classes_n < key_count || collations_n < key_count || options_n < key_count) return false;
    out.assign(r.boolean(4) ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    out += quote_identifier(r.str(2));
    out += " ON ";
    out += table;
    out += " USING ";
    out += quote_identifier(r.str(5));
    out += " (";
    for (int k = 0; k < n; ++k) {
        const int number = DatumGetInt16(keys[k]);
        if (number <= 0 || static_cast<std::size_t>(number) >= columns.size() ||
            columns[number].name.empty())
            return false;
        const column_info& column = columns[number];
        if (k == key_count)
            out += ") INCLUDE (";
        else if (k > 0)
            out += ", ";
        out += quote_identifier(column.name.c_str());
        if (k >= key_count) continue;
        const Oid collation = DatumGetObjectId(collations[k]);
        if (OidIsValid(collation) && collation != column.collation) return false;
        if (defaults.of(column.type, method) != DatumGetObjectId(classes[k])) return false;
        if (DatumGetInt16(options[k]) != 0) return false;
    }
    out += ')';
    if (r.boolean(7)) out += " NULLS NOT DISTINCT";
    if (const char* predicate = r.str(6)) {
        out += " WHERE ";
        out += predicate;
    }
    return true;
}

namespace {

// Appends the names of the columns numbered by the elements [from, to) of `numbers`, quoted and
// separated as pg_get_constraintdef separates them. False when one has no name.
bool append_column_list(const Datum* numbers, int from, int to,
                        const std::vector<column_info>& columns, std::string& out) {
    for (int k = from; k < to; ++k) {
        const int number = DatumGetInt16(numbers[k]);
        if (number <= 0 || static_cast<std::size_t>(number) >= columns.size() ||
            columns[number].name.empty())
            return false;
        if (k > from) out += ", ";
        out += quote_identifier(columns[number].name.c_str());
    }
    return true;
}

// Appends " ON UPDATE CASCADE" and the like, as pg_get_constraintdef writes an action; nothing
// for the default (no action). False for an action it does not know.
bool append_action(const char* clause, char action, std::string& out) {
    if (action == 'a') return true;
    const char* word = action_word(action);
    if (!word) return false;
    out += clause;
    for (const char* c = word; *c; ++c)
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
    return true;
}

}  // namespace

bool key_constraint_definition(const row& r, const std::vector<column_info>& own,
                               const std::vector<column_info>& referenced, std::string& out) {
    const char type = r.character(3);
    int key_count = 0;
    Datum* keys = r.elements(8, INT2OID, key_count);
    if (key_count == 0) return false;
    out.clear();
    if (type == 'p' || type == 'u') {
        if (r.is_null(20)) return false;
        out += type == 'p' ? "PRIMARY KEY " : "UNIQUE ";
        if (type == 'u' && r.boolean(19)) out += "NULLS NOT DISTINCT ";
        out += '(';
        if (!append_column_list(keys, 0, key_count, own, out)) return false;
        out += ')';
        int index_count = 0;
        Datum* index_keys = r.elements(20, INT2OID, index_count);
        if (index_count > key_count) {
            out += " INCLUDE (";
            if (!append_column_list(index_keys, key_count, index_count, own, out)) return false;
            out += ')';
        }
    } else if (type == 'f') {
        const char* schema = r.str(9);
        if (!schema || std::strcmp(schema, "pg_catalog") == 0 ||
            std::strncmp(schema, "pg_temp", 7) == 0)
            return false;  // names the server would print unqualified
        out += "FOREIGN KEY (";
        if (!append_column_list(keys, 0, key_count, own, out)) return false;
        out += ") REFERENCES ";
        out += quote_qualified_identifier(schema, r.str(10));
        out += '(';
        int referenced_count = 0;
        Datum* referenced_keys = r.elements(12, INT2OID, referenced_count);
        if (!append_column_list(referenced_keys, 0, referenced_count, referenced, out))
            return false;
        out += ')';
        const char match = r.character(15);
        if (match == 'f')
            out += " MATCH FULL";
        else if (match == 'p')
            out += " MATCH PARTIAL";
        else if (match != 's')
            return false;
        if (!append_action(" ON UPDATE ", r.character(13), out) ||
            !append_action(" ON DELETE ", r.character(14), out))
            return false;
        if (!r.is_null(18)) {
            int set_count = 0;
            Datum* set_columns = r.elements(18, INT2OID, set_count);
            out += " (";
            if (!append_column_list(set_columns, 0, set_count, own, out)) return false;
            out += ')';
        }
    } else {
        return false;
    }
    if (r.boolean(5)) out += " DEFERRABLE";
    if (r.boolean(6)) out += " INITIALLY DEFERRED";
    if (!r.boolean(7)) out += " NOT VALID";
    return true;
}

}  // namespace ender::glue::catalog
