// revision --autogenerate: the models' snapshot against the live database through ender_diff,
// written as migration files to review. Data-losing steps stay commented out unless
// --allow data-loss; every hazard is listed at the top; the downgrade is the steps' reverses
// in reverse order. With --online (auto by default) a step that ender_diff can make online, on
// a big table, becomes an online revision of its own, in step order between the others.
#include "verbs.hpp"

#include "output.hpp"

#include "engine/error.hpp"
#include "engine/online.hpp"
#include "engine/online_kinds.hpp"
#include "engine/quote.hpp"

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
    std::optional<std::string> online_operation;  // ender_diff's online form of the step
    std::string left_out;        // why the upgrade keeps it commented out; empty when it runs
    std::string note;            // what a reviewer should know about it
    std::string online_because;  // why it runs online (empty: it does not)
};

// A migration file to write: ordinary steps, or the steps one online operation replaces.
struct part {
    std::vector<step> steps;
    std::optional<std::string> online;
};

enum class online_mode { auto_, always, never };

constexpr double default_online_threshold = 1'000'000;

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
    for (auto& [n, sql, reverse, kind, name, hazards, in_tx, online] :
         db.query<std::tuple<int, std::string, std::optional<std::string>, std::string, std::string,
                             std::vector<std::string>, bool, std::optional<std::string>>>(
             "SELECT step, sql, reverse_sql, object_kind, object_name, hazards, in_transaction, "
             "online_operation FROM ender_diff($1::text, online => false) ORDER BY step",
             doc)) {
        step s{n, sql, reverse, kind, name, hazards, in_tx, online, {}, {}, {}};
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

// Decides which steps run online: those with an online form that the extension's parser
// accepts, on a table of at least `threshold` estimated rows (auto) or on any table (always).
void choose_online(ender::session& db, std::vector<step>& steps, online_mode mode,
                   double threshold) {
    if (mode == online_mode::never) return;
    for (auto& s : steps) {
        if (!s.online_operation || !s.left_out.empty()) continue;
        engine::online_operation op;
        try {
            op = engine::parse_online_operation(*s.online_operation);
        } catch (const engine::error& e) {
            s.note = "it has an online form that this version cannot run (" +
                     std::string(e.what()) + "), so it stays in an ordinary revision";
            continue;
        }
        if (mode == online_mode::always) {
            s.online_because = "--online=always";
            continue;
        }
        // reltuples is -1 until the table is first vacuumed or analyzed: then its heap size
        // over 100 bytes a row stands in for it. A drop_index names the index, whose
        // reltuples counts the rows of its table.
        const std::string table = engine::quote_ident(op.schema.value_or("public")) + "." +
                                  engine::quote_ident(op.table.empty() ? op.index : op.table);
        auto rows = db.scalar<std::optional<double>>(
            "SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::float8 "
            "ELSE pg_catalog.pg_relation_size(c.oid) / 100.0 END "
            "FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass($1)",
            table);
        if (rows && *rows >= threshold)
            s.online_because = table + " has about " +
                               std::to_string(static_cast<long long>(*rows)) +
                               " rows (--online-threshold " +
                               std::to_string(static_cast<long long>(threshold)) + ")";
    }
}

// The files to write, in step order: runs of ordinary steps, and each online operation alone
// (the steps it replaces), so that what follows a change still comes after it.
std::vector<part> split_parts(const std::vector<step>& steps) {
    std::vector<part> parts;
    for (const auto& s : steps) {
        std::optional<std::string> online;
        if (!s.online_because.empty()) online = s.online_operation;
        if (parts.empty() || parts.back().online != online) parts.push_back({{}, online});
        parts.back().steps.push_back(s);
    }
    return parts;
}

// The header of an online operation's file: why it runs online, what each of its phases does
// (engine/online_kinds.hpp) and its hazards.
std::string online_header(const part& p, const std::string& source) {
    const step& first = p.steps.front();
    const engine::online_kind& kind =
        engine::online_kind_of(p.online->substr(0, p.online->find(' ')));
    std::vector<std::string> hazards;
    for (const auto& s : p.steps)
        for (const auto& z : s.hazards)
            if (!has(hazards, z)) hazards.push_back(z);
    std::string numbers = std::to_string(first.number);
    if (p.steps.size() > 1)
        numbers = "steps " + numbers + "-" + std::to_string(p.steps.back().number);
    else
        numbers = "step " + numbers;
    std::ostringstream h;
    h << "-- Written by `ender revision --autogenerate` from " << source << ": " << numbers << " ("
      << first.object_kind << " " << first.object_name << "), run online because "
      << first.online_because << ".\n"
      << "-- Review it before applying, the operation's expressions first: they are a starting "
         "point.\n"
      << "-- ender_upgrade starts it and stops there; a background worker runs the phases below;\n"
      << "-- ender_wait, then ender_complete(this revision) applies it, once every application\n"
      << "-- instance uses the new shape; ender_rollback abandons it (docs/zero-downtime.md).\n--\n"
      << "-- Phases of " << kind.name << " (" << kind.description << "):\n";
    for (const auto& [phase, work] : kind.phases) h << "--   " << phase << ": " << work << ".\n";
    h << "-- Hazards: each DDL statement waits at most ender.lock_timeout for its lock and "
         "retries;\n"
      << "--   complete takes ACCESS EXCLUSIVE for a moment; validate fails, naming rows, on rows "
         "the\n"
      << "--   change does not fit ("
      << (hazards.empty() ? std::string("no hazards") : joined(hazards))
      << " in the plain form).\n";
    return h.str();
}

}  // namespace

int cmd_autogenerate(const context& x) {
    const options& o = x.o;
    allow_only(o,
               {"message", "branch", "snapshot", "allow", "autogenerate", "online",
                "online-threshold", "exclude"},
               0, 0);
    bool allow_data_loss = false;
    if (o.has("allow")) {
        if (o.value("allow") != "data-loss")
            fail("invalid value \"" + o.value("allow") + "\" for --allow", {},
                 "The only value is data-loss.");
        allow_data_loss = true;
    }
    online_mode mode = online_mode::auto_;
    if (o.has("online")) {
        const std::string& m = o.value("online");
        if (m == "always")
            mode = online_mode::always;
        else if (m == "never")
            mode = online_mode::never;
        else if (m != "auto")
            fail("invalid value \"" + m + "\" for --online", {},
                 "The values are auto, always and never.");
    }
    double threshold = default_online_threshold;
    if (o.has("online-threshold")) {
        const std::string& t = o.value("online-threshold");
        std::size_t used = 0;
        try {
            threshold = std::stod(t, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != t.size() || threshold < 0)
            fail("invalid value \"" + t + "\" for --online-threshold", {},
                 "Give a number of rows, 0 or more.");
    }
    auto models = models_document(x, "revision --autogenerate");
    std::string source = o.has("snapshot") ? "the snapshot " + o.value("snapshot") : "the models";
    auto files = migration_files(x.c.dir);
    auto heads = head_ids(files);

    auto db = connect_ender(x.c.dsn);
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

    std::string doc = with_exclusions(x, db, std::move(models));
    auto tx = db.begin();  // rolled back: ender_diff only tries its renames
    auto steps = diff_steps(db, doc, allow_data_loss);
    choose_online(db, steps, mode, threshold);
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

    // One file per part, each on top of the one before.
    std::vector<written_revision> written;
    std::vector<std::vector<std::string>> parents_of;
    auto parts = split_parts(steps);
    for (const auto& p : parts) {
        new_revision r;
        r.parents = written.empty() ? heads : std::vector<std::string>{written.back().id};
        if (o.has("branch") && written.empty()) r.branch = o.value("branch");
        r.message = o.has("message") ? o.value("message") : "";
        if (p.online) {
            const std::string& line = *p.online;
            std::size_t table_end = line.find(' ', line.find(' ') + 1);
            r.message += std::string(r.message.empty() ? "" : " ") +
                         "(online: " + line.substr(0, table_end) + ")";
            r.online = p.online;
            r.header_comment = online_header(p, source);
            r.upgrade = "-- Runs at ender_complete, after the operation: nothing more to do.\n";
        } else {
            r.header_comment = header_comment(p.steps, source);
            r.upgrade = upgrade_section(p.steps);
        }
        r.downgrade = downgrade_section(p.steps);
        parents_of.push_back(r.parents);
        written.push_back(write_revision(x.c.dir, r, x.c.naming));
    }

    if (o.json) {
        auto step_list = [](const std::vector<step>& list) {
            ordered_json out = ordered_json::array();
            for (const auto& s : list)
                out.push_back({{"step", s.number},
                               {"object_kind", s.object_kind},
                               {"object_name", s.object_name},
                               {"hazards", s.hazards},
                               {"included", s.left_out.empty()},
                               {"sql", s.sql},
                               {"reverse_sql", s.reverse ? ordered_json(*s.reverse) : nullptr},
                               {"online_operation",
                                s.online_operation ? ordered_json(*s.online_operation) : nullptr}});
            return out;
        };
        ordered_json revisions = ordered_json::array();
        for (std::size_t i = 0; i < parts.size(); ++i)
            revisions.push_back(
                {{"revision", written[i].id},
                 {"parents", parents_of[i]},
                 {"file", written[i].path.string()},
                 {"online", parts[i].online ? ordered_json(*parts[i].online) : nullptr},
                 {"steps", step_list(parts[i].steps)}});
        // The first file at the top level, as when there is only one.
        std::cout << ordered_json{{"revision", written[0].id},
                                  {"parents", heads},
                                  {"file", written[0].path.string()},
                                  {"steps", step_list(parts[0].steps)},
                                  {"revisions", revisions}}
                         .dump(2)
                  << "\n";
        return exit_ok;
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::cout << "created " << written[i].path.string()
                  << (parts[i].online ? "  " + paint(1, colour::yellow, "(online)") : "") << "\n";
        for (const auto& s : parts[i].steps) {
            std::string line =
                "  step " + std::to_string(s.number) + "  " + s.object_kind + " " + s.object_name;
            if (!s.hazards.empty()) line += "  " + paint(1, colour::yellow, joined(s.hazards));
            if (!s.left_out.empty()) line += "  " + paint(1, colour::red, "(left out, commented)");
            std::cout << line << "\n";
        }
    }
    return exit_ok;
}

}  // namespace ender::cli
