// Built with the installed package's ender_embed_migrations: prints every compiled-in migration
// file, name then content, so scripts/test-client-consumer.sh can compare them with the files.
#include <ender/migrate.hpp>

#include <iostream>

int main() {
    for (const auto& f : ender::compiled_in::migrations) std::cout << f.name << "\n" << f.content;
    return ender::compiled_in::migrations.size() == 1 ? 0 : 1;
}
