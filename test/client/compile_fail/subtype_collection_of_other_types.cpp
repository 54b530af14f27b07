// expect-error: a collection of a hierarchy holds the base's polymorphic_t
#include <ender/ender.hpp>

struct manager;
struct engineer;
struct employee {
    std::int64_t id{};
    std::string kind;
    std::int64_t company_id{};
};
inline auto ender_model(ender::tag<employee>) {
    using namespace ender;
    return table<employee>("employee", column("id", &employee::id, primary_key()),
                           column("kind", &employee::kind),
                           column("company_id", &employee::company_id),
                           polymorphic_on<employee, manager, engineer>(&employee::kind));
}
struct manager : employee {};
struct engineer : employee {};
struct company {
    std::int64_t id{};
    ender::many<std::variant<engineer, manager>> staff;  // not the order polymorphic_on lists
};
inline auto ender_model(ender::tag<company>) {
    using namespace ender;
    return table<company>("company", column("id", &company::id, primary_key()),
                          has_many(&company::staff, &employee::company_id));
}
