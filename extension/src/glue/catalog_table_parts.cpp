// The columns, constraints and indexes of a snapshot's tables (catalog_table_parts.hpp). Each
// reader scans its catalogs once per table through their indexes and writes what it finds as
// JSON or into the engine's tables (one writer per output, overloaded); everything it calls
// runs inside pg_guard and writes only into objects declared outside it.
#include "catalog_table_parts.hpp"

extern "C" {
#include "catalog/pg_attrdef.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "utils/syscache.h"
}

#include "catalog_definitions.hpp"
#include "catalog_names.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace ender::glue::catalog {

namespace {

// The text a server function returned, as a C string.
const char* text_result(Datum value) {
    return text_to_cstring(DatumGetTextPP(value));
}

// Datum and null flag of a text value that may be absent.
void set_text(Datum& value, bool& null, const char* text) {
    null = text == nullptr;
    value = null ? (Datum)0 : CStringGetTextDatum(text);
}

// The trees of a table's column defaults (pg_attrdef.adbin as text), by column number.
void load_default_trees(Relation attrdefs, Oid table, std::vector<const char*>& trees) {
    trees.clear();
    scan_by_oid(attrdefs, AttrDefaultIndexId, Anum_pg_attrdef_adrelid, table,
                [&](HeapTuple tuple, TupleDesc desc) {
                    const int number = reinterpret_cast<Form_pg_attrdef>(GETSTRUCT(tuple))->adnum;
                    bool null = false;
                    Datum tree = heap_getattr(tuple, Anum_pg_attrdef_adbin, desc, &null);
                    if (number <= 0 || null) return;
                    if (trees.size() <= static_cast<std::size_t>(number))
                        trees.resize(number + 1, nullptr);
                    trees[number] = TextDatumGetCString(tree);
                });
}

// Readers write a table's list into a JSON array (one per table) or into the engine's table.
void size_lists(std::vector<json_text>& lists, std::size_t count) {
    lists.assign(count, json_text());
}
void size_lists(std::vector<engine::table_def>& tables, std::size_t count) {
    tables.resize(count);
}
void begin_list(json_text& list) {
    list.begin_array();
}
void begin_list(engine::table_def&) {}
void end_list(json_text& list) {
    list.end_array();
}
void end_list(engine::table_def&) {}

// What the document says of one column.
struct column_fields {
    const char* name;
    const std::string& type;
    bool not_null;
    const char* default_expr;
    const char* generated;
    const char* identity;
    const char* collation;
    const char* comment;
    bool inherited;
};

void write_column(const column_fields& f, json_text& list) {
    json_text& c = list.begin_object();
    c.key("name").value(f.name).key("type").value(f.type);
    c.key("not_null").value(f.not_null).key("default").value_or_null(f.default_expr);
    c.key("generated").value_or_null(f.generated).key("identity").value_or_null(f.identity);
    c.key("collation").value_or_null(f.collation).key("comment").value_or_null(f.comment);
    c.key("inherited").value(f.inherited).end_object();
}

void write_column(const column_fields& f, engine::table_def& table) {
    engine::column_def c{f.name,
                         f.type,
                         f.not_null,
                         optional(f.default_expr),
                         optional(f.generated),
                         optional(f.identity),
                         optional(f.collation),
                         optional(f.comment),
                         f.inherited};
    table.columns.push_back(std::move(c));
}

template <typename List>
void read_columns_into(table_set& tables, std::vector<List>& lists) {
    size_lists(lists, tables.oids.size());
    type_names types;
    collation_names collations;
    deparsed_once defaults;
    std::vector<const char*> trees;
    glue::pg_guard([&] {
        Relation attributes = table_open(AttributeRelationId, AccessShareLock);
        Relation attrdefs = table_open(AttrDefaultRelationId, AccessShareLock);
        for (std::size_t i = 0; i < tables.oids.size(); ++i) {
            const Oid table = tables.oids[i];
            load_default_trees(attrdefs, table, trees);
            List& list = lists[i];
            begin_list(list);
            scan_by_oid(
                attributes, AttributeRelidNumIndexId, Anum_pg_attribute_attrelid, table,
                [&](HeapTuple tuple, TupleDesc) {
                    auto* a = reinterpret_cast<Form_pg_attribute>(GETSTRUCT(tuple));
                    if (a->attnum <= 0 || a->attisdropped) return;
                    const char* name = NameStr(a->attname);
                    tables.names.add(table, a->attnum, name, a->atttypid, a->attcollation);
                    const char* tree = static_cast<std::size_t>(a->attnum) < trees.size()
                                           ? trees[a->attnum]
                                           : nullptr;
                    const bool generated = tree && a->attgenerated == 's';
                    write_column(
                        column_fields{
                            name, types.of(a->atttypid, a->atttypmod),
                            static_cast<bool>(a->attnotnull),
                            tree && a->attgenerated == '\0' ? defaults.of(tree).c_str() : nullptr,
                            // Generated expressions refer to columns: deparsed with the table.
                            generated ? text_result(DirectFunctionCall2(pg_get_expr,
                                                                        CStringGetTextDatum(tree),
                                                                        ObjectIdGetDatum(table)))
                                      : nullptr,
                            a->attidentity == 'a'   ? "always"
                            : a->attidentity == 'd' ? "by default"
                                                    : nullptr,
                            collations.of(a->atttypid, a->attcollation),
                            tables.comments.of(RelationRelationId, table, a->attnum),
                            !a->attislocal},
                        list);
                });
            end_list(list);
        }
        table_close(attrdefs, AccessShareLock);
        table_close(attributes, AccessShareLock);
    });
}

}  // namespace

void read_columns(table_set& tables, std::vector<json_text>& lists) {
    read_columns_into(tables, lists);
}
void read_columns(table_set& tables, std::vector<engine::table_def>& lists) {
    read_columns_into(tables, lists);
}

namespace {

// The row key_constraint_definition and the writer below read, numbered as the SQL query this
// reader replaced numbered its columns.
enum constraint_column {
    k_table = 1,
    k_name,
    k_type,
    k_definition,
    k_deferrable,
    k_deferred,
    k_valid,
    k_keys,
    k_referenced_schema,
    k_referenced_table,
    k_referenced,
    k_referenced_keys,
    k_on_update,
    k_on_delete,
    k_match,
    k_comment,
    k_oid,
    k_set_null_columns,
    k_nulls_not_distinct,
    k_index_keys,
    k_count = k_index_keys
};

// The definition of a constraint: deparsed by the reader (checks, exclusions), written from
// the row (keys), or else deparsed by the server.
const char* constraint_definition(const row& r, table_set& tables, std::string& definition) {
    if (!r.is_null(k_definition)) return r.str(k_definition);
    if (key_constraint_definition(r, tables.names.of(r.oid(k_table)),
                                  tables.names.of(r.oid(k_referenced)), definition))
        return definition.c_str();
    return text_result(DirectFunctionCall1(pg_get_constraintdef, r.oid(k_oid)));
}

// Writes one constraint of the list.
void write_constraint(const row& r, table_set& tables, const char* definition, json_text& c) {
    c.begin_object();
    const char type = r.character(k_type);
    c.key("name").value(r.str(k_name)).key("type").value_or_null(constraint_word(type));
    c.key("definition").value(definition);
    c.key("deferrable").value(r.boolean(k_deferrable));
    c.key("deferred").value(r.boolean(k_deferred)).key("valid").value(r.boolean(k_valid));
    c.key("columns");
    r.column_names(k_keys, tables.names.of(r.oid(k_table)), c);
    c.key("references");
    if (type == 'f') {
        c.begin_object().key("schema").value_or_null(r.str(k_referenced_schema));
        c.key("table").value_or_null(r.str(k_referenced_table)).key("columns");
        r.column_names(k_referenced_keys, tables.names.of(r.oid(k_referenced)), c);
        c.key("on_update").value_or_null(action_word(r.character(k_on_update)));
        c.key("on_delete").value_or_null(action_word(r.character(k_on_delete)));
        const char match = r.character(k_match);
        c.key("match").value(match == 'f' ? "full" : match == 'p' ? "partial" : "simple");
        c.end_object();
    } else {
        c.null();
    }
    c.key("comment").value_or_null(r.str(k_comment)).end_object();
}

// The same into the engine's table: what the diff compares (the definition says the rest).
void write_constraint(const row& r, table_set&, const char* definition, engine::table_def& t) {
    const char type = r.character(k_type);
    const char* word = constraint_word(type);
    engine::constraint_def c{
        r.str(k_name),           word ? word : "",      definition,       r.boolean(k_valid),
        r.boolean(k_deferrable), r.boolean(k_deferred), r.opt(k_comment), {}};
    if (type == 'f') {
        const char* schema = r.str(k_referenced_schema);
        const char* table = r.str(k_referenced_table);
        c.references = engine::qualified_name{schema ? schema : "", table ? table : ""};
    }
    t.constraints.push_back(std::move(c));
}

// The schema and name of referenced tables (palloc'd), looked up once per table.
struct table_name {
    const char* schema;
    const char* name;
};

template <typename List>
void read_constraints_into(table_set& tables, std::vector<List>& lists) {
    size_lists(lists, tables.oids.size());
    std::string definition;
    std::unordered_map<Oid, table_name> referenced;
    glue::pg_guard([&] {
        Relation constraints = table_open(ConstraintRelationId, AccessShareLock);
        Relation attributes = table_open(AttributeRelationId, AccessShareLock);
        TupleDesc desc = RelationGetDescr(constraints);
        for (std::size_t i = 0; i < tables.oids.size(); ++i) {
            const Oid table = tables.oids[i];
            List& list = lists[i];
            begin_list(list);
            scan_by_oid(
                constraints, ConstraintRelidTypidNameIndexId, Anum_pg_constraint_conrelid, table,
                [&](HeapTuple tuple, TupleDesc) {
                    auto* con = reinterpret_cast<Form_pg_constraint>(GETSTRUCT(tuple));
                    const char type = con->contype;
                    if (type == 'p' || type == 'u' || type == 'x')
                        tables.constraint_indexes.insert(con->conindid);
                    if (con->conparentid != 0 || type == 't' || !con->conislocal) return;
                    Datum fields[Natts_pg_constraint];
                    bool field_nulls[Natts_pg_constraint];
                    heap_deform_tuple(tuple, desc, fields, field_nulls);
                    auto field = [&](Datum& v, bool& n, int number) {
                        v = fields[number - 1];
                        n = field_nulls[number - 1];
                    };
                    Datum v[k_count] = {};
                    bool n[k_count] = {};
                    v[k_table - 1] = ObjectIdGetDatum(table);
                    set_text(v[k_name - 1], n[k_name - 1], NameStr(con->conname));
                    v[k_type - 1] = CharGetDatum(type);
                    n[k_definition - 1] = type == 'p' || type == 'u' || type == 'f';
                    if (!n[k_definition - 1])
                        v[k_definition - 1] =
                            DirectFunctionCall1(pg_get_constraintdef, ObjectIdGetDatum(con->oid));
                    v[k_deferrable - 1] = BoolGetDatum(con->condeferrable);
                    v[k_deferred - 1] = BoolGetDatum(con->condeferred);
                    v[k_valid - 1] = BoolGetDatum(con->convalidated);
                    field(v[k_keys - 1], n[k_keys - 1], Anum_pg_constraint_conkey);
                    const Oid other = con->confrelid;
                    table_name other_name{nullptr, nullptr};
                    if (OidIsValid(other)) {
                        auto found = referenced.find(other);
                        if (found == referenced.end()) {
                            const char* name = get_rel_name(other);
                            const char* schema =
                                name ? get_namespace_name(get_rel_namespace(other)) : nullptr;
                            found = referenced.emplace(other, table_name{schema, name}).first;
                        }
                        other_name = found->second;
                        // Columns of a referenced table outside the schemas read.
                        if (type == 'f' && !tables.names.has(other))
                            load_column_names(attributes, other, tables.names);
                    }
                    set_text(v[k_referenced_schema - 1], n[k_referenced_schema - 1],
                             other_name.schema);
                    set_text(v[k_referenced_table - 1], n[k_referenced_table - 1], other_name.name);
                    v[k_referenced - 1] = ObjectIdGetDatum(other);
                    field(v[k_referenced_keys - 1], n[k_referenced_keys - 1],
                          Anum_pg_constraint_confkey);
                    v[k_on_update - 1] = CharGetDatum(con->confupdtype);
                    v[k_on_delete - 1] = CharGetDatum(con->confdeltype);
                    v[k_match - 1] = CharGetDatum(con->confmatchtype);
                    set_text(v[k_comment - 1], n[k_comment - 1],
                             tables.comments.of(ConstraintRelationId, con->oid));
                    v[k_oid - 1] = ObjectIdGetDatum(con->oid);
                    field(v[k_set_null_columns - 1], n[k_set_null_columns - 1],
                          Anum_pg_constraint_confdelsetcols);
                    n[k_nulls_not_distinct - 1] = n[k_index_keys - 1] = true;
                    if (type == 'p' || type == 'u') {
                        HeapTuple index =
                            SearchSysCache1(INDEXRELID, ObjectIdGetDatum(con->conindid));
                        if (HeapTupleIsValid(index)) {
                            auto* form = reinterpret_cast<Form_pg_index>(GETSTRUCT(index));
                            const Size size = VARSIZE(&form->indkey);
                            void* keys = palloc(size);
                            std::memcpy(keys, &form->indkey, size);
                            v[k_nulls_not_distinct - 1] = BoolGetDatum(form->indnullsnotdistinct);
                            v[k_index_keys - 1] = PointerGetDatum(keys);
                            n[k_nulls_not_distinct - 1] = n[k_index_keys - 1] = false;
                            ReleaseSysCache(index);
                        }
                    }
                    const row r(v, n, k_count);
                    write_constraint(r, tables, constraint_definition(r, tables, definition), list);
                });
            end_list(list);
        }
        table_close(attributes, AccessShareLock);
        table_close(constraints, AccessShareLock);
    });
}

}  // namespace

void read_constraints(table_set& tables, std::vector<json_text>& lists) {
    read_constraints_into(tables, lists);
}
void read_constraints(table_set& tables, std::vector<engine::table_def>& lists) {
    read_constraints_into(tables, lists);
}

namespace {

// The row simple_index_definition and the writer below read, numbered as the SQL query this
// reader replaced numbered its columns.
enum index_column {
    i_table = 1,
    i_name,
    i_index,
    i_unique,
    i_method_name,
    i_predicate,
    i_nulls_not_distinct,
    i_comment,
    i_plain,
    i_method,
    i_key_count,
    i_keys,
    i_classes,
    i_collations,
    i_options,
    i_count = i_options
};

// An index of the table being read, before it is written in name order.
struct index_entry {
    const char* name;
    HeapTuple tuple;  // its pg_index row (a copy)
    Oid method;
    bool plain_relation;  // a plain index (not partitioned) without storage options
};

// Whether any column of `index` has options (ALTER INDEX ... ALTER COLUMN ... SET).
bool has_column_options(Relation attributes, Oid index) {
    bool any = false;
    scan_by_oid(attributes, AttributeRelidNumIndexId, Anum_pg_attribute_attrelid, index,
                [&](HeapTuple tuple, TupleDesc desc) {
                    any = any || !heap_attisnull(tuple, Anum_pg_attribute_attoptions, desc);
                });
    return any;
}

// The definition of an index: written from the row when it is a plain one, else deparsed.
const char* index_definition(const row& r, table_set& tables, const std::string& qualified,
                             default_opclasses& opclasses, std::string& definition) {
    if (simple_index_definition(r, tables.names.of(r.oid(i_table)), qualified, opclasses,
                                definition))
        return definition.c_str();
    return text_result(DirectFunctionCall1(pg_get_indexdef, r.oid(i_index)));
}

// Writes one index of the list.
void write_index(const row& r, const char* definition, json_text& i) {
    i.begin_object().key("name").value(r.str(i_name)).key("definition").value(definition);
    i.key("unique").value(r.boolean(i_unique));
    i.key("method").value(r.str(i_method_name)).key("predicate").value_or_null(r.str(i_predicate));
    i.key("nulls_not_distinct").value(r.boolean(i_nulls_not_distinct));
    i.key("comment").value_or_null(r.str(i_comment)).end_object();
}

// The same into the engine's table.
void write_index(const row& r, const char* definition, engine::table_def& t) {
    t.indexes.push_back(
        engine::index_def{r.str(i_name), definition, r.boolean(i_unique), r.opt(i_comment)});
}

template <typename List>
void read_indexes_into(table_set& tables, std::vector<List>& lists) {
    size_lists(lists, tables.oids.size());
    std::vector<index_entry> entries;
    std::unordered_map<Oid, const char*> method_names;
    default_opclasses opclasses;
    std::string definition;
    glue::pg_guard([&] {
        Relation indexes = table_open(IndexRelationId, AccessShareLock);
        Relation attributes = table_open(AttributeRelationId, AccessShareLock);
        TupleDesc desc = RelationGetDescr(indexes);
        for (std::size_t t = 0; t < tables.oids.size(); ++t) {
            const Oid table = tables.oids[t];
            entries.clear();
            scan_by_oid(
                indexes, IndexIndrelidIndexId, Anum_pg_index_indrelid, table,
                [&](HeapTuple tuple, TupleDesc) {
                    const Oid index = reinterpret_cast<Form_pg_index>(GETSTRUCT(tuple))->indexrelid;
                    if (tables.constraint_indexes.count(index) || has_superclass(index)) return;
                    HeapTuple relation = SearchSysCache1(RELOID, ObjectIdGetDatum(index));
                    if (!HeapTupleIsValid(relation))
                        elog(ERROR, "cache lookup failed for relation %u", index);
                    auto* form = reinterpret_cast<Form_pg_class>(GETSTRUCT(relation));
                    bool no_options = false;
                    SysCacheGetAttr(RELOID, relation, Anum_pg_class_reloptions, &no_options);
                    entries.push_back({pstrdup(NameStr(form->relname)), heap_copytuple(tuple),
                                       form->relam, no_options && form->relkind == RELKIND_INDEX});
                    ReleaseSysCache(relation);
                });
            std::sort(entries.begin(), entries.end(),
                      [](const index_entry& a, const index_entry& b) {
                          return std::strcmp(a.name, b.name) < 0;
                      });
            List& list = lists[t];
            begin_list(list);
            for (const index_entry& e : entries) {
                auto* index = reinterpret_cast<Form_pg_index>(GETSTRUCT(e.tuple));
                Datum v[i_count] = {};
                bool n[i_count] = {};
                auto field = [&](int column, int number) {
                    v[column - 1] = heap_getattr(e.tuple, number, desc, &n[column - 1]);
                };
                v[i_table - 1] = ObjectIdGetDatum(table);
                set_text(v[i_name - 1], n[i_name - 1], e.name);
                v[i_index - 1] = ObjectIdGetDatum(index->indexrelid);
                v[i_unique - 1] = BoolGetDatum(index->indisunique);
                auto method = method_names.find(e.method);
                if (method == method_names.end())
                    method = method_names.emplace(e.method, get_am_name(e.method)).first;
                set_text(v[i_method_name - 1], n[i_method_name - 1], method->second);
                field(i_predicate, Anum_pg_index_indpred);
                if (!n[i_predicate - 1])
                    v[i_predicate - 1] = DirectFunctionCall2(pg_get_expr, v[i_predicate - 1],
                                                             ObjectIdGetDatum(table));
                v[i_nulls_not_distinct - 1] = BoolGetDatum(index->indnullsnotdistinct);
                set_text(v[i_comment - 1], n[i_comment - 1],
                         tables.comments.of(RelationRelationId, index->indexrelid));
                v[i_plain - 1] = BoolGetDatum(
                    e.plain_relation && heap_attisnull(e.tuple, Anum_pg_index_indexprs, desc) &&
                    !has_column_options(attributes, index->indexrelid));
                v[i_method - 1] = ObjectIdGetDatum(e.method);
                v[i_key_count - 1] = Int16GetDatum(index->indnkeyatts);
                field(i_keys, Anum_pg_index_indkey);
                field(i_classes, Anum_pg_index_indclass);
                field(i_collations, Anum_pg_index_indcollation);
                field(i_options, Anum_pg_index_indoption);
                const row r(v, n, i_count);
                write_index(r,
                            index_definition(r, tables, tables.qualified[t], opclasses, definition),
                            list);
            }
            end_list(list);
        }
        table_close(attributes, AccessShareLock);
        table_close(indexes, AccessShareLock);
    });
}

}  // namespace

void read_indexes(table_set& tables, std::vector<json_text>& lists) {
    read_indexes_into(tables, lists);
}
void read_indexes(table_set& tables, std::vector<engine::table_def>& lists) {
    read_indexes_into(tables, lists);
}

}  // namespace ender::glue::catalog
