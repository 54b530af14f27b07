// The diff of aggregates, operators, casts and text search dictionaries and configurations
// (diff_planner.hpp): created after the functions and types they use, dropped before them.
// What PostgreSQL can change in place is altered (an operator's estimators, a dictionary's
// options, a configuration's mappings); any other change drops the object and creates it again.
#include "diff_planner.hpp"

#include <algorithm>

namespace ender::engine::diff_detail {

namespace {

std::string aggregate_signature(const aggregate_def& a) {
    return qualified(a.id) + "(" + (a.arguments.empty() ? "*" : a.arguments) + ")";
}

std::string aggregate_sql(const aggregate_def& a) {
    std::string out = "CREATE AGGREGATE " + aggregate_signature(a) + " (" + a.options + ")";
    if (a.comment) out += ";\n" + comment_sql("AGGREGATE " + aggregate_signature(a), a.comment);
    return out;
}

// schema.op: an operator's name is never quoted.
std::string operator_name(const operator_def& o) {
    return quote_ident(o.id.schema) + "." + o.id.name;
}

std::string operator_signature(const operator_def& o) {
    return operator_name(o) + " (" + o.left.value_or("NONE") + ", " + o.right + ")";
}

std::string operator_sql(const operator_def& o) {
    std::string out = "CREATE OPERATOR " + operator_name(o) + " (FUNCTION = " + o.function;
    if (o.left) out += ", LEFTARG = " + *o.left;
    out += ", RIGHTARG = " + o.right;
    if (o.commutator) out += ", COMMUTATOR = " + *o.commutator;
    if (o.negator) out += ", NEGATOR = " + *o.negator;
    if (o.restriction) out += ", RESTRICT = " + *o.restriction;
    if (o.join) out += ", JOIN = " + *o.join;
    if (o.hashes) out += ", HASHES";
    if (o.merges) out += ", MERGES";
    out += ")";
    if (o.comment) out += ";\n" + comment_sql("OPERATOR " + operator_signature(o), o.comment);
    return out;
}

// ALTER OPERATOR giving `o` the estimators of `to`.
std::string operator_estimators_sql(const operator_def& o, const operator_def& to) {
    return "ALTER OPERATOR " + operator_signature(o) +
           " SET (RESTRICT = " + to.restriction.value_or("NONE") +
           ", JOIN = " + to.join.value_or("NONE") + ")";
}

std::string cast_signature(const cast_def& c) {
    return "(" + c.source + " AS " + c.target + ")";
}

std::string cast_sql(const cast_def& c) {
    std::string out = "CREATE CAST " + cast_signature(c);
    if (c.method == "function" && c.function)
        out += " WITH FUNCTION " + *c.function;
    else if (c.method == "inout")
        out += " WITH INOUT";
    else
        out += " WITHOUT FUNCTION";
    if (c.context == "assignment") out += " AS ASSIGNMENT";
    if (c.context == "implicit") out += " AS IMPLICIT";
    if (c.comment) out += ";\n" + comment_sql("CAST " + cast_signature(c), c.comment);
    return out;
}

std::string dictionary_sql(const text_search_dictionary_def& d) {
    std::string out = "CREATE TEXT SEARCH DICTIONARY " + qualified(d.id) +
                      " (TEMPLATE = " + d.template_name + (d.options ? ", " + *d.options : "") +
                      ")";
    if (d.comment)
        out += ";\n" + comment_sql("TEXT SEARCH DICTIONARY " + qualified(d.id), d.comment);
    return out;
}

// The options of a dictionary as pg_ts_dict keeps them (name = 'value', name = 1, ...):
// each option's text, split at the commas outside quotes.
std::vector<std::string> dictionary_options(const opt_text& options) {
    std::vector<std::string> out;
    if (!options) return out;
    std::string current;
    char quote = 0;
    for (std::size_t i = 0; i < options->size(); ++i) {
        char c = (*options)[i];
        if (quote && c == quote)
            quote = 0;  // a doubled quote closes and opens again
        else if (!quote && (c == '\'' || c == '"'))
            quote = c;
        if (!quote && c == ',') {
            out.push_back(current);
            current.clear();
            while (i + 1 < options->size() && (*options)[i + 1] == ' ') ++i;
            continue;
        }
        current += c;
    }
    if (!current.empty()) out.push_back(current);
    return out;
}

// The name of one option ("name = value").
std::string dictionary_option_name(const std::string& option) {
    return option.substr(0, option.find(" = "));
}

// ALTER TEXT SEARCH DICTIONARY from `from`'s options to `to`'s: every option of `to` set again,
// in its order (the server appends each one it sets), and those `to` lacks removed.
std::string dictionary_options_sql(const text_search_dictionary_def& from,
                                   const text_search_dictionary_def& to) {
    std::vector<std::string> wanted = dictionary_options(to.options), parts = wanted;
    for (const auto& old : dictionary_options(from.options)) {
        std::string name = dictionary_option_name(old);
        if (std::none_of(wanted.begin(), wanted.end(),
                         [&](const std::string& w) { return dictionary_option_name(w) == name; }))
            parts.insert(parts.begin(), name);
    }
    std::string list;
    for (const auto& p : parts) list += (list.empty() ? "" : ", ") + p;
    return "ALTER TEXT SEARCH DICTIONARY " + qualified(to.id) + " (" + list + ")";
}

std::string mapping_sql(const text_search_configuration_def& c, const char* verb,
                        const text_search_mapping& m) {
    std::string dictionaries;
    for (const auto& d : m.dictionaries) dictionaries += (dictionaries.empty() ? "" : ", ") + d;
    return "ALTER TEXT SEARCH CONFIGURATION " + qualified(c.id) + " " + verb + " MAPPING FOR " +
           m.token + " WITH " + dictionaries;
}

std::string drop_mapping_sql(const text_search_configuration_def& c, const text_search_mapping& m) {
    return "ALTER TEXT SEARCH CONFIGURATION " + qualified(c.id) + " DROP MAPPING FOR " + m.token;
}

std::string configuration_sql(const text_search_configuration_def& c) {
    std::string out =
        "CREATE TEXT SEARCH CONFIGURATION " + qualified(c.id) + " (PARSER = " + c.parser + ")";
    for (const auto& m : c.mappings) out += ";\n" + mapping_sql(c, "ADD", m);
    if (c.comment)
        out += ";\n" + comment_sql("TEXT SEARCH CONFIGURATION " + qualified(c.id), c.comment);
    return out;
}

const text_search_mapping* find_mapping(const text_search_configuration_def& c,
                                        const std::string& token) {
    for (const auto& m : c.mappings)
        if (m.token == token) return &m;
    return nullptr;
}

template <typename T>
bool same_but_comment(T a, const T& b) {
    a.comment = b.comment;
    return a == b;
}

// The restrict and join estimators, which ALTER OPERATOR changes, left out.
bool same_operator_but_estimators(operator_def a, const operator_def& b) {
    a.restriction = b.restriction;
    a.join = b.join;
    a.comment = b.comment;
    return a == b;
}

template <typename T>
const T* find_cast(const std::vector<T>& casts, const cast_def& c) {
    for (const auto& item : casts)
        if (item.source == c.source && item.target == c.target) return &item;
    return nullptr;
}

template <typename T>
const T* find_operator(const std::vector<T>& operators, const operator_def& o) {
    for (const auto& item : operators)
        if (item.id == o.id && item.left == o.left && item.right == o.right) return &item;
    return nullptr;
}

template <typename T>
const T* find_aggregate(const std::vector<T>& aggregates, const aggregate_def& a) {
    for (const auto& item : aggregates)
        if (item.id == a.id && item.argument_types == a.argument_types) return &item;
    return nullptr;
}

}  // namespace

// Which objects are dropped and created again: changed beyond what can be altered, or calling a
// function that is dropped. A dropped or recreated aggregate counts as a dropped function (the
// views that call it are rebuilt around it).
void diff_planner::analyse_catalog_objects() {
    auto calls_dropped = [&](const std::vector<function_key>& functions) {
        return std::any_of(functions.begin(), functions.end(),
                           [&](const function_key& f) { return dropped_functions_.count(f) > 0; });
    };
    for (const auto& a : from_.aggregates) {
        const aggregate_def* to = find_aggregate(to_.aggregates, a);
        bool recreated = to && (!same_but_comment(a, *to) || calls_dropped(a.functions));
        if (recreated) recreated_objects_.insert("AGGREGATE " + aggregate_signature(a));
        if (recreated || (!to && to_.aggregates_listed))
            dropped_functions_.insert({a.id, a.argument_types});
    }
    for (const auto& o : from_.operators)
        if (const operator_def* to = find_operator(to_.operators, o);
            to && (!same_operator_but_estimators(o, *to) || calls_dropped(o.functions)))
            recreated_objects_.insert("OPERATOR " + operator_signature(o));
    for (const auto& c : from_.casts)
        if (const cast_def* to = find_cast(to_.casts, c);
            to && (!same_but_comment(c, *to) || calls_dropped(c.functions)))
            recreated_objects_.insert("CAST " + cast_signature(c));
    std::set<std::string> recreated_dictionaries;  // as a mapping names them (regdictionary)
    for (const auto& d : from_.text_search_dictionaries)
        if (const auto* to = find_id(to_.text_search_dictionaries, d.id);
            to && to->template_name != d.template_name) {
            recreated_objects_.insert("TEXT SEARCH DICTIONARY " + qualified(d.id));
            recreated_dictionaries.insert(quote_ident_as_needed(d.id.schema) + "." +
                                          quote_ident_as_needed(d.id.name));
        }
    // A configuration goes with a dictionary it maps to that is created again, or its parser.
    for (const auto& c : from_.text_search_configurations) {
        const auto* to = find_id(to_.text_search_configurations, c.id);
        bool rebuilt = to && to->parser != c.parser;
        for (const auto& m : c.mappings)
            for (const auto& d : m.dictionaries)
                if (recreated_dictionaries.count(d)) rebuilt = true;
        if (rebuilt) recreated_objects_.insert("TEXT SEARCH CONFIGURATION " + qualified(c.id));
    }
}

// Drops of the objects created again (after the views that use them, before the functions
// they call): configurations before their dictionaries.
void diff_planner::drop_recreated_catalog_objects() {
    auto recreated = [&](const std::string& what) { return recreated_objects_.count(what) > 0; };
    for (const auto& c : from_.text_search_configurations)
        if (recreated("TEXT SEARCH CONFIGURATION " + qualified(c.id)))
            add(drops_, "DROP TEXT SEARCH CONFIGURATION " + qualified(c.id), configuration_sql(c),
                "text search configuration", qualified(c.id));
    for (const auto& d : from_.text_search_dictionaries)
        if (recreated("TEXT SEARCH DICTIONARY " + qualified(d.id)))
            add(drops_, "DROP TEXT SEARCH DICTIONARY " + qualified(d.id), dictionary_sql(d),
                "text search dictionary", qualified(d.id));
    for (const auto& c : from_.casts)
        if (recreated("CAST " + cast_signature(c)))
            add(drops_, "DROP CAST " + cast_signature(c), cast_sql(c), "cast", cast_signature(c));
    for (const auto& o : from_.operators)
        if (recreated("OPERATOR " + operator_signature(o)))
            add(drops_, "DROP OPERATOR " + operator_signature(o), operator_sql(o), "operator",
                operator_signature(o));
    for (const auto& a : from_.aggregates)
        if (recreated("AGGREGATE " + aggregate_signature(a)))
            add(drops_, "DROP AGGREGATE " + aggregate_signature(a), aggregate_sql(a), "aggregate",
                aggregate_signature(a));
}

// Creation and change, after the types and functions they use: dictionaries before the
// configurations that map to them.
void diff_planner::create_catalog_objects() {
    auto kept = [&](const std::string& what, const void* old) {
        return old && !recreated_objects_.count(what);
    };
    for (const auto& d : to_.text_search_dictionaries) {
        const auto* old = find_id(from_.text_search_dictionaries, d.id);
        if (!kept("TEXT SEARCH DICTIONARY " + qualified(d.id), old))
            add(early_, dictionary_sql(d), "DROP TEXT SEARCH DICTIONARY " + qualified(d.id),
                "text search dictionary", qualified(d.id));
        else if (old->options != d.options)
            add(early_, dictionary_options_sql(*old, d), dictionary_options_sql(d, *old),
                "text search dictionary", qualified(d.id));
    }
    for (const auto& c : to_.text_search_configurations) {
        const auto* old = find_id(from_.text_search_configurations, c.id);
        if (!kept("TEXT SEARCH CONFIGURATION " + qualified(c.id), old)) {
            add(early_, configuration_sql(c), "DROP TEXT SEARCH CONFIGURATION " + qualified(c.id),
                "text search configuration", qualified(c.id));
            continue;
        }
        for (const auto& m : old->mappings)
            if (!find_mapping(c, m.token))
                add(early_, drop_mapping_sql(c, m), mapping_sql(c, "ADD", m),
                    "text search configuration", qualified(c.id));
        for (const auto& m : c.mappings) {
            const text_search_mapping* was = find_mapping(*old, m.token);
            if (!was)
                add(early_, mapping_sql(c, "ADD", m), drop_mapping_sql(c, m),
                    "text search configuration", qualified(c.id));
            else if (*was != m)
                add(early_, mapping_sql(c, "ALTER", m), mapping_sql(c, "ALTER", *was),
                    "text search configuration", qualified(c.id));
        }
    }
    for (const auto& a : to_.aggregates)
        if (!kept("AGGREGATE " + aggregate_signature(a), find_aggregate(from_.aggregates, a)))
            add(early_, aggregate_sql(a), "DROP AGGREGATE " + aggregate_signature(a), "aggregate",
                aggregate_signature(a));
    for (const auto& o : to_.operators) {
        const operator_def* old = find_operator(from_.operators, o);
        if (!kept("OPERATOR " + operator_signature(o), old))
            add(early_, operator_sql(o), "DROP OPERATOR " + operator_signature(o), "operator",
                operator_signature(o));
        else if (old->restriction != o.restriction || old->join != o.join)
            add(early_, operator_estimators_sql(o, o), operator_estimators_sql(o, *old), "operator",
                operator_signature(o));
    }
    for (const auto& c : to_.casts)
        if (!kept("CAST " + cast_signature(c), find_cast(from_.casts, c)))
            add(early_, cast_sql(c), "DROP CAST " + cast_signature(c), "cast", cast_signature(c));
}

// Comments of the objects kept (new and recreated ones get theirs when created).
void diff_planner::comment_catalog_objects() {
    auto comment = [&](const std::string& what, const auto* old, const opt_text& now) {
        if (old && !recreated_objects_.count(what) && old->comment != now)
            add(late_, comment_sql(what, now), comment_sql(what, old->comment), "comment", what);
    };
    for (const auto& a : to_.aggregates)
        comment("AGGREGATE " + aggregate_signature(a), find_aggregate(from_.aggregates, a),
                a.comment);
    for (const auto& o : to_.operators)
        comment("OPERATOR " + operator_signature(o), find_operator(from_.operators, o), o.comment);
    for (const auto& c : to_.casts)
        comment("CAST " + cast_signature(c), find_cast(from_.casts, c), c.comment);
    for (const auto& d : to_.text_search_dictionaries)
        comment("TEXT SEARCH DICTIONARY " + qualified(d.id),
                find_id(from_.text_search_dictionaries, d.id), d.comment);
    for (const auto& c : to_.text_search_configurations)
        comment("TEXT SEARCH CONFIGURATION " + qualified(c.id),
                find_id(from_.text_search_configurations, c.id), c.comment);
}

// Drops of the objects the target does not have (when it lists them), after the tables and
// before the functions and types they use: configurations before their dictionaries.
void diff_planner::remove_catalog_objects() {
    if (to_.text_search_listed) {
        for (const auto& c : from_.text_search_configurations)
            if (!find_id(to_.text_search_configurations, c.id))
                add(final_, "DROP TEXT SEARCH CONFIGURATION " + qualified(c.id),
                    configuration_sql(c), "text search configuration", qualified(c.id));
        for (const auto& d : from_.text_search_dictionaries)
            if (!find_id(to_.text_search_dictionaries, d.id))
                add(final_, "DROP TEXT SEARCH DICTIONARY " + qualified(d.id), dictionary_sql(d),
                    "text search dictionary", qualified(d.id));
    }
    for (const auto& c : from_.casts)
        if (to_.casts_listed && !find_cast(to_.casts, c))
            add(final_, "DROP CAST " + cast_signature(c), cast_sql(c), "cast", cast_signature(c));
    for (const auto& o : from_.operators)
        if (to_.operators_listed && !find_operator(to_.operators, o))
            add(final_, "DROP OPERATOR " + operator_signature(o), operator_sql(o), "operator",
                operator_signature(o));
    for (const auto& a : from_.aggregates)
        if (to_.aggregates_listed && !find_aggregate(to_.aggregates, a))
            add(final_, "DROP AGGREGATE " + aggregate_signature(a), aggregate_sql(a), "aggregate",
                aggregate_signature(a));
}

}  // namespace ender::engine::diff_detail
