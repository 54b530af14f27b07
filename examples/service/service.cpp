// The service example: a program that migrates its database itself when it starts, from the
// migration files compiled into it (ender_embed_migrations in CMakeLists.txt), one of which has
// a C++ data step that fills a column through the mapped model. Many copies may start at once:
// one applies, the others wait for it (or, with --skip, go on without waiting).
//
//     service [--skip] [--stop-at-online]   migrate, then serve (here: report and exit)
//     service_v2 ...                        version 2: one more revision, online (its files are
//                                           migrations and migrations_v2; it starts the online
//                                           revision and serves without waiting for it)
//     service migrate <verb> [options]      the ender command with these models and steps
//                                           (downgrade runs the step's downgrade function)
#include <ender/cli.hpp>
#include <ender/ender.hpp>
#include <ender/migrate.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#ifdef SERVICE_V2
namespace ender::compiled_in {
extern const embedded_migrations migrations_v2;  // ender_embed_migrations(... NAME migrations_v2)
}
#endif

namespace service {

struct account {
    std::int64_t id{};
    std::string name;
    std::optional<std::string> email;
};

// The accounts the step filled, so that its downgrade function empties exactly those.
struct email_backfill {
    std::int64_t account_id{};
};

inline auto ender_model(ender::tag<account>) {
    using namespace ender;
    return table<account>(
        "account", column("id", &account::id, primary_key(), identity(identity_kind::always)),
        column("name", &account::name, unique()), column("email", &account::email));
}

inline auto ender_model(ender::tag<email_backfill>) {
    using namespace ender;
    return table<email_backfill>("email_backfill", column("account_id", &email_backfill::account_id,
                                                          primary_key(), references(&account::id)));
}

// The data steps the revisions name ("-- ender:step backfill_emails").
ender::migration_steps steps() {
    ender::migration_steps s;
    s.add(
        "backfill_emails",
        [](ender::session& db) {
            // The revision's transaction: what this writes is committed with the revision.
            auto missing = db.select<account>()
                               .where(ender::is_null(ender::col(&account::email)))
                               .order_by(ender::asc(&account::id))
                               .all();
            for (auto& a : missing) {
                a.email = a.name + "@example.com";
                db.update(a);
                email_backfill filled{a.id};
                db.insert(filled);
            }
        },
        [](ender::session& db) {
            db.execute(
                "UPDATE account SET email = NULL FROM email_backfill b "
                "WHERE b.account_id = account.id");
        });
    return s;
}

}  // namespace service

int main(int argc, char** argv) {
    using namespace service;
    const auto data_steps = steps();
    if (argc > 1 && std::string(argv[1]) == "migrate") {
        // argv without "migrate": the command line of the ender command.
        std::vector<char*> args{argv[0]};
        args.insert(args.end(), argv + 2, argv + argc);
        return ender::cli::main(ender::schema::of<account, email_backfill>(), data_steps,
                                static_cast<int>(args.size()), args.data());
    }
    ender::migrate_options options;
    options.steps = &data_steps;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--skip")
            options.busy = ender::migrate_options::when_locked::skip;
        else if (a == "--stop-at-online")
            options.online = ender::migrate_options::online_revisions::stop;
        else {
            std::cerr << "service: unknown option \"" << a << "\"\n";
            return 2;
        }
    }
    std::vector<ender::embedded_file> files(ender::compiled_in::migrations.begin(),
                                            ender::compiled_in::migrations.end());
#ifdef SERVICE_V2
    files.insert(files.end(), ender::compiled_in::migrations_v2.begin(),
                 ender::compiled_in::migrations_v2.end());
#endif
    try {
        ender::session db;
        auto done = ender::migrate(db, files, options);
        std::cout << "migrated: applied=" << done.applied.size();
        for (const auto& id : done.applied) std::cout << " " << id;
        std::cout << "; steps=" << done.steps_run.size();
        for (const auto& s : done.steps_run) std::cout << " " << s;
        if (done.skipped) std::cout << "; skipped (another instance is migrating)";
        if (done.online_started) std::cout << "; online started: " << *done.online_started;
        if (done.online_pending) std::cout << "; online pending: " << *done.online_pending;
        if (done.online_in_progress)
            std::cout << "; online in progress: " << *done.online_in_progress;
        std::cout << "\n";
        if (done.skipped) return 0;  // serves with the schema as it is
        auto with_email =
            db.select<account>().where(ender::is_not_null(ender::col(&account::email))).all();
        std::cout << "serving: " << with_email.size() << " accounts with an email\n";
        return 0;
    } catch (const ender::error& e) {
        std::cerr << "service: ERROR:  " << e.what() << "\n";
        if (!e.detail().empty()) std::cerr << "DETAIL:  " << e.detail() << "\n";
        if (!e.hint().empty()) std::cerr << "HINT:  " << e.hint() << "\n";
        std::cerr << "SQLSTATE: " << e.sqlstate() << "\n";
        return 3;
    }
}
