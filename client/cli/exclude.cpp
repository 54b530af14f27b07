// What diff, check and autogenerate leave out (config.hpp: exclude, --exclude, alembic_version):
// the target document's excluded objects are replaced by the live database's own, so that the
// diff finds nothing to do for them, whichever side has them.
#include "verbs.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <set>

namespace ender::cli {

namespace {

struct pattern {
    std::optional<std::string> schema;  // none: any schema
    std::string name;
    bool whole_schema = false;  // "schema.*"
};

std::vector<pattern> patterns_of(const std::vector<std::string>& list) {
    std::vector<pattern> out;
    for (const auto& item : list) {
        auto dot = item.find('.');
        if (dot == std::string::npos) {
            out.push_back({std::nullopt, item, false});
            continue;
        }
        pattern p{item.substr(0, dot), item.substr(dot + 1), false};
        if (p.schema->empty() || p.name.empty() || p.name.find('.') != std::string::npos)
            fail("invalid exclude pattern \"" + item + "\"", {},
                 "Write a table (name or schema.name, with * and ? as wildcards) or a whole "
                 "schema (schema.*).");
        p.whole_schema = p.name == "*";
        out.push_back(std::move(p));
    }
    return out;
}

bool glob(const std::string& pattern, const std::string& text) {
    return fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

std::string field(const nlohmann::json& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The lists whose entries are relations a table pattern names.
const std::set<std::string> relation_lists = {"tables", "views", "sequences"};

class matcher {
public:
    explicit matcher(std::vector<pattern> p) : patterns_(std::move(p)) {}

    bool schema_excluded(const std::string& schema) const {
        return std::any_of(patterns_.begin(), patterns_.end(), [&](const pattern& p) {
            return p.whole_schema && glob(*p.schema, schema);
        });
    }
    bool relation_excluded(const std::string& schema, const std::string& name) const {
        return std::any_of(patterns_.begin(), patterns_.end(), [&](const pattern& p) {
            return (!p.schema || glob(*p.schema, schema)) && glob(p.name, name);
        });
    }
    // An entry of list `list` of a snapshot document.
    bool excluded(const std::string& list, const nlohmann::json& entry) const {
        if (!entry.is_object()) return false;
        if (list == "schemas") return schema_excluded(field(entry, "name"));
        const std::string schema = field(entry, "schema");
        if (!schema.empty() && schema_excluded(schema)) return true;
        if (!relation_lists.contains(list)) return false;
        if (relation_excluded(schema, field(entry, "name"))) return true;
        // A sequence goes with the table that owns it (serial columns).
        if (list == "sequences") {
            auto owner = entry.find("owned_by");
            if (owner != entry.end() && owner->is_object())
                return relation_excluded(field(*owner, "schema"), field(*owner, "table"));
        }
        return false;
    }

private:
    std::vector<pattern> patterns_;
};

}  // namespace

std::string with_exclusions(const context& x, ender::session& live, nlohmann::json target) {
    std::vector<std::string> list = x.c.exclude;
    // alembic_version, when either side has it.
    auto names_alembic_version = [&] {
        if (!target.is_object() || !target.contains("tables") || !target["tables"].is_array())
            return false;
        return std::any_of(target["tables"].begin(), target["tables"].end(),
                           [](const auto& t) { return field(t, "name") == "alembic_version"; });
    };
    if (x.c.exclude_alembic_version &&
        (names_alembic_version() ||
         live.scalar<bool>("SELECT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN "
                           "pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE c.relname = 'alembic_version' AND c.relkind IN ('r', 'p') "
                           "AND n.nspname NOT IN ('pg_catalog', 'information_schema'))")))
        list.push_back("alembic_version");
    if (list.empty() || !target.is_object()) return target.dump();
    matcher m(patterns_of(list));
    const bool privileges = target.value("privileges", false) == true;
    auto snapshot = nlohmann::json::parse(
        live.scalar<std::string>("SELECT ender_snapshot(privileges => $1)::text", privileges));
    // A list the target leaves out still receives the live database's excluded entries.
    for (auto& [key, entries] : snapshot.items())
        if (entries.is_array() && !target.contains(key) &&
            std::any_of(entries.begin(), entries.end(),
                        [&](const auto& e) { return m.excluded(key, e); }))
            target[key] = nlohmann::json::array();
    for (auto& [key, entries] : target.items()) {
        if (!entries.is_array()) continue;
        bool changed = false;
        nlohmann::json kept = nlohmann::json::array();
        for (auto& e : entries)
            if (m.excluded(key, e))
                changed = true;
            else
                kept.push_back(std::move(e));
        if (auto from = snapshot.find(key); from != snapshot.end() && from->is_array())
            for (const auto& e : *from)
                if (m.excluded(key, e)) {
                    kept.push_back(e);
                    changed = true;
                }
        if (changed)  // sorted again, as documents are (schema, then name)
            std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
                return std::pair(field(a, "schema"), field(a, "name")) <
                       std::pair(field(b, "schema"), field(b, "name"));
            });
        entries = std::move(kept);
    }
    return target.dump();
}

}  // namespace ender::cli
