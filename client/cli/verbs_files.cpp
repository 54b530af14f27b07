// init, revision and merge: the verbs that write the migrations directory and need no
// database.
#include "verbs.hpp"

#include "output.hpp"

#include <iostream>

namespace ender::cli {

int cmd_init(const options& o) {
    allow_only(o, {"install-extension"}, 0, 0);
    fs::path dir = o.has("dir") ? o.value("dir") : "migrations";
    bool created = fs::create_directories(dir);
    std::cout << (created ? "created " : "exists  ") << dir.string() << "/\n";
    fs::path cfg = o.has("config") ? o.value("config") : "ender.toml";
    if (fs::exists(cfg)) {
        std::cout << "exists  " << cfg.string() << "\n";
    } else {
        write_file(cfg,
                   "# ender configuration (docs/cli.md). --dsn, ENDER_DSN and DATABASE_URL win "
                   "over dsn.\ndir = \"" +
                       fs::relative(fs::absolute(dir), fs::absolute(cfg).parent_path()).string() +
                       "\"\n# dsn = \"postgresql://localhost/mydb\"\n"
                       "# Left out of diff, check and autogenerate (alembic_version always is):\n"
                       "# exclude = \"legacy_*, audit.*\"\n"
                       "# New revisions' ids (hex, timestamp, sequence) and file names:\n"
                       "# revision_id = \"hex\"\n"
                       "# file_template = \"%(rev)s_%(slug)s\"\n"
                       "# Several databases: one [databases.NAME] table each (dsn, dsn_env, "
                       "dir), then --db NAME.\n");
        std::cout << "created " << cfg.string() << "\n";
    }
    if (o.flag("install-extension")) {
        // The database of --dsn, ENDER_DSN, DATABASE_URL or the configuration file.
        auto db = connect(load_config(o).dsn);
        auto database = db.scalar<std::string>("SELECT current_database()::text");
        bool made = install_extension(db);
        std::cout << (made ? "created " : "exists  ") << "extension ender in database \""
                  << database << "\"\n";
    }
    return exit_ok;
}

// `revision`, and `merge` (which insists on several heads).
int cmd_revision(const context& x, bool merge) {
    const options& o = x.o;
    if (!merge && o.flag("autogenerate")) return cmd_autogenerate(x);
    allow_only(o, {"message", "branch"}, 0, 0);
    auto heads = head_ids(migration_files(x.c.dir));
    if (merge && heads.size() < 2)
        fail("there is nothing to merge",
             "The migrations directory \"" + x.c.dir.string() + "\" has " +
                 (heads.empty() ? "no revision." : "a single head, " + heads[0] + "."),
             "Use \"ender revision\" for a new revision on top of it.");

    new_revision r;
    r.parents = heads;
    if (o.has("branch")) r.branch = o.value("branch");
    r.message = o.has("message") ? o.value("message") : merge ? "merge heads" : "";
    r.downgrade = "";
    auto written = write_revision(x.c.dir, r, x.c.naming);
    if (o.json)
        std::cout << ordered_json{{"revision", written.id},
                                  {"parents", heads},
                                  {"file", written.path.string()}}
                         .dump(2)
                  << "\n";
    else
        std::cout << "created " << written.path.string()
                  << (heads.size() > 1 ? "  (merges " + std::to_string(heads.size()) + " heads)"
                                       : "")
                  << "\n";
    return exit_ok;
}

}  // namespace ender::cli
