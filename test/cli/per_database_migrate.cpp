// A migrate program for a project with two databases (test/cli/config.sh): one schema per
// database of ender.toml, the one --db chooses compared by check and autogenerate.
#include <ender/cli.hpp>
#include <ender/ender.hpp>

#include <cstdint>
#include <string>

struct customer {
    std::int64_t id{};
    std::string name;
};
inline auto ender_model(ender::tag<customer>) {
    using namespace ender;
    return table<customer>("customer", column("id", &customer::id, primary_key(), identity()),
                           column("name", &customer::name));
}

struct audit_event {
    std::int64_t id{};
    std::string what;
};
inline auto ender_model(ender::tag<audit_event>) {
    using namespace ender;
    return table<audit_event>("audit_event",
                              column("id", &audit_event::id, primary_key(), identity()),
                              column("what", &audit_event::what));
}

int main(int argc, char** argv) {
    return ender::cli::main(
        {{"shop", ender::schema::of<customer>()}, {"audit", ender::schema::of<audit_event>()}},
        argc, argv);
}
