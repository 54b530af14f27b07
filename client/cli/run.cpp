// ender::cli::main: the command line to a verb, and every error to one PostgreSQL-style
// message and an exit code. The standalone `ender` and an application's migrate program
// (which passes its models) are this same code.
#include "ender/cli.hpp"

#include "output.hpp"
#include "verbs.hpp"
#include "version.hpp"

#include <iostream>

namespace ender::cli {

namespace {

const std::vector<std::string> verb_names = {"init",  "revision", "merge",  "upgrade",  "downgrade",
                                             "stamp", "current",  "heads",  "branches", "history",
                                             "show",  "check",    "diff",   "sql",      "test",
                                             "graph", "status",   "import", "split"};

using schemas = std::map<std::string, ender::schema>;

int run(const ender::schema* models, const schemas* by_database,
        const ender::migration_steps* steps, int argc, char** argv) {
    context x;
    x.models = models;
    x.steps = steps;
    x.o = parse_arguments(argc, argv);
    const options& o = x.o;
    verbose = o.flag("verbose");
    if (o.version) {
        std::cout << version_text(o.program);
        return exit_ok;
    }
    if (o.help || o.verb == "help") {
        std::cout << usage(o.program, models != nullptr || by_database != nullptr);
        return exit_ok;
    }
    if (o.verb.empty())
        fail("no command given", {}, "Run \"" + o.program + " --help\" for the commands.");
    if (std::find(verb_names.begin(), verb_names.end(), o.verb) == verb_names.end()) {
        std::string list;
        for (const auto& v : verb_names) list += (list.empty() ? "" : ", ") + v;
        fail("unknown command \"" + o.verb + "\"", {}, "Commands: " + list + ".");
    }
    if (o.verb == "init") return cmd_init(o);
    if (o.verb == "import") return cmd_import(x);
    x.c = load_config(o);
    if (by_database) {
        for (const auto& [name, schema] : *by_database) x.model_databases.push_back(name);
        if (auto it = by_database->find(x.c.database); it != by_database->end())
            x.models = &it->second;
    }
    if (o.verb == "diff") return cmd_diff(x);
    if (o.verb == "revision" || o.verb == "merge") return cmd_revision(x, o.verb == "merge");
    if (o.verb == "upgrade") return cmd_upgrade(x);
    if (o.verb == "downgrade") return cmd_downgrade(x);
    if (o.verb == "stamp") return cmd_stamp(x);
    if (o.verb == "check") return cmd_check(x);
    if (o.verb == "sql") return cmd_sql(x);
    if (o.verb == "test") return cmd_test(x);
    if (o.verb == "graph") return cmd_graph(x);
    if (o.verb == "split") return cmd_split(x);
    auto db = connect(x.c.dsn);  // each verb checks its arguments, then the extension
    if (o.verb == "show") return cmd_show(x, db);
    if (o.verb == "status") return cmd_status(x, db);
    return cmd_read(x, db);
}

// Whether --json was asked for, read before the command line is parsed (an error parsing it
// is reported as JSON too).
bool wants_json(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--") break;
        if (a == "--json") return true;
    }
    return false;
}

// Every error: PostgreSQL-style on stderr, and with --json also {"error": {...}} on stdout.
int report_error(bool json, const std::string& message, const std::string& detail,
                 const std::string& hint, const std::string& sqlstate, int code,
                 const std::optional<error_location>& where = std::nullopt) {
    print_error(message, detail, hint, where);
    if (json)
        std::cout << error_json(message, detail, hint, sqlstate, code, where).dump(2) << std::endl;
    return code;
}

int guarded(const ender::schema* models, const schemas* by_database,
            const ender::migration_steps* steps, int argc, char** argv) {
    const bool json = wants_json(argc, argv);
    try {
        return run(models, by_database, steps, argc, argv);
    } catch (const cli_error& e) {
        return report_error(json, e.message, e.detail, e.hint, e.sqlstate, e.code, e.where);
    } catch (const ender::error& e) {
        return report_error(json, e.what(), e.detail(), e.hint(), e.sqlstate(), exit_database);
    } catch (const std::exception& e) {
        return report_error(json, e.what(), {}, {}, {}, exit_database);
    }
}

}  // namespace

int main(const ender::schema& models, int argc, char** argv) {
    return guarded(&models, nullptr, nullptr, argc, argv);
}

int main(const std::map<std::string, ender::schema>& models_by_database, int argc, char** argv) {
    return guarded(nullptr, &models_by_database, nullptr, argc, argv);
}

int main(const ender::schema& models, const ender::migration_steps& steps, int argc, char** argv) {
    return guarded(&models, nullptr, &steps, argc, argv);
}

int main(int argc, char** argv) {
    return guarded(nullptr, nullptr, nullptr, argc, argv);
}

}  // namespace ender::cli
