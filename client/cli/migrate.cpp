// ender::migrate (ender/migrate.hpp): the embedded files registered and applied at startup in one
// transaction that holds ender's lock (the row of ender.state every change updates) from the
// registration to the commit, so that of many instances starting at once one applies and the
// others wait for it (then find nothing pending) or skip.
#include "ender/migrate.hpp"

#include "config.hpp"
#include "steps.hpp"
#include "verbs.hpp"

#include "ender/error.hpp"
#include "ender/pool.hpp"
#include "engine/revision.hpp"

namespace ender {

migration_steps& migration_steps::add(std::string name, step_function upgrade,
                                      step_function downgrade) {
    try {
        engine::validate_name(name, "step name");
    } catch (const engine::error& e) {
        throw ender::error(e.sqlstate(), e.what(), e.detail(), e.hint());
    }
    if (!upgrade) throw ender::error("22004", "data step \"" + name + "\" has no upgrade function");
    if (!steps_.emplace(name, step{std::move(upgrade), std::move(downgrade)}).second)
        throw ender::error("42710", "data step \"" + name + "\" is registered twice");
    return *this;
}

const migration_steps::step* migration_steps::find(std::string_view name) const {
    auto it = steps_.find(name);
    return it == steps_.end() ? nullptr : &it->second;
}

namespace {

// The library reports ender::error: a cli_error (a malformed file, a missing step, an applied
// revision with no file) keeps its message, detail, hint and SQLSTATE (55000 when it had none).
template <class F>
auto as_ender_error(F&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const cli::cli_error& e) {
        throw ender::error(e.sqlstate.empty() ? "55000" : e.sqlstate, e.message, e.detail, e.hint);
    }
}

std::vector<cli::migration_file> embedded_files(embedded_migrations files) {
    std::vector<cli::migration_file> out;
    out.reserve(files.size());
    for (const auto& f : files) out.push_back({cli::fs::path(f.name), std::string(f.content), {}});
    return cli::parsed(std::move(out));
}

}  // namespace

migrate_result migrate(session& db, embedded_migrations embedded, const migrate_options& options) {
    return as_ender_error([&] {
        auto files = embedded_files(embedded);
        cli::require_extension(db);
        migrate_result out;
        auto tx = db.begin();
        // The wait for the lock is bounded (skip: it is not waited for at all, or hardly).
        const auto wait = options.busy == migrate_options::when_locked::skip
                              ? std::chrono::milliseconds(1)
                              : std::max(options.wait_limit, std::chrono::milliseconds(1));
        auto previous = db.scalar<std::string>("SELECT pg_catalog.current_setting('lock_timeout')");
        db.exec("SELECT pg_catalog.set_config('lock_timeout', $1, true)",
                std::to_string(wait.count()) + "ms");
        try {
            cli::register_files(db, files, "embedded migrations");
        } catch (const ender::error& e) {
            if (e.sqlstate() != "55P03" || options.busy != migrate_options::when_locked::skip)
                throw;
            out.skipped = true;  // another instance is migrating
            return out;
        }
        db.exec("SELECT pg_catalog.set_config('lock_timeout', $1, true)", previous);
        auto run =
            cli::upgrade_stepwise(db, files, options.target, options.steps,
                                  options.online == migrate_options::online_revisions::start);
        tx.commit();
        out.applied = std::move(run.done);
        out.steps_run = std::move(run.steps_run);
        out.online_started = std::move(run.online_started);
        out.online_pending = std::move(run.online_pending);
        out.online_in_progress = std::move(run.online_in_progress);
        return out;
    });
}

migrate_result migrate(pool& sessions, embedded_migrations files, const migrate_options& options) {
    auto borrowed = sessions.acquire();
    return migrate(*borrowed, files, options);
}

}  // namespace ender
