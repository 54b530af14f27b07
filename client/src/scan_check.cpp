// The sequential scans of a plan (see scan_check.hpp).
#include "ender/scan_check.hpp"

#include <nlohmann/json.hpp>

namespace ender {

namespace {

// Collects the tables of every "Seq Scan" node below `plan` (schema, name).
void collect(const nlohmann::json& plan, std::vector<std::pair<std::string, std::string>>& out) {
    if (plan.value("Node Type", "") == "Seq Scan" && plan.contains("Relation Name"))
        out.emplace_back(plan.value("Schema", ""), plan["Relation Name"].get<std::string>());
    if (auto children = plan.find("Plans"); children != plan.end())
        for (const auto& child : *children) collect(child, out);
}

}  // namespace

std::vector<sequential_scan> sequential_scans(session& db, std::string_view sql,
                                              std::span<const detail::param> params,
                                              scan_check check) {
    std::string explain = check.analyze ? "EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) "
                                        : "EXPLAIN (VERBOSE, FORMAT JSON) ";
    explain += sql;
    auto r = db.run(explain, params);
    const auto plans = nlohmann::json::parse(r.get<std::string>(0, 0));
    std::vector<std::pair<std::string, std::string>> tables;
    for (const auto& p : plans) collect(p.at("Plan"), tables);

    std::vector<sequential_scan> found;
    for (const auto& [schema, name] : tables) {
        // The planner's idea of the table's size; a table never analysed is counted.
        auto [qualified, rows] = db.query<std::tuple<std::string, double>>(
                                       "SELECT format('%I.%I', n.nspname, c.relname), "
                                       "c.reltuples::float8 FROM pg_catalog.pg_class c "
                                       "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                                       "WHERE n.nspname = $1 AND c.relname = $2",
                                       schema, name)
                                     .at(0);
        if (rows < 0) rows = db.scalar<double>("SELECT count(*)::float8 FROM " + qualified);
        if (rows >= check.min_rows) found.push_back({qualified, rows});
    }
    return found;
}

}  // namespace ender
