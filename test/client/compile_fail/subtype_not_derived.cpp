// expect-error: a subtype must derive from its base
#include <ender/ender.hpp>

struct person {
    std::int64_t id{};
    std::string kind;
};
inline auto ender_model(ender::tag<person>) {
    using namespace ender;
    return table<person>("person", column("id", &person::id, primary_key()),
                         column("kind", &person::kind),
                         polymorphic_on<person, person>(&person::kind));
}
struct robot {  // forgot ": person"
    std::int64_t id{};
    std::string model;
};
inline auto ender_model(ender::tag<robot>) {
    using namespace ender;
    return single_table<robot, person>("robot", column("model", &robot::model));
}
