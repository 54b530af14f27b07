// The standalone `ender` command: migration files in a directory, driven through the
// extension's SQL surface over one libender session. See docs/cli.md.
//
// Exit codes: 0 ok, 1 differences found or check failed, 2 usage error, 3 database error.
#include "ender/session.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

namespace {

constexpr int exit_ok = 0;
constexpr int exit_differences = 1;
constexpr int exit_usage = 2;
constexpr int exit_database = 3;

// A mistake in how the command was called or in the files it reads: exit 2, or `code`.
struct cli_error {
    std::string message;
    std::string detail;
    std::string hint;
    int code = exit_usage;
};

[[noreturn]] void fail(std::string message, std::string detail = {}, std::string hint = {},
                       int code = exit_usage) {
    throw cli_error{std::move(message), std::move(detail), std::move(hint), code};
}

void print_error(const std::string& message, const std::string& detail, const std::string& hint) {
    std::cerr << "ender: error: " << message << "\n";
    if (!detail.empty()) std::cerr << "DETAIL:  " << detail << "\n";
    if (!hint.empty()) std::cerr << "HINT:  " << hint << "\n";
}

const char* const usage_text =
    R"(usage: ender [options] <command> [arguments]

commands:
  init                     create the migrations directory and ender.toml
  revision -m MESSAGE      write a new empty migration file on top of the current heads
           [--branch LABEL]
  merge [-m MESSAGE]       write an empty revision that merges the heads (two or more)
  upgrade [TARGET]         register every file, then apply up to TARGET (default: head)
  downgrade TARGET         undo the revisions above TARGET (an id, -N, base)
  stamp TARGET             set the position without running SQL
  current                  the applied heads
  heads                    the heads of the revision graph
  branches                 the branch points
  history                  what was applied, undone, stamped or failed
  show TARGET              the revisions TARGET names, with their SQL
  check --snapshot FILE    exit 1 unless the database equals the snapshot document
  diff --from DSN --to DSN the steps that turn the first database into the second

options:
  --dsn DSN                connection string (else ENDER_DSN, DATABASE_URL, ender.toml,
                           then libpq's defaults)
  --dir DIR                migrations directory (default: migrations)
  --config FILE            configuration file (default: ./ender.toml when it exists)
  --json                   machine-readable output
  -h, --help               this help

exit codes: 0 ok, 1 differences found or check failed, 2 usage error, 3 database error
)";

// ---- arguments

struct options {
    std::string verb;
    std::vector<std::string> positional;
    std::map<std::string, std::string> values;  // option name without dashes -> value
    bool json = false;
    bool help = false;
};

const std::set<std::string> valued_options = {"dsn",    "dir",      "config", "message",
                                              "branch", "snapshot", "from",   "to"};

bool is_relative_target(const std::string& a) {
    return a.size() > 1 && a[0] == '-' &&
           std::all_of(a.begin() + 1, a.end(), [](char c) { return c >= '0' && c <= '9'; });
}

options parse_arguments(int argc, char** argv) {
    options o;
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
        if (a == "--json") {
            o.json = true;
            continue;
        }
        std::string name;
        std::optional<std::string> value;
        if (a == "-m") {
            name = "message";
        } else if (a.rfind("--", 0) == 0) {
            name = a.substr(2);
            if (auto eq = name.find('='); eq != std::string::npos) {
                value = name.substr(eq + 1);
                name.resize(eq);
            }
        }
        if (!valued_options.contains(name))
            fail("unknown option \"" + a + "\"", {}, "Run \"ender --help\" for the options.");
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
    static const std::set<std::string> global = {"dsn", "dir", "config"};
    for (const auto& [name, value] : o.values) {
        bool ok = global.contains(name) ||
                  std::any_of(allowed.begin(), allowed.end(),
                              [&](const char* a) { return name == a; });
        if (!ok) fail("option \"--" + name + "\" does not apply to \"" + o.verb + "\"");
    }
    if (o.positional.size() < min_positional)
        fail("\"" + o.verb + "\" needs " + (min_positional == 1 ? "an argument" : "arguments"),
             {}, "Run \"ender --help\" for the usage.");
    if (o.positional.size() > max_positional)
        fail("too many arguments for \"" + o.verb + "\"",
             "Unexpected argument \"" + o.positional[max_positional] + "\".");
}

// ---- configuration: ender.toml (key = "value" lines; # comments)

struct config {
    std::string dsn;
    fs::path dir = "migrations";
    fs::path file;  // the configuration file read, if any
};

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) fail("could not read file \"" + p.string() + "\"", {}, {}, exit_database);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string trim(std::string s) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

config load_config(const options& o) {
    config c;
    fs::path file = o.values.contains("config") ? fs::path(o.values.at("config")) : "ender.toml";
    bool exists = fs::exists(file);
    if (!exists && o.values.contains("config"))
        fail("configuration file \"" + file.string() + "\" does not exist");
    if (exists) {
        c.file = file;
        std::istringstream in(read_file(file));
        std::string line;
        for (int n = 1; std::getline(in, line); ++n) {
            line = trim(line);
            if (line.empty() || line[0] == '#' || line[0] == '[') continue;
            auto eq = line.find('=');
            std::string key = eq == std::string::npos ? line : trim(line.substr(0, eq));
            std::string value = eq == std::string::npos ? "" : trim(line.substr(eq + 1));
            std::string where = "The problem is at line " + std::to_string(n) + " of \"" +
                                file.string() + "\".";
            if (eq == std::string::npos || value.size() < 2 || value.front() != '"' ||
                value.back() != '"')
                fail("malformed configuration line", where, "Write key = \"value\".");
            value = value.substr(1, value.size() - 2);
            if (key == "dsn")
                c.dsn = value;
            else if (key == "dir")
                c.dir = file.parent_path() / value;
            else
                fail("unknown configuration key \"" + key + "\"", where, "Known keys: dsn, dir.");
        }
    }
    if (o.values.contains("dir")) c.dir = o.values.at("dir");
    if (o.values.contains("dsn")) {
        c.dsn = o.values.at("dsn");
    } else {
        for (const char* name : {"ENDER_DSN", "DATABASE_URL"})
            if (const char* v = std::getenv(name); v && *v) {
                c.dsn = v;
                break;
            }
    }
    return c;
}

ender::session connect(const std::string& dsn) {
    ender::session db(dsn);
    db.on_notice([](std::string_view m) { std::cerr << m; });
    return db;
}

// ---- migration files

struct migration_file {
    fs::path path;
    std::string source;
};

std::vector<migration_file> migration_files(const fs::path& dir) {
    if (!fs::is_directory(dir))
        fail("migrations directory \"" + dir.string() + "\" does not exist", {},
             "Run \"ender init\", or pass --dir.");
    std::vector<migration_file> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".sql")
            files.push_back({e.path(), read_file(e.path())});
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    return files;
}

// The revision id and parents a file's header declares. Only `revision` reads files itself
// (to work without a database); everything else lets the extension parse them.
struct header {
    std::string revision;
    std::vector<std::string> parents;
};

header read_header(const migration_file& f) {
    header h;
    std::istringstream in(f.source);
    std::string line;
    const std::string prefix = "-- ender:";
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.rfind(prefix, 0) != 0) continue;
        std::string rest = line.substr(prefix.size());
        std::string directive = rest.substr(0, rest.find_first_of(" \t"));
        std::string value = trim(rest.substr(directive.size()));
        if (directive == "upgrade" || directive == "downgrade") break;
        if (directive == "revision") h.revision = value;
        if (directive == "parents") {
            std::replace(value.begin(), value.end(), ',', ' ');
            std::istringstream ids(value);
            for (std::string id; ids >> id;) h.parents.push_back(id);
        }
    }
    if (h.revision.empty())
        fail("migration file \"" + f.path.string() + "\" has no \"-- ender:revision\" line", {},
             {}, exit_differences);
    return h;
}

// ---- output

std::string cell(const ordered_json& v) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
    if (v.is_array()) {
        std::string s;
        for (const auto& e : v) s += (s.empty() ? "" : ", ") + cell(e);
        return s;
    }
    return v.dump();
}

std::string one_line(std::string s) {
    std::replace(s.begin(), s.end(), '\n', ' ');
    std::replace(s.begin(), s.end(), '\t', ' ');
    return s;
}

// Rows (an array of objects with the same keys, in order) as an aligned table.
void print_table(const ordered_json& rows, const std::vector<std::string>& columns) {
    std::vector<std::size_t> width;
    for (const auto& c : columns) width.push_back(c.size());
    std::vector<std::vector<std::string>> cells;
    for (const auto& row : rows) {
        std::vector<std::string> line;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            line.push_back(one_line(cell(row.value(columns[i], ordered_json()))));
            width[i] = std::max(width[i], line.back().size());
        }
        cells.push_back(std::move(line));
    }
    auto print_line = [&](const std::vector<std::string>& line) {
        std::string out;
        for (std::size_t i = 0; i < line.size(); ++i) {
            out += line[i];
            if (i + 1 < line.size()) out += std::string(width[i] - line[i].size() + 2, ' ');
        }
        std::cout << trim(out) << "\n";
    };
    print_line(columns);
    std::vector<std::string> rule;
    for (auto w : width) rule.push_back(std::string(w, '-'));
    print_line(rule);
    for (const auto& line : cells) print_line(line);
}

// Runs `query` (one statement, parameters bound) and returns its rows as JSON objects, with
// the server's own JSON rendering of every type and the columns in order.
template <class... A>
ordered_json rows(ender::session& db, const std::string& query, const A&... params) {
    auto text = db.scalar<std::string>(
        "SELECT coalesce(json_agg(t), '[]')::text FROM (" + query + ") t", params...);
    return ordered_json::parse(text);
}

template <class... A>
int read_verb(const options& o, ender::session& db, const std::string& query,
              const std::vector<std::string>& columns, const A&... params) {
    auto r = rows(db, query, params...);
    if (o.json)
        std::cout << r.dump(2) << "\n";
    else
        print_table(r, columns);
    return exit_ok;
}

const std::string revisions_query =
    "SELECT r.id AS revision, r.branch_label AS branch, r.message "
    "FROM %s x(id) JOIN ender.revision r USING (id) ORDER BY r.seq";

std::string revisions_from(const std::string& function) {
    std::string q = revisions_query;
    q.replace(q.find("%s"), 2, function);
    return q;
}

// What a state-changing verb did: the revisions, with their messages.
int report(const options& o, ender::session& db, const char* key, const char* verb,
           const std::vector<std::string>& ids) {
    if (o.json) {
        std::cout << ordered_json{{key, ids}}.dump(2) << "\n";
        return exit_ok;
    }
    if (ids.empty()) {
        std::cout << "nothing to do\n";
        return exit_ok;
    }
    auto r = rows(db,
                  "SELECT r.id, r.message FROM unnest($1::text[]) WITH ORDINALITY x(id, n) "
                  "JOIN ender.revision r USING (id) ORDER BY x.n",
                  ids);
    for (const auto& row : r)
        std::cout << verb << " " << cell(row["id"])
                  << (row["message"].is_null() ? "" : "  " + one_line(cell(row["message"])))
                  << "\n";
    return exit_ok;
}

std::vector<std::string> ids_of(ender::session& db, const std::string& query,
                                const std::string& target) {
    std::vector<std::string> ids;
    for (auto& [id] : db.query<std::tuple<std::string>>(query, target)) ids.push_back(id);
    return ids;
}

// ---- verbs

int cmd_init(const options& o) {
    allow_only(o, {}, 0, 0);
    fs::path dir = o.values.contains("dir") ? o.values.at("dir") : "migrations";
    bool created = fs::create_directories(dir);
    std::cout << (created ? "created " : "exists  ") << dir.string() << "/\n";
    fs::path cfg = o.values.contains("config") ? o.values.at("config") : "ender.toml";
    if (fs::exists(cfg)) {
        std::cout << "exists  " << cfg.string() << "\n";
    } else {
        std::ofstream out(cfg);
        out << "# ender configuration (docs/cli.md). --dsn, ENDER_DSN and DATABASE_URL win over dsn.\n"
            << "dir = \"" << fs::relative(fs::absolute(dir), fs::absolute(cfg).parent_path()).string()
            << "\"\n"
            << "# dsn = \"postgresql://localhost/mydb\"\n";
        if (!out) fail("could not write file \"" + cfg.string() + "\"", {}, {}, exit_database);
        std::cout << "created " << cfg.string() << "\n";
    }
    return exit_ok;
}

std::string fresh_id() {
    std::random_device rd;
    std::uniform_int_distribution<int> nibble(0, 15);
    std::string id;
    for (int i = 0; i < 12; ++i) id += "0123456789abcdef"[nibble(rd)];
    return id;
}

std::string slug(const std::string& message) {
    std::string s;
    for (unsigned char c : message) {
        if (std::isalnum(c))
            s += static_cast<char>(std::tolower(c));
        else if (!s.empty() && s.back() != '_')
            s += '_';
        if (s.size() >= 40) break;
    }
    while (!s.empty() && s.back() == '_') s.pop_back();
    return s;
}

// `revision`, and `merge` (which insists on several heads).
int cmd_revision(const options& o, const config& c, bool merge) {
    allow_only(o, {"message", "branch"}, 0, 0);
    auto files = migration_files(c.dir);
    std::vector<std::string> ids;
    std::set<std::string> has_child;
    for (const auto& f : files) {
        auto h = read_header(f);
        ids.push_back(h.revision);
        has_child.insert(h.parents.begin(), h.parents.end());
    }
    std::vector<std::string> heads;
    for (const auto& id : ids)
        if (!has_child.contains(id)) heads.push_back(id);

    if (merge && heads.size() < 2)
        fail("there is nothing to merge",
             "The migrations directory \"" + c.dir.string() + "\" has " +
                 (heads.empty() ? "no revision." : "a single head, " + heads[0] + "."),
             "Use \"ender revision\" for a new revision on top of it.");

    std::string id = fresh_id();
    std::string message = o.values.contains("message") ? o.values.at("message")
                          : merge                       ? "merge heads"
                                                        : "";
    std::ostringstream text;
    text << "-- ender:revision " << id << "\n";
    if (!heads.empty()) {
        text << "-- ender:parents ";
        for (std::size_t i = 0; i < heads.size(); ++i) text << (i ? ", " : "") << heads[i];
        text << "\n";
    }
    if (o.values.contains("branch")) text << "-- ender:branch " << o.values.at("branch") << "\n";
    std::istringstream lines(message);
    for (std::string line; std::getline(lines, line);) text << "-- ender:message " << line << "\n";
    text << "-- ender:upgrade\n\n-- ender:downgrade\n";

    std::string name = id + (slug(message).empty() ? "" : "_" + slug(message)) + ".sql";
    fs::path path = c.dir / name;
    std::ofstream out(path);
    out << text.str();
    if (!out) fail("could not write file \"" + path.string() + "\"", {}, {}, exit_database);
    if (o.json)
        std::cout << ordered_json{{"revision", id}, {"parents", heads}, {"file", path.string()}}
                         .dump(2)
                  << "\n";
    else
        std::cout << "created " << path.string()
                  << (heads.size() > 1 ? "  (merges " + std::to_string(heads.size()) + " heads)"
                                       : "")
                  << "\n";
    return exit_ok;
}

int cmd_upgrade(const options& o, const config& c, ender::session& db) {
    allow_only(o, {}, 0, 1);
    std::string target = o.positional.empty() ? "head" : o.positional[0];
    auto files = migration_files(c.dir);
    std::vector<std::string> sources;
    for (const auto& f : files) sources.push_back(f.source);

    auto tx = db.begin();
    std::vector<std::string> registered;
    try {
        for (auto& [id] : db.query<std::tuple<std::string>>(
                 "SELECT id FROM ender_register_many($1::text[]) id", sources))
            registered.push_back(id);
    } catch (const ender::error& e) {
        // The server counts the sources; name the file instead.
        static const std::regex source_n(R"(^In migration source (\d+) of \d+\.)");
        std::smatch m;
        std::string detail = e.detail();
        if (!std::regex_search(detail, m, source_n)) throw;
        std::size_t n = std::stoul(m[1].str());
        if (n < 1 || n > files.size()) throw;
        fail(e.what(),
             "In migration file \"" + files[n - 1].path.string() + "\"." + m.suffix().str(),
             e.hint(), exit_database);
    }
    std::vector<std::string> missing;
    for (auto& [id] : db.query<std::tuple<std::string>>(
             "SELECT a.revision_id FROM ender.applied a WHERE a.revision_id <> ALL($1::text[]) "
             "ORDER BY a.seq",
             registered))
        missing.push_back(id);
    if (!missing.empty()) {
        std::string list;
        for (const auto& id : missing) list += (list.empty() ? "\"" : ", \"") + id + "\"";
        fail("applied revision \"" + missing[0] + "\" has no migration file in \"" +
                 c.dir.string() + "\"",
             "Applied revisions without a file: " + list + ".",
             "Restore the file, or point --dir at the right directory.", exit_differences);
    }
    auto applied = ids_of(db, "SELECT id FROM ender_upgrade($1) id", target);
    tx.commit();
    return report(o, db, "applied", "applied", applied);
}

int cmd_move(const options& o, ender::session& db, const char* function, const char* key,
             const char* verb) {
    allow_only(o, {}, 1, 1);
    auto tx = db.begin();
    auto ids = ids_of(db, std::string("SELECT id FROM ") + function + "($1) id", o.positional[0]);
    tx.commit();
    return report(o, db, key, verb, ids);
}

int cmd_show(const options& o, ender::session& db) {
    allow_only(o, {}, 1, 1);
    auto r = rows(db, "SELECT * FROM ender_show($1)", o.positional[0]);
    if (o.json) {
        std::cout << r.dump(2) << "\n";
        return exit_ok;
    }
    bool first = true;
    for (const auto& row : r) {
        if (!first) std::cout << "\n";
        first = false;
        for (const char* k : {"id", "parents", "children", "depends_on", "branch_label", "message",
                              "applied", "applied_at", "is_head", "is_current", "checksum",
                              "registered_at", "registered_by"})
            std::cout << trim(k + std::string(15 - std::string(k).size(), ' ') +
                              one_line(cell(row.value(k, ordered_json()))))
                      << "\n";
        for (const char* k : {"upgrade", "downgrade"}) {
            std::cout << "-- " << k << "\n";
            auto v = row.value(k, ordered_json());
            std::cout << (v.is_null() ? "(none)" : cell(v)) << "\n";
        }
    }
    return exit_ok;
}

const std::vector<std::string> step_columns = {"step", "object_kind", "object_name", "hazards",
                                               "sql"};
const std::string steps_query =
    "SELECT step, object_kind, object_name, hazards, sql, reverse_sql, in_transaction "
    "FROM ender_diff($1::jsonb)";

int print_steps(const options& o, const ordered_json& steps, const char* what) {
    if (o.json) {
        std::cout << steps.dump(2) << "\n";
    } else if (steps.empty()) {
        std::cout << what << ": no differences\n";
    } else {
        print_table(steps, step_columns);
    }
    return steps.empty() ? exit_ok : exit_differences;
}

int cmd_check(const options& o, ender::session& db) {
    allow_only(o, {"snapshot"}, 0, 0);
    if (!o.values.contains("snapshot"))
        fail("\"check\" needs --snapshot FILE", {},
             "Write one with: psql -Atc \"SELECT ender_snapshot()\" > schema.json");
    std::string doc = read_file(o.values.at("snapshot"));
    if (db.scalar<bool>("SELECT ender_check($1::jsonb)", doc)) {
        if (o.json)
            std::cout << "[]\n";
        else
            std::cout << "check: the database matches the snapshot\n";
        return exit_ok;
    }
    return print_steps(o, rows(db, steps_query, doc), "check");
}

int cmd_diff(const options& o) {
    allow_only(o, {"from", "to"}, 0, 0);
    if (!o.values.contains("from") || !o.values.contains("to"))
        fail("\"diff\" needs --from DSN and --to DSN");
    auto to = connect(o.values.at("to"));
    auto doc = to.scalar<std::string>("SELECT ender_snapshot()::text");
    auto from = connect(o.values.at("from"));
    return print_steps(o, rows(from, steps_query, doc), "diff");
}

int run(int argc, char** argv) {
    options o = parse_arguments(argc, argv);
    if (o.help || o.verb == "help") {
        std::cout << usage_text;
        return exit_ok;
    }
    if (o.verb.empty()) fail("no command given", {}, "Run \"ender --help\" for the commands.");
    static const std::set<std::string> verbs = {
        "init", "revision", "merge", "upgrade", "downgrade", "stamp", "current", "heads",
        "branches", "history", "show", "check", "diff"};
    if (!verbs.contains(o.verb))
        fail("unknown command \"" + o.verb + "\"", {},
             "Commands: init, revision, merge, upgrade, downgrade, stamp, current, heads, branches, "
             "history, show, check, diff.");
    if (o.verb == "init") return cmd_init(o);
    if (o.verb == "diff") return cmd_diff(o);
    config c = load_config(o);
    if (o.verb == "revision" || o.verb == "merge") return cmd_revision(o, c, o.verb == "merge");
    if (o.verb == "upgrade") migration_files(c.dir);  // a usage error before connecting

    auto db = connect(c.dsn);
    if (o.verb == "upgrade") return cmd_upgrade(o, c, db);
    if (o.verb == "downgrade") return cmd_move(o, db, "ender_downgrade", "undone", "undone");
    if (o.verb == "stamp") return cmd_move(o, db, "ender_stamp", "current", "current");
    if (o.verb == "show") return cmd_show(o, db);
    if (o.verb == "check") return cmd_check(o, db);
    allow_only(o, {}, 0, 0);
    if (o.verb == "current") return read_verb(o, db, revisions_from("ender_current()"),
                                              {"revision", "branch", "message"});
    if (o.verb == "heads")
        return read_verb(o, db, revisions_from("ender_heads()"), {"revision", "branch", "message"});
    if (o.verb == "branches")
        return read_verb(o, db, "SELECT revision, children FROM ender_branches()",
                         {"revision", "children"});
    return read_verb(o, db,
                     "SELECT id, revision, operation, stamped, outcome, "
                     "to_char(started_at, 'YYYY-MM-DD HH24:MI:SS') AS started_at, duration, "
                     "message, target, error_sqlstate, error_message FROM ender_history()",
                     {"id", "revision", "operation", "stamped", "outcome", "started_at", "message",
                      "error_message"});
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const cli_error& e) {
        print_error(e.message, e.detail, e.hint);
        return e.code;
    } catch (const ender::error& e) {
        print_error(e.what(), e.detail(), e.hint());
        return exit_database;
    } catch (const std::exception& e) {
        print_error(e.what(), {}, {});
        return exit_database;
    }
}
