// The inheritance tests' models: the same company, employees, managers and engineers (one
// set of structs, made distinct per style by a tag) mapped in each of the three styles —
// single-table, joined-table, concrete — one namespace per style. Single and joined list the
// base among the types (employees of no subtype exist); the concrete hierarchy's base is
// abstract (no table of its own).
#pragma once

#include <ender/ender.hpp>

namespace shapes {
template <class Style>
struct employee {
    std::int64_t id{};
    std::string name;
    std::string kind;  // the discriminator (unused by the concrete mapping)
    std::optional<std::int64_t> company_id;
};
template <class Style>
struct manager : employee<Style> {
    std::string budget_code;  // not optional here; nullable in a shared table
};
template <class Style>
struct engineer : employee<Style> {
    std::string language;
    std::optional<int> level;
};
template <class Style>
struct company {
    std::int64_t id{};
    std::string name;
    ender::many<ender::polymorphic_t<employee<Style>>> staff;
};

// The columns every style maps the same way.
template <class Style>
auto company_model() {
    using namespace ender;
    using c = company<Style>;
    return table<c>("company", column("id", &c::id, primary_key(), identity()),
                    column("name", &c::name),
                    has_many(&c::staff, &employee<Style>::company_id).name("staff"));
}

// The base of a hierarchy with a discriminator (single and joined), which lists itself among
// the types: employees of no subtype exist.
template <class Style>
auto discriminated_employee_model() {
    using namespace ender;
    using e = employee<Style>;
    return table<e>("employee", column("id", &e::id, primary_key(), identity()),
                    column("name", &e::name), column("kind", &e::kind),
                    column("company_id", &e::company_id),
                    polymorphic_on<e, e, manager<Style>, engineer<Style>>(&e::kind));
}
}  // namespace shapes

namespace single_style {
struct style {};
using employee = shapes::employee<style>;
using manager = shapes::manager<style>;
using engineer = shapes::engineer<style>;
using company = shapes::company<style>;
inline auto ender_model(ender::tag<employee>) {
    return shapes::discriminated_employee_model<style>();
}
inline auto ender_model(ender::tag<manager>) {
    using namespace ender;
    return single_table<manager, employee>("manager", column("budget_code", &manager::budget_code));
}
inline auto ender_model(ender::tag<engineer>) {
    using namespace ender;
    return single_table<engineer, employee>("engineer", column("language", &engineer::language),
                                            column("level", &engineer::level, check("level > 0")));
}
inline auto ender_model(ender::tag<company>) {
    return shapes::company_model<style>();
}
}  // namespace single_style

namespace joined_style {
struct style {};
using employee = shapes::employee<style>;
using manager = shapes::manager<style>;
using engineer = shapes::engineer<style>;
using company = shapes::company<style>;
inline auto ender_model(ender::tag<employee>) {
    return shapes::discriminated_employee_model<style>();
}
inline auto ender_model(ender::tag<manager>) {
    using namespace ender;
    return joined_table<manager, employee>("manager", column("budget_code", &manager::budget_code));
}
inline auto ender_model(ender::tag<engineer>) {
    using namespace ender;
    return joined_table<engineer, employee>("engineer", column("language", &engineer::language),
                                            column("level", &engineer::level, check("level > 0")));
}
inline auto ender_model(ender::tag<company>) {
    return shapes::company_model<style>();
}
}  // namespace joined_style

namespace concrete_style {
struct style {};
using employee = shapes::employee<style>;
using manager = shapes::manager<style>;
using engineer = shapes::engineer<style>;
using company = shapes::company<style>;
inline auto ender_model(ender::tag<employee>) {
    using namespace ender;
    return table<employee>("employee", column("id", &employee::id, primary_key(), identity()),
                           column("name", &employee::name),
                           column("company_id", &employee::company_id),
                           polymorphic_union<employee, manager, engineer>());
}
inline auto ender_model(ender::tag<manager>) {
    using namespace ender;
    return concrete_table<manager, employee>("manager",
                                             column("budget_code", &manager::budget_code));
}
inline auto ender_model(ender::tag<engineer>) {
    using namespace ender;
    return concrete_table<engineer, employee>(
        "engineer", column("language", &engineer::language),
        column("level", &engineer::level, check("level > 0")));
}
inline auto ender_model(ender::tag<company>) {
    return shapes::company_model<style>();
}
}  // namespace concrete_style
