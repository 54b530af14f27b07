// ender.toml (config.hpp): read with toml++ (compiled in, header-only), checked key by key, then
// the command line and the environment on top.
#include "config.hpp"

#include <toml++/toml.h>

#include <cstdlib>
#include <regex>

namespace ender::cli {

namespace {

struct file_reader {
    fs::path file;

    [[noreturn]] void refuse(const std::string& message, const toml::node& where,
                             const std::string& hint) const {
        fail(message,
             "The problem is at line " + std::to_string(where.source().begin.line) + " of \"" +
                 file.string() + "\".",
             hint);
    }

    std::string text(const toml::node& v, const std::string& key) const {
        if (auto* s = v.as_string()) return s->get();
        refuse("configuration key \"" + key + "\" needs a string", v,
               "Write " + key + " = \"...\".");
    }

    // A comma-separated string or an array of strings.
    std::vector<std::string> list(const toml::node& v, const std::string& key) const {
        std::vector<std::string> out;
        if (auto* a = v.as_array()) {
            for (auto& e : *a)
                for (auto& item : split_list(text(e, key))) out.push_back(std::move(item));
            return out;
        }
        return split_list(text(v, key));
    }

    bool boolean(const toml::node& v, const std::string& key) const {
        if (auto* b = v.as_boolean()) return b->get();
        if (auto* s = v.as_string(); s && (s->get() == "true" || s->get() == "false"))
            return s->get() == "true";  // the form before ender.toml was TOML
        refuse("invalid value for " + key, v, "Write " + key + " = true or false.");
    }
};

// The keys a [databases.NAME] table may hold, and the top level besides `databases`.
const std::vector<std::string> database_keys = {"dsn", "dsn_env", "dir", "exclude"};
const std::vector<std::string> top_keys = {
    "dsn",         "dir",           "exclude",  "exclude_alembic_version",
    "revision_id", "file_template", "databases"};

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

void check_keys(const file_reader& r, const toml::table& t, const std::vector<std::string>& known,
                const std::string& where) {
    for (auto& [key, value] : t)
        if (std::find(known.begin(), known.end(), key.str()) == known.end())
            r.refuse("unknown configuration key \"" + std::string(key.str()) + "\"" + where, value,
                     "Known keys: " + joined(known) + ".");
}

void read_naming(const file_reader& r, const toml::table& t, revision_naming& n) {
    if (auto* v = t.get("revision_id")) {
        n.id_format = r.text(*v, "revision_id");
        if (n.id_format != "hex" && n.id_format != "timestamp" && n.id_format != "sequence")
            r.refuse("invalid revision_id \"" + n.id_format + "\"", *v,
                     "Write revision_id = \"hex\", \"timestamp\" or \"sequence\".");
    }
    if (auto* v = t.get("file_template")) {
        n.file_template = r.text(*v, "file_template");
        try {
            check_file_template(n.file_template);
        } catch (const cli_error& e) {
            r.refuse(e.message, *v, e.hint);
        }
    }
}

}  // namespace

config load_config(const options& o) {
    config c;
    fs::path file = o.has("config") ? fs::path(o.value("config")) : "ender.toml";
    bool exists = fs::exists(file);
    if (!exists && o.has("config"))
        fail("configuration file \"" + file.string() + "\" does not exist");
    std::string chosen = o.has("db") ? o.value("db") : "";
    if (chosen.empty())
        if (const char* v = std::getenv("ENDER_DB"); v && *v) chosen = v;
    std::string dsn_env;
    bool chosen_has_dsn = false;
    if (exists) {
        c.file = file;
        file_reader r{file};
        toml::table t;
        try {
            t = toml::parse(read_file(file), file.string());
        } catch (const toml::parse_error& e) {
            fail("malformed configuration file \"" + file.string() + "\"",
                 std::string(e.description()) + " (line " + std::to_string(e.source().begin.line) +
                     ", column " + std::to_string(e.source().begin.column) + ").",
                 "ender.toml is TOML: key = \"value\" lines, and [databases.NAME] tables.");
        }
        check_keys(r, t, top_keys, {});
        if (auto* v = t.get("dsn")) c.dsn = r.text(*v, "dsn");
        if (auto* v = t.get("dir")) c.dir = file.parent_path() / r.text(*v, "dir");
        if (auto* v = t.get("exclude")) c.exclude = r.list(*v, "exclude");
        if (auto* v = t.get("exclude_alembic_version"))
            c.exclude_alembic_version = r.boolean(*v, "exclude_alembic_version");
        read_naming(r, t, c.naming);
        const toml::table* databases = nullptr;
        if (auto* v = t.get("databases")) {
            databases = v->as_table();
            if (!databases)
                r.refuse("\"databases\" must be a table", *v,
                         "Write one [databases.NAME] table per database.");
        }
        // A single database needs no --db.
        if (databases && chosen.empty() && databases->size() == 1)
            chosen = std::string(databases->begin()->first.str());
        if (databases)
            for (auto& [name, value] : *databases) {
                std::string n(name.str());
                auto* d = value.as_table();
                if (!d)
                    r.refuse("database \"" + n + "\" must be a table", value,
                             "Write [databases." + n + "] followed by its dsn and dir.");
                check_keys(r, *d, database_keys, " in [databases." + n + "]");
                c.databases.push_back(n);
                if (n != chosen) continue;
                c.dsn.clear();
                c.dir = file.parent_path() / "migrations" / n;
                if (auto* v = d->get("dsn")) {
                    c.dsn = r.text(*v, "dsn");
                    chosen_has_dsn = true;
                }
                if (auto* v = d->get("dsn_env")) dsn_env = r.text(*v, "dsn_env");
                if (auto* v = d->get("dir")) c.dir = file.parent_path() / r.text(*v, "dir");
                if (auto* v = d->get("exclude"))
                    for (auto& e : r.list(*v, "exclude")) c.exclude.push_back(std::move(e));
            }
    }
    if (!chosen.empty() &&
        std::find(c.databases.begin(), c.databases.end(), chosen) == c.databases.end())
        fail("database \"" + chosen + "\" is not in the configuration",
             c.databases.empty() ? (exists ? "\"" + file.string() + "\" names no database."
                                           : "There is no "
                                             "ender.toml.")
                                 : "\"" + file.string() + "\" names: " + joined(c.databases) + ".",
             "Add a [databases." + chosen + "] table with its dsn and dir to ender.toml.");
    if (chosen.empty() && !c.databases.empty())
        fail("the configuration names several databases: choose one",
             "\"" + file.string() + "\" names: " + joined(c.databases) + ".",
             "Pass --db NAME (or set ENDER_DB).");
    c.database = chosen;

    if (o.has("exclude"))
        for (auto& e : split_list(o.value("exclude"))) c.exclude.push_back(std::move(e));
    if (o.has("dir")) c.dir = o.value("dir");
    if (o.has("dsn")) {
        c.dsn = o.value("dsn");
    } else if (!chosen.empty()) {
        if (!dsn_env.empty()) {
            if (const char* v = std::getenv(dsn_env.c_str()); v && *v)
                c.dsn = v;
            else if (!chosen_has_dsn)
                fail("database \"" + chosen + "\" has no connection string",
                     "Its dsn_env names " + dsn_env + ", which is not set, and it has no dsn.",
                     "Set " + dsn_env + ", or pass --dsn.");
        }
    } else {
        for (const char* name : {"ENDER_DSN", "DATABASE_URL"})
            if (const char* v = std::getenv(name); v && *v) {
                c.dsn = v;
                break;
            }
    }
    return c;
}

}  // namespace ender::cli
