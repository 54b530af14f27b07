// revision --autogenerate: the models' snapshot against the live database through ender_diff,
// written as a migration file to review. Data-losing steps stay commented out unless
// --allow data-loss; every hazard is listed at the top; the downgrade is the steps' reverses
// in reverse order.
#include "verbs.hpp"

#include "output.hpp"

#include <iostream>
#include <set>
#include <sstream>

namespace ender::cli {

namespace {

struct step {
    int number = 0;
    std::string sql;
    std::optional<std::string> reverse;
    std::string object_kind;
    std::string object_name;
    std::vector<std::string> hazards;
    bool in_transaction = true;
    std::string left_out;  // why the upgrade keeps it commented out; empty when it runs
    std::string note;      // what a reviewer should know about it
};

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string statement(std::string sql) {
    sql = trim(sql);
    return sql.empty() || sql.back() == ';' ? sql + "\n" : sql + ";\n";
}

std::string commented(const std::string& sql) {
    std::istringstream in(statement(sql));
    std::string out;
    for (std::string line; std::getline(in, line);) out += "-- " + line + "\n";
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& e : v) s += (s.empty() ? "" : ", ") + e;
    return s;
}

// An ALTER TYPE … ADD VALUE: PostgreSQL runs it in a transaction block, but the new label
// cannot be used until that transaction commits.
bool adds_enum_label(const std::string& sql) {
    return sql.rfind("ALTER TYPE", 0) == 0 && sql.find(" ADD VALUE ") != std::string::npos;
}

std::vector<step> diff_steps(ender::session& db, const std::string& doc, bool allow_data_loss) {
    std::vector<step> steps;
    // online => false: migrations run in one transaction, where CONCURRENTLY is refused.
    for (auto& [n, sql, reverse, kind, name, hazards, in_tx] :
         db.query<std::tuple<int, std::string, std::optional<std::string>, std::string, std::string,
                             std::vector<std::string>, bool>>(
             "SELECT step, sql, reverse_sql, object_kind, object_name, hazards, in_transaction "
             "FROM ender_diff($1::text, online => false) ORDER BY step",
             doc)) {
        step s{n, sql, reverse, kind, name, hazards, in_tx, {}, {}};
        if (has(hazards, "deletes_data") && !allow_data_loss)
            s.left_out = "it deletes data; run with --allow data-loss to keep it, or uncomment it";
        if (!in_tx && adds_enum_label(sql))
            s.note =
                "ender runs the upgrade in one transaction, where the new label cannot be "
                "used yet: a later statement of this upgrade that uses it fails with "
                "\"unsafe use of new value\" (move that one to a revision of its own)";
        else if (!in_tx && s.left_out.empty())
            s.left_out =
                "it cannot run inside a transaction block, and ender runs migrations in "
                "one; run it by hand";
        steps.push_back(std::move(s));
    }
    return steps;
}

std::string header_comment(const std::vector<step>& steps, const std::string& source) {
    std::ostringstream h;
    h << "-- Written by `ender revision --autogenerate` from " << source << " (" << steps.size()
      << (steps.size() == 1 ? " step" : " steps") << ").\n"
      << "-- Review it before applying: it is plain SQL, and yours to edit.\n--\n";
    std::ostringstream hazards, notes;
    for (const auto& s : steps) {
        std::string what =
            "step " + std::to_string(s.number) + " (" + s.object_kind + " " + s.object_name + ")";
        if (!s.hazards.empty())
            hazards << "--   " << what << ": " << joined(s.hazards)
                    << (s.left_out.empty() ? "" : "; left out") << "\n";
        if (!s.left_out.empty())
            notes << "--   " << what << " is left out: " << s.left_out << ".\n";
        if (!s.note.empty()) notes << "--   " << what << ": " << s.note << ".\n";
        if (s.left_out.empty() && !s.reverse)
            notes << "--   " << what
                  << " has no reverse statement: the downgrade leaves it in place; write one by "
                     "hand if it matters.\n";
    }
    h << "-- Hazards:" << (hazards.str().empty() ? " none\n" : "\n" + hazards.str());
    if (!notes.str().empty()) h << "-- Notes:\n" << notes.str();
    return h.str();
}

std::string upgrade_section(const std::vector<step>& steps) {
    std::string out;
    for (const auto& s : steps) {
        if (!out.empty()) out += "\n";
        out += "-- step " + std::to_string(s.number) + ": " + s.object_kind + " " + s.object_name +
               (s.hazards.empty() ? "" : " (" + joined(s.hazards) + ")") + "\n";
        out += s.left_out.empty() ? statement(s.sql)
                                  : "-- left out: " + s.left_out + ".\n" + commented(s.sql);
    }
    return out;
}

std::string downgrade_section(const std::vector<step>& steps) {
    std::string out;
    for (auto s = steps.rbegin(); s != steps.rend(); ++s) {
        std::string undo = std::string(out.empty() ? "" : "\n") + "-- undo step " +
                           std::to_string(s->number) + ": " + s->object_kind + " " +
                           s->object_name + "\n";
        if (!s->left_out.empty())
            out += undo + "-- (left out of the upgrade, so its reverse is too)\n" +
                   (s->reverse ? commented(*s->reverse) : "");
        else if (s->reverse)
            out += undo + statement(*s->reverse);
        else
            out += undo + "-- no reverse statement: left in place\n";
    }
    return out;
}

}  // namespace

int cmd_autogenerate(const context& x) {
    const options& o = x.o;
    allow_only(o, {"message", "branch", "snapshot", "allow", "autogenerate"}, 0, 0);
    bool allow_data_loss = false;
    if (o.has("allow")) {
        if (o.value("allow") != "data-loss")
            fail("invalid value \"" + o.value("allow") + "\" for --allow", {},
                 "The only value is data-loss.");
        allow_data_loss = true;
    }
    std::string doc = models_document(x, "revision --autogenerate").dump();
    std::string source = o.has("snapshot") ? "the snapshot " + o.value("snapshot") : "the models";
    auto files = migration_files(x.c.dir);
    auto heads = head_ids(files);

    auto db = connect(x.c.dsn);
    // Computed from any other schema, the new revision would repeat or undo the files'.
    std::vector<std::string> pending;
    for (auto& [id] : db.query<std::tuple<std::string>>(
             "SELECT h FROM unnest($1::text[]) h "
             "WHERE NOT EXISTS (SELECT FROM ender.applied a WHERE a.revision_id = h)",
             heads))
        pending.push_back(id);
    if (!pending.empty())
        fail("the database is not up to date with the migrations directory",
             "Not applied: " + quoted_list(pending) + ".",
             "Run \"" + o.program +
                 " upgrade\" first, so that the new revision starts from the "
                 "schema the existing ones leave.",
             exit_differences);

    auto tx = db.begin();  // rolled back: ender_diff only tries its renames
    auto steps = diff_steps(db, doc, allow_data_loss);
    tx.rollback();
    if (steps.empty()) {
        if (o.json)
            std::cout << ordered_json{{"revision", nullptr}, {"steps", ordered_json::array()}}.dump(
                             2)
                      << "\n";
        else
            std::cout << "no changes: the database matches " << source << "\n";
        return exit_ok;
    }

    new_revision r;
    r.parents = heads;
    if (o.has("branch")) r.branch = o.value("branch");
    r.message = o.has("message") ? o.value("message") : "";
    r.header_comment = header_comment(steps, source);
    r.upgrade = upgrade_section(steps);
    r.downgrade = downgrade_section(steps);
    auto written = write_revision(x.c.dir, r);

    if (o.json) {
        ordered_json list = ordered_json::array();
        for (const auto& s : steps)
            list.push_back({{"step", s.number},
                            {"object_kind", s.object_kind},
                            {"object_name", s.object_name},
                            {"hazards", s.hazards},
                            {"included", s.left_out.empty()},
                            {"sql", s.sql},
                            {"reverse_sql", s.reverse ? ordered_json(*s.reverse) : nullptr}});
        std::cout << ordered_json{{"revision", written.id},
                                  {"parents", heads},
                                  {"file", written.path.string()},
                                  {"steps", list}}
                         .dump(2)
                  << "\n";
        return exit_ok;
    }
    std::cout << "created " << written.path.string() << "\n";
    for (const auto& s : steps) {
        std::string line =
            "  step " + std::to_string(s.number) + "  " + s.object_kind + " " + s.object_name;
        if (!s.hazards.empty()) line += "  " + paint(1, colour::yellow, joined(s.hazards));
        if (!s.left_out.empty()) line += "  " + paint(1, colour::red, "(left out, commented)");
        std::cout << line << "\n";
    }
    return exit_ok;
}

}  // namespace ender::cli
