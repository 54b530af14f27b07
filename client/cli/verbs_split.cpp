// split REVISION: a pending revision that both adds and removes schema, written as two (the
// additive statements stay in it, the subtractive ones move into a new child revision), so that
// a replicated fleet can apply each half in its own safe order (docs/replication.md). The
// statements are classified from the parse tree, as upgrade --dsn-file classifies them; the
// downgrade is divided the same way. Nothing is applied: the files are rewritten for review.
#include "verbs.hpp"

#include "fleet_replicated.hpp"
#include "fleet_topology.hpp"
#include "output.hpp"

#include <iostream>
#include <regex>
#include <sstream>

namespace ender::cli {

namespace {

struct halves {
    std::string additive, subtractive;
    std::size_t additive_count = 0, subtractive_count = 0;
};

std::string statement_text(std::string sql) {
    while (!sql.empty() &&
           (std::isspace(static_cast<unsigned char>(sql.back())) || sql.back() == ';'))
        sql.pop_back();
    return sql + ";\n";
}

// The statements of `sql` in two halves, the additive ones first, as they must run: the
// upgrade adds, then removes; its downgrade puts back what the upgrade removed, then removes
// what it added. Refused when the two kinds interleave (the split would reorder them).
halves divide(ender::session& db, const std::string& revision, const std::string& section,
              const std::string& sql) {
    halves h;
    bool removing = false;
    for (auto& s : classify_statements(db, sql)) {
        if (!s.subtractive && removing)
            fail("revision \"" + revision + "\" cannot be split",
                 "In its " + section + " section, line " + std::to_string(s.line) + " (" +
                     one_line(s.sql).substr(0, 60) +
                     ") adds schema after a statement that removes some.",
                 "Splitting it would change the order its statements run in. Reorder them, or "
                 "split the revision by hand.",
                 exit_usage);
        removing = removing || s.subtractive;
        (s.subtractive ? h.subtractive : h.additive) += statement_text(s.sql);
        ++(s.subtractive ? h.subtractive_count : h.additive_count);
    }
    return h;
}

// `text` with the revision id `from` replaced by `to` in its parents and depends_on lines.
std::string reparented(const std::string& text, const std::string& from, const std::string& to) {
    static const std::regex line(R"(^(-- ender:(?:parents|depends_on)[ \t]+)(.*)$)");
    std::istringstream in(text);
    std::string out;
    for (std::string l; std::getline(in, l);) {
        std::smatch m;
        if (std::regex_match(l, m, line)) {
            std::string ids = m[2], rebuilt;
            std::regex sep(R"([\s,]+)");
            for (std::sregex_token_iterator it(ids.begin(), ids.end(), sep, -1), end; it != end;
                 ++it) {
                std::string id = *it;
                if (id.empty()) continue;
                rebuilt += (rebuilt.empty() ? "" : ", ") + (id == from ? to : id);
            }
            l = std::string(m[1]) + rebuilt;
        }
        out += l + "\n";
    }
    if (!text.empty() && text.back() != '\n') out.pop_back();
    return out;
}

// The sessions the revision must be pending on: every member of --dsn-file, else the one
// database.
std::vector<std::pair<std::string, ender::session>> databases(const context& x) {
    std::vector<std::pair<std::string, ender::session>> out;
    if (x.o.has("dsn-file")) {
        for (auto& m : read_members(x.o.value("dsn-file")))
            out.emplace_back(m.shown, connect_ender(m.dsn, false, m.shown));
    } else {
        out.emplace_back(shown_dsn(x.c.dsn), connect_ender(x.c.dsn));
    }
    return out;
}

}  // namespace

int cmd_split(const context& x) {
    const options& o = x.o;
    allow_only(o, {"dsn-file"}, 1, 1);
    if (o.has("dsn") && o.has("dsn-file"))
        fail("--dsn and --dsn-file cannot be used together", {},
             "List every database in the DSN file.");
    const std::string& id = o.positional[0];
    auto files = migration_files(x.c.dir);
    auto found = std::find_if(files.begin(), files.end(),
                              [&](const migration_file& f) { return f.revision.id == id; });
    if (found == files.end())
        fail("revision \"" + id + "\" has no file",
             "The migrations directory is \"" + x.c.dir.string() + "\".");
    const migration_file& file = *found;
    if (file.revision.online)
        fail("online revision \"" + id + "\" cannot be split",
             "Its phases run in a background worker: it is one operation.",
             "Upgrade each member to it with ender upgrade --dsn (docs/replication.md).");

    auto dbs = databases(x);
    for (auto& [name, db] : dbs)
        if (db.scalar<bool>("SELECT EXISTS (SELECT FROM ender.applied WHERE revision_id = $1)", id))
            fail("revision \"" + id + "\" is applied on " + name,
                 "An applied revision cannot change: its checksum is recorded.",
                 "Write what remains as a new revision.", exit_database);

    ender::session& db = dbs.front().second;
    halves up = divide(db, id, "upgrade", file.revision.upgrade);
    if (up.additive_count == 0 || up.subtractive_count == 0) {
        std::cout << "revision " << id << " only " << (up.subtractive_count ? "removes" : "adds")
                  << " schema: nothing to split\n";
        return exit_ok;
    }
    std::optional<halves> down;
    if (file.revision.downgrade) down = divide(db, id, "downgrade", *file.revision.downgrade);

    // The child: the subtractive statements, undone by the downgrade's additive ones.
    new_revision child;
    child.parents = {id};
    child.message = file.revision.message.value_or(id) + " (what it removes)";
    child.header_comment = "-- Split from revision " + id +
                           " by ender split: the statements that remove schema, applied on a "
                           "replicated fleet's publishers first.\n";
    child.upgrade = up.subtractive;
    if (down) child.downgrade = down->additive;
    auto written = write_revision(x.c.dir, child, x.c.naming);

    // The revision itself keeps the additive statements, undone by the downgrade's others.
    engine::revision kept = file.revision;
    kept.upgrade = up.additive;
    if (down) kept.downgrade = down->subtractive;
    std::string text = engine::render_migration(kept);
    text.insert(text.find('\n') + 1,
                "-- Split by ender split: the statements that add schema; "
                "the ones that remove it are in revision " +
                    written.id + ".\n");
    engine_call([&] { return engine::parse_migration(text); }, exit_usage);
    write_file(file.path, text);

    std::vector<std::string> children;
    for (auto& f : files) {
        if (f.revision.id == id) continue;
        auto& r = f.revision;
        if (std::find(r.parents.begin(), r.parents.end(), id) == r.parents.end() &&
            std::find(r.depends_on.begin(), r.depends_on.end(), id) == r.depends_on.end())
            continue;
        std::string moved = reparented(f.source, id, written.id);
        engine_call([&] { return engine::parse_migration(moved); }, exit_usage);
        write_file(f.path, moved);
        children.push_back(r.id);
    }

    if (o.json) {
        std::cout << ordered_json{{"revision", id},
                                  {"file", file.path.string()},
                                  {"additive_statements", up.additive_count},
                                  {"new_revision", written.id},
                                  {"new_file", written.path.string()},
                                  {"subtractive_statements", up.subtractive_count},
                                  {"reparented", children}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << "kept    " << file.path.string() << "  (" << up.additive_count
                  << " statements that add schema)\n"
                  << "created " << written.path.string() << "  (" << up.subtractive_count
                  << " statements that remove schema, child of " << id << ")\n";
        for (auto& c : children) std::cout << "moved   " << c << " onto " << written.id << "\n";
        std::cout << "review both files, then upgrade\n";
    }
    return exit_ok;
}

}  // namespace ender::cli
