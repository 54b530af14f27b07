// The ender command as a library (docs/cli.md): an application links ender::cli and writes a
// tiny migrate program that passes its models, so `myapp-migrate revision --autogenerate`
// and `myapp-migrate check` compare them with the database.
//
//     int main(int argc, char** argv) {
//         return ender::cli::main(ender::schema::of<team, hero>(), argc, argv);
//     }
#pragma once

#include "ender/migrate.hpp"
#include "ender/schema.hpp"

#include <map>
#include <string>

namespace ender::cli {

// Runs one command line (argv[0] is the program's name) with these models; returns the exit
// code: 0 ok, 1 differences found or check failed, 2 usage error, 3 database error.
int main(const ender::schema& models, int argc, char** argv);

// One schema per database of ender.toml ([databases.NAME]): the one --db chooses is compared.
//
//     return ender::cli::main({{"shop", ender::schema::of<order>()},
//                              {"audit", ender::schema::of<event>()}}, argc, argv);
int main(const std::map<std::string, ender::schema>& models_by_database, int argc, char** argv);

// The same with the C++ data steps the revisions name ("-- ender:step"): upgrade and downgrade
// run them in the revision's transaction (docs/client.md, "Migrating at startup").
int main(const ender::schema& models, const ender::migration_steps& steps, int argc, char** argv);

// The same without models (the standalone `ender`): check and revision --autogenerate then
// need --snapshot FILE.
int main(int argc, char** argv);

}  // namespace ender::cli
