// Migrating at startup (docs/client.md, "Migrating at startup"): the migration files compiled
// into the program (CMake: ender_embed_migrations(target DIR)), applied by ender::migrate under
// ender's lock, with the C++ data steps the revisions name ("-- ender:step backfill_emails").
// Link ender::cli, which holds the migration-file parser.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ender {

class session;
class pool;

// One migration file as ender_embed_migrations compiled it in: its file name and its content.
struct embedded_file {
    std::string_view name;
    std::string_view content;
};
using embedded_migrations = std::span<const embedded_file>;

namespace compiled_in {
// The files of the directory ender_embed_migrations(target DIR) names, sorted by name (defined
// in the source it generates for `target`).
extern const embedded_migrations migrations;
}  // namespace compiled_in

// A C++ data step runs inside its revision's transaction with the session bound to it: the
// mapped models work, and a throw undoes the whole revision.
using step_function = std::function<void(session&)>;

// The data steps a program registers, by the name the revisions give them.
class migration_steps {
public:
    struct step {
        step_function upgrade;    // after the revision's upgrade SQL
        step_function downgrade;  // before its downgrade SQL; empty: the step cannot be undone
    };
    migration_steps& add(std::string name, step_function upgrade, step_function downgrade = {});
    const step* find(std::string_view name) const;
    bool empty() const noexcept { return steps_.empty(); }

private:
    std::map<std::string, step, std::less<>> steps_;
};

struct migrate_options {
    std::string target = "heads";
    const migration_steps* steps = nullptr;
    // When another instance holds ender's lock (it is migrating): wait for it (at most
    // wait_limit, then 55P03) and apply what is still pending (usually nothing), or skip.
    enum class when_locked { wait, skip } busy = when_locked::wait;
    std::chrono::milliseconds wait_limit{std::chrono::minutes(5)};
    // An online revision ("-- ender:online", hand-written phases): start it and return without
    // waiting for it (its worker runs it; ender_complete finishes it), or stop before it. Either
    // way migrate_result names it, and the revisions after it wait for its completion.
    enum class online_revisions { start, stop } online = online_revisions::start;
};

struct migrate_result {
    std::vector<std::string> applied;    // in order, by this call
    std::vector<std::string> steps_run;  // "revision:step", in order
    bool skipped = false;                // another instance held the lock (when_locked::skip)
    std::optional<std::string> online_started;      // started by this call
    std::optional<std::string> online_pending;      // reached but not started (online::stop)
    std::optional<std::string> online_in_progress;  // started earlier, not completed yet
    // Whether the database is at the target: nothing skipped, nothing online left behind.
    bool at_target() const noexcept {
        return !skipped && !online_started && !online_pending && !online_in_progress;
    }
};

// Registers every file (a file changed after its revision was applied is refused: drift, 55000,
// naming the revision) and applies what `options.target` needs, revision by revision in one
// transaction that holds ender's lock from the registration to the commit: each revision's
// SQL, then its data step. A step a pending revision names that `options.steps` lacks is an
// error before anything runs. Throws ender::error; nothing is applied when it throws.
migrate_result migrate(session& db, embedded_migrations files, const migrate_options& options = {});
// The same on a session borrowed from `sessions`.
migrate_result migrate(pool& sessions, embedded_migrations files,
                       const migrate_options& options = {});

}  // namespace ender
