// The USING expressions of a column's type change (diff_planner.hpp): the conversion the target
// declares for the column's earlier type, else a plain cast — through text when an enum is on
// either side, since an enum casts to and from text only. A plain cast the server does not have
// is refused here (42846), at diff time, rather than written as a step that fails when applied.
#include "diff_planner.hpp"

#include "error.hpp"

namespace ender::engine::diff_detail {
namespace {

// The base type of `type` when it names a domain of `doc` (a domain of a domain: its base at
// the bottom), else `type`: a cast from or to a domain is the cast of its base type.
std::string base_type(const std::string& type, const snapshot& doc) {
    std::string out = type;
    for (std::size_t depth = 0; depth < 16 && !out.empty() && out.back() != ']'; ++depth) {
        auto named = named_type(out);
        const domain_def* found = nullptr;
        if (named)
            for (const auto& d : doc.domains)
                if (d.id == *named) found = &d;
        if (!found) break;
        out = found->type;
    }
    return out;
}

}  // namespace

// Whether the server can cast `from` (a type of the document `from_doc`) to `to` (of `to_doc`)
// explicitly. The glue answers from the catalog; domains of the documents count as their base.
bool diff_planner::casts(const std::string& from, const snapshot& from_doc, const std::string& to,
                         const snapshot& to_doc) const {
    if (!cast_exists_) return true;
    return cast_exists_(base_type(from, from_doc), base_type(to, to_doc));
}

diff_planner::retype_sql diff_planner::retype_expressions(const qualified_name& table,
                                                          const column_def& c,
                                                          const column_def& old) const {
    const std::string col = quote_ident(c.name);
    const bool same = old.type == c.type;  // a collation change
    // An enum has casts to and from text only: to another enum, or to any other type, the value
    // goes through its text (which every type casts to and from).
    const bool through_text =
        !same && (is_enum(old.type) || is_enum(c.type)) && old.type != "text" && c.type != "text";
    const std::string via = through_text ? "::text::" : "::";
    opt_text back;  // the plain cast back, when the server has it
    if (same || through_text || casts(c.type, to_, old.type, from_)) back = col + via + old.type;
    if (!same)
        for (const auto& conversion : c.conversions)
            if (!conversion.from || *conversion.from == old.type)
                return {conversion.up, conversion.down ? conversion.down : back};
    if (!same && !through_text && !casts(old.type, from_, c.type, to_)) {
        const std::string what = qualified(table) + "." + col;
        throw error(sqlstate::cannot_coerce,
                    "cannot convert column " + what + " from type " + old.type + " to " + c.type,
                    "The server has no cast from " + old.type + " to " + c.type + ", so ALTER " +
                        "COLUMN ... TYPE " + c.type + " USING " + col + "::" + c.type +
                        " would fail.",
                    "Declare how the column converts: \"conversions\": [{\"from\": \"" + old.type +
                        "\", \"using\": \"<expression>\", \"down\": null}] on " +
                        "the column of the target document, or converts_from(\"" + old.type +
                        "\", \"<expression>\") on the column of the C++ model.");
    }
    return {col + via + c.type, back};
}

}  // namespace ender::engine::diff_detail
