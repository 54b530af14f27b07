// Parsing the command line (args.hpp).
#include "args.hpp"

#include "common.hpp"

#include <algorithm>
#include <optional>

namespace ender::cli {

namespace {

const std::set<std::string> valued_options = {
    "dsn",    "dir",     "config",  "message",  "branch",   "snapshot",
    "from",   "to",      "allow",   "rev",      "dsn-file", "jobs",
    "format", "output",  "backup",  "interval", "online",   "online-threshold",
    "python", "exclude", "scratch", "db"};
// --online alone is a flag; --online=MODE a value.
const std::set<std::string> flag_options = {"autogenerate", "graph",        "plan",
                                            "yes",          "verbose",      "watch",
                                            "online",       "from-alembic", "install-extension"};

bool is_relative_target(const std::string& a) {
    return a.size() > 1 && a[0] == '-' &&
           std::all_of(a.begin() + 1, a.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

options parse_arguments(int argc, char** argv) {
    options o;
    if (argc > 0 && argv[0] && *argv[0]) o.program = fs::path(argv[0]).filename().string();
    bool only_positional = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (only_positional || a.empty() || a[0] != '-' || a == "-" || is_relative_target(a)) {
            if (o.verb.empty())
                o.verb = a;
            else
                o.positional.push_back(a);
            continue;
        }
        if (a == "--") {
            only_positional = true;
            continue;
        }
        if (a == "-h" || a == "--help") {
            o.help = true;
            continue;
        }
        if (a == "--version") {
            o.version = true;
            continue;
        }
        if (a == "--json") {
            o.json = true;
            continue;
        }
        std::string name;
        std::optional<std::string> value;
        if (a == "-m") {
            name = "message";
        } else if (a == "-r") {
            name = "rev";
        } else if (a == "-j") {
            name = "jobs";
        } else if (a.rfind("--", 0) == 0) {
            name = a.substr(2);
            if (auto eq = name.find('='); eq != std::string::npos) {
                value = name.substr(eq + 1);
                name.resize(eq);
            }
        }
        if (flag_options.contains(name) && !value) {
            o.flags.insert(name);
            continue;
        }
        if (!valued_options.contains(name))
            fail("unknown option \"" + a + "\"", {},
                 "Run \"" + o.program + " --help\" for the options.");
        if (!value) {
            if (i + 1 >= argc) fail("option \"" + a + "\" needs a value");
            value = argv[++i];
        }
        o.values[name] = *value;
    }
    return o;
}

void allow_only(const options& o, std::initializer_list<const char*> allowed,
                std::size_t min_positional, std::size_t max_positional) {
    static const std::set<std::string> global = {"dsn", "dir", "config", "verbose", "db"};
    auto allowed_name = [&](const std::string& name) {
        return global.contains(name) || std::any_of(allowed.begin(), allowed.end(),
                                                    [&](const char* a) { return name == a; });
    };
    for (const auto& [name, value] : o.values)
        if (!allowed_name(name))
            fail("option \"--" + name + "\" does not apply to \"" + o.verb + "\"");
    for (const auto& name : o.flags)
        if (!allowed_name(name))
            fail("option \"--" + name + "\" does not apply to \"" + o.verb + "\"");
    if (o.positional.size() < min_positional)
        fail("\"" + o.verb + "\" needs " + (min_positional == 1 ? "an argument" : "arguments"), {},
             "Run \"" + o.program + " --help\" for the usage.");
    if (o.positional.size() > max_positional)
        fail("too many arguments for \"" + o.verb + "\"",
             "Unexpected argument \"" + o.positional[max_positional] + "\".");
}

std::string usage(const std::string& program, bool models) {
    std::string text = "usage: " + program + R"( [options] <command> [arguments]

commands:
  init [--install-extension]
                           create the migrations directory and ender.toml (and the
                           extension in the database)
  import alembic [--config alembic.ini] [--python PYTHON]
                           one migration file per Alembic revision, from Alembic's offline
                           SQL (data steps in Python are written commented out)
  revision -m MESSAGE      write a new empty migration file on top of the current heads
           [--branch LABEL]
  revision --autogenerate -m MESSAGE [--allow data-loss]
           [--online[=auto|always|never]] [--online-threshold ROWS]
                           write the migration that turns the database into the models;
                           a change ender_diff can make online, on a table of at least
                           ROWS rows (default 1000000; always: any), becomes an online
                           revision of its own
  merge [-m MESSAGE]       write an empty revision that merges the heads (two or more)
  upgrade [TARGET]         register every file, then apply up to TARGET (default: head);
                           a failure names the revision, statement and line, and is logged
  upgrade --install-extension [TARGET]
                           create the extension first when the database has none
  upgrade --plan [--yes] [TARGET]
                           list every pending revision's statements with their hazards,
                           then ask before applying (--yes: do not ask)
  upgrade --backup DIR [TARGET]
                           pg_dump the database into DIR first, then upgrade
  upgrade --dsn-file FILE [--jobs N] [--plan] [TARGET]
                           the same on every database listed in FILE, N at a time; members
                           that replicate in the safe order (--plan: show it, apply nothing)
  split REVISION [--dsn-file FILE]
                           a pending revision that adds and removes schema as two: the
                           statements that remove move into a new child revision (the
                           order a replicated fleet needs); nothing is applied
  downgrade TARGET         undo the revisions above TARGET (an id, -N, base)
  stamp TARGET             set the position without running SQL
  stamp --from-alembic     the position alembic_version holds (a database Alembic migrated)
  current                  the applied heads
  heads                    the heads of the revision graph
  branches                 the branch points
  history [-r A:B]         what was applied, undone, stamped or failed
  history --graph          the revision graph drawn in the terminal, newest first, with
                           heads, current, applied and pending revisions marked
  graph [--format dot|svg] [--output FILE]
                           the revision graph as a Graphviz document or an SVG picture
  show TARGET              the revisions TARGET names, with their SQL
  status [--watch] [--interval S]
                           the online revisions in progress: phase, rows done, rate, time
                           left, last error; --watch follows them (a live progress bar on a
                           terminal) until each is ready or failed (exit 1 if one failed)
  check                    exit 1 unless the database equals the models (or --snapshot FILE)
  diff --from DSN --to DSN the steps that turn the first database into the second
                           (check, diff and autogenerate: --exclude "table, schema.*, ...";
                           alembic_version is always left out)
  sql upgrade [A:]B        print the SQL an upgrade would run, from the files only
  sql downgrade A:B        print the SQL a downgrade from A to B would run
  test [--scratch NAME]    upgrade, downgrade to base and upgrade again on a scratch database

options:
  --dsn DSN                connection string (else ENDER_DSN, DATABASE_URL, ender.toml,
                           then libpq's defaults); SQLAlchemy URLs (postgresql+psycopg2://)
                           are accepted
  --db NAME                the database named [databases.NAME] in ender.toml (else
                           ENDER_DB; needed when the file names several)
  --dir DIR                migrations directory (default: migrations)
  --config FILE            configuration file (default: ./ender.toml when it exists)
  --snapshot FILE          the models' snapshot document, for check and autogenerate
  --json                   machine-readable output
  --verbose                every statement sent to a database, with its time and rows, on
                           stderr (parameter values redacted)
  -h, --help               this help
  --version                the command's version and the extension version it expects
)";
    text += models
                ? "\nThis program knows the application's models: check and revision "
                  "--autogenerate compare them\nwith the database.\n"
                : "\ncheck and revision --autogenerate need the models: run them from the "
                  "application's migrate\nprogram (ender::cli::main), or pass --snapshot FILE.\n";
    text +=
        "\nexit codes: 0 ok, 1 differences found or check failed, 2 usage error, 3 database "
        "error\n";
    return text;
}

}  // namespace ender::cli
