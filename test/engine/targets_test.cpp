// Tests of engine/targets.hpp: targets and the revisions an upgrade, downgrade or stamp to one
// applies, undoes or marks applied, checked the way Alembic users expect them to behave on
// linear histories, branches, merges and cross-branch dependencies.
#include "engine/targets.hpp"

#include "engine/error.hpp"
#include "error_matchers.hpp"
#include "graph_helpers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ender::engine {
namespace {

using testing::node;
using testing::strings;

// A database in miniature: a revision graph and a position that the plans move, the way the
// glue does (upgrade appends to the application order, downgrade removes, stamp sets).
class db {
public:
    explicit db(std::vector<graph_node> nodes) : g(std::move(nodes)), p{g.empty_set(), {}} {}

    // Applies the upgrade plan for `target`; returns the ids applied, in order.
    strings upgrade(std::string_view target) {
        auto plan = revisions_to_apply(g, p, target);
        for (std::size_t i : plan) {
            EXPECT_FALSE(p.applied[i]) << g.id(i) << " is applied twice";
            for (std::size_t j : needs(i))
                EXPECT_TRUE(p.applied[j]) << g.id(i) << " is applied before " << g.id(j);
            p.applied[i] = true;
            p.applied_order.push_back(i);
        }
        return ids(plan);
    }

    // Applies the downgrade plan for `target`; returns the ids undone, in order.
    strings downgrade(std::string_view target) {
        auto plan = revisions_to_undo(g, p, target);
        for (std::size_t i : plan) {
            EXPECT_TRUE(p.applied[i]) << g.id(i) << " is undone but not applied";
            p.applied[i] = false;
            for (std::size_t j = 0; j < g.size(); ++j) {
                if (!p.applied[j]) continue;
                for (std::size_t k : needs(j))
                    EXPECT_NE(k, i) << g.id(i) << " is undone before " << g.id(j);
            }
        }
        std::erase_if(p.applied_order, [&](std::size_t i) { return !p.applied[i]; });
        return ids(plan);
    }

    // Stamps `target`: keeps the order of what stays, appends what is new in topological order.
    void stamp(std::string_view target) {
        node_set after = applied_after_stamp(g, p, target);
        node_set added = g.empty_set();
        for (std::size_t i = 0; i < g.size(); ++i) added[i] = after[i] && !p.applied[i];
        p.applied = after;
        std::erase_if(p.applied_order, [&](std::size_t i) { return !p.applied[i]; });
        for (std::size_t i : g.topological(added)) p.applied_order.push_back(i);
    }

    strings applied() const {
        strings out;
        for (std::size_t i = 0; i < g.size(); ++i)
            if (p.applied[i]) out.push_back(g.id(i));
        return out;
    }
    strings applied_order() const { return ids(p.applied_order); }
    strings heads() const { return ids(current_heads(g, p)); }
    strings resolve(std::string_view target) const { return ids(resolve_target(g, p, target)); }

    strings ids(const std::vector<std::size_t>& nodes) const {
        strings out;
        for (std::size_t i : nodes) out.push_back(g.id(i));
        return out;
    }

    revision_graph g;
    position p;

private:
    std::vector<std::size_t> needs(std::size_t i) const {
        std::vector<std::size_t> out;
        for (const auto* list : {&g.node(i).parents, &g.node(i).depends_on})
            for (const auto& ref : *list) out.push_back(*g.find(ref));
        return out;
    }
};

// a <- b <- c <- d
db linear() {
    return db({node("a"), node("b", {"a"}), node("c", {"b"}), node("d", {"c"})});
}

// r <- a1 <- a2 and r <- b1 <- b2; a1 is labelled "alpha", b1 "beta".
db branched() {
    return db({node("r"), node("a1", {"r"}, {}, "alpha"), node("b1", {"r"}, {}, "beta"),
               node("a2", {"a1"}), node("b2", {"b1"})});
}

// branched() plus m, the merge of a2 and b2.
db merged() {
    return db({node("r"), node("a1", {"r"}, {}, "alpha"), node("b1", {"r"}, {}, "beta"),
               node("a2", {"a1"}), node("b2", {"b1"}), node("m", {"a2", "b2"})});
}

// r <- a1 <- a2 and r <- b1 <- b2, where b2 also depends_on a2.
db dependent() {
    return db({node("r"), node("a1", {"r"}), node("a2", {"a1"}), node("b1", {"r"}),
               node("b2", {"b1"}, {"a2"})});
}

// ---------------------------------------------------------------------------------------
// Linear history

TEST(targets_linear, upgrade_to_heads_and_head) {
    db x = linear();
    EXPECT_EQ(x.upgrade("heads"), (strings{"a", "b", "c", "d"}));
    EXPECT_EQ(x.upgrade("heads"), strings{});
    db y = linear();
    EXPECT_EQ(y.upgrade("head"), (strings{"a", "b", "c", "d"}));
    EXPECT_EQ(y.upgrade("head"), strings{});
}

TEST(targets_linear, upgrade_step_by_step) {
    db x = linear();
    EXPECT_EQ(x.upgrade("b"), (strings{"a", "b"}));
    EXPECT_EQ(x.upgrade("+1"), strings{"c"});
    EXPECT_EQ(x.upgrade("+1"), strings{"d"});
    EXPECT_EQ(x.applied_order(), (strings{"a", "b", "c", "d"}));
}

TEST(targets_linear, upgrade_to_an_applied_revision_or_base_does_nothing) {
    db x = linear();
    x.upgrade("c");
    EXPECT_EQ(x.upgrade("a"), strings{});
    EXPECT_EQ(x.upgrade("c"), strings{});
    EXPECT_EQ(x.upgrade("base"), strings{});
    EXPECT_EQ(x.applied(), (strings{"a", "b", "c"}));
}

TEST(targets_linear, downgrade) {
    db x = linear();
    x.upgrade("heads");
    EXPECT_EQ(x.downgrade("-1"), strings{"d"});
    EXPECT_EQ(x.downgrade("a"), (strings{"c", "b"}));
    EXPECT_EQ(x.downgrade("a"), strings{});
    EXPECT_EQ(x.downgrade("base"), strings{"a"});
    EXPECT_EQ(x.downgrade("base"), strings{});
    EXPECT_TRUE(x.applied().empty());
}

TEST(targets_linear, downgrade_to_base_undoes_in_reverse) {
    db x = linear();
    x.upgrade("heads");
    EXPECT_EQ(x.downgrade("base"), (strings{"d", "c", "b", "a"}));
}

TEST(targets_linear, relative_from_a_revision) {
    db x = linear();
    EXPECT_EQ(x.upgrade("a+2"), (strings{"a", "b", "c"}));
    EXPECT_EQ(x.downgrade("c-2"), (strings{"c", "b"}));
    EXPECT_EQ(x.upgrade("b+2"), (strings{"b", "c", "d"}));
    EXPECT_EQ(x.downgrade("d-3"), (strings{"d", "c", "b"}));
    // a-1 is base.
    EXPECT_TRUE(x.resolve("a-1").empty());
    EXPECT_EQ(x.downgrade("a-1"), strings{"a"});
}

TEST(targets_linear, relative_beyond_the_ends) {
    db x = linear();
    EXPECT_ENGINE_ERROR(x.upgrade("+5"), sqlstate::invalid_parameter_value,
                        "target \"+5\" is beyond the heads",
                        {.detail = "There is nothing above revision \"d\"."});
    EXPECT_ENGINE_ERROR(x.upgrade("d+1"), sqlstate::invalid_parameter_value,
                        "target \"d+1\" is beyond the heads");
    EXPECT_ENGINE_ERROR(x.upgrade("b-3"), sqlstate::invalid_parameter_value,
                        "target \"b-3\" is below base");
    EXPECT_TRUE(x.applied().empty());
    x.upgrade("b");
    EXPECT_ENGINE_ERROR(x.downgrade("-3"), sqlstate::invalid_parameter_value,
                        "cannot undo 3 revisions",
                        {.detail = "Target \"-3\" asks for 3 but only 2 are applied."});
    EXPECT_EQ(x.applied(), (strings{"a", "b"}));
    EXPECT_EQ(x.downgrade("-2"), (strings{"b", "a"}));
    EXPECT_ENGINE_ERROR(x.downgrade("-1"), sqlstate::invalid_parameter_value,
                        "cannot undo 1 revision");
}

TEST(targets_linear, prefixes_and_full_ids) {
    db x({node("0a1b2c"), node("1d2e3f", {"0a1b2c"}), node("1d9999", {"1d2e3f"})});
    EXPECT_EQ(x.upgrade("1d2"), (strings{"0a1b2c", "1d2e3f"}));
    EXPECT_ENGINE_ERROR(x.upgrade("1d"), sqlstate::invalid_parameter_value,
                        "revision prefix \"1d\" is ambiguous",
                        {.detail = "It matches 2 revisions: 1d2e3f, 1d9999."});
    EXPECT_ENGINE_ERROR(x.upgrade("2"), sqlstate::undefined_object,
                        "revision \"2\" is not registered");
    EXPECT_ENGINE_ERROR(x.downgrade("zz"), sqlstate::undefined_object,
                        "revision \"zz\" is not registered");
    EXPECT_EQ(x.downgrade("0a"), strings{"1d2e3f"});
}

TEST(targets_linear, upgrade_refuses_a_downward_target) {
    db x = linear();
    x.upgrade("heads");
    EXPECT_ENGINE_ERROR(x.upgrade("-1"), sqlstate::invalid_parameter_value,
                        "target \"-1\" moves down", {.hint = "ender_downgrade('-1')"});
    // id-N is an absolute target: upgrading to an applied revision does nothing.
    EXPECT_EQ(x.upgrade("d-1"), strings{});
}

TEST(targets_linear, downgrade_to_a_revision_that_is_not_applied) {
    db x = linear();
    x.upgrade("b");
    EXPECT_ENGINE_ERROR(x.downgrade("c"), sqlstate::object_not_in_prerequisite_state,
                        "revision \"c\" is not applied",
                        {.detail = "Downgrade target \"c\" is ahead of the database.",
                         .hint = "Use ender_upgrade to move forward."});
    EXPECT_ENGINE_ERROR(x.downgrade("heads"), sqlstate::object_not_in_prerequisite_state,
                        "revision \"d\" is not applied");
    EXPECT_ENGINE_ERROR(x.downgrade("+1"), sqlstate::object_not_in_prerequisite_state,
                        "revision \"c\" is not applied");
    EXPECT_EQ(x.applied(), (strings{"a", "b"}));
}

TEST(targets_syntax, invalid_targets) {
    db x = linear();
    for (std::string target :
         strings{"",    "+",     "-",   "+0", "-0",      "+x",     "+1x",   "-1-",     "++1",
                 "+-1", "--1",   "+ 1", "a@", "a@head2", "a@HEAD", "@head", "a+",      "a-",
                 "a+0", "a+1+1", "a-b", " a", "a ",      "a.b",    "a,b",   "a@head+1"}) {
        SCOPED_TRACE(target);
        EXPECT_ENGINE_ERROR(x.upgrade(target), sqlstate::invalid_parameter_value,
                            "invalid target \"" + target + "\"",
                            {.hint = "A target is heads, head, base, a revision id or unique "
                                     "prefix, a branch label, label@head, +N, -N, id+N or id-N."});
        EXPECT_ENGINE_ERROR(x.downgrade(target), sqlstate::invalid_parameter_value,
                            "invalid target \"" + target + "\"");
        EXPECT_ENGINE_ERROR(applied_after_stamp(x.g, x.p, target),
                            sqlstate::invalid_parameter_value, "invalid target \"" + target + "\"");
        EXPECT_ENGINE_ERROR(resolve_target(x.g, x.p, target), sqlstate::invalid_parameter_value,
                            "invalid target \"" + target + "\"");
    }
}

TEST(targets_syntax, step_counts_are_bounded) {
    db x = linear();
    EXPECT_ENGINE_ERROR(x.upgrade("+1000001"), sqlstate::invalid_parameter_value,
                        "invalid target \"+1000001\"",
                        {.detail = "The number of steps must be between 1 and 1000000."});
    EXPECT_ENGINE_ERROR(x.upgrade("a+99999999999999999999"), sqlstate::invalid_parameter_value,
                        "invalid target", {.detail = "between 1 and 1000000"});
    // The largest count is a valid target (here beyond the heads).
    EXPECT_ENGINE_ERROR(x.upgrade("+1000000"), sqlstate::invalid_parameter_value,
                        "is beyond the heads");
    EXPECT_ENGINE_ERROR(x.downgrade("-1000000"), sqlstate::invalid_parameter_value,
                        "cannot undo 1000000 revisions");
}

TEST(targets_syntax, words_are_case_sensitive) {
    db x = linear();
    EXPECT_ENGINE_ERROR(x.upgrade("HEADS"), sqlstate::undefined_object,
                        "revision \"HEADS\" is not registered");
    EXPECT_ENGINE_ERROR(x.upgrade("Base"), sqlstate::undefined_object,
                        "revision \"Base\" is not registered");
}

TEST(targets_syntax, empty_graph) {
    db x({});
    EXPECT_EQ(x.upgrade("heads"), strings{});
    EXPECT_EQ(x.upgrade("head"), strings{});
    EXPECT_EQ(x.downgrade("base"), strings{});
    EXPECT_ENGINE_ERROR(x.upgrade("+1"), sqlstate::invalid_parameter_value,
                        "target \"+1\" is beyond the heads",
                        {.detail = "There is nothing above base."});
    EXPECT_ENGINE_ERROR(x.upgrade("a"), sqlstate::undefined_object,
                        "revision \"a\" is not registered");
}

// ---------------------------------------------------------------------------------------
// Branches

TEST(targets_branches, head_is_ambiguous_with_two_heads) {
    db x = branched();
    EXPECT_ENGINE_ERROR(
        x.upgrade("head"), sqlstate::invalid_parameter_value,
        "target \"head\" is ambiguous: there are 2 heads",
        {.detail = "The heads are a2, b2.", .hint = "Use \"heads\" for all of them"});
    EXPECT_ENGINE_ERROR(x.downgrade("head"), sqlstate::invalid_parameter_value,
                        "target \"head\" is ambiguous");
    EXPECT_ENGINE_ERROR(applied_after_stamp(x.g, x.p, "head"), sqlstate::invalid_parameter_value,
                        "target \"head\" is ambiguous");
    EXPECT_TRUE(x.applied().empty());
}

TEST(targets_branches, heads_applies_both_branches) {
    db x = branched();
    EXPECT_EQ(x.upgrade("heads"), (strings{"r", "a1", "b1", "a2", "b2"}));
    EXPECT_EQ(x.heads(), (strings{"a2", "b2"}));
}

TEST(targets_branches, label_and_label_at_head) {
    db x = branched();
    EXPECT_EQ(x.upgrade("alpha"), (strings{"r", "a1"}));
    EXPECT_EQ(x.upgrade("alpha@head"), strings{"a2"});
    EXPECT_EQ(x.upgrade("beta@head"), (strings{"b1", "b2"}));
    db y = branched();
    EXPECT_EQ(y.upgrade("beta@heads"), (strings{"r", "b1", "b2"}));
    // Any reference works before @head: an id, a prefix.
    EXPECT_EQ(y.upgrade("a1@head"), (strings{"a1", "a2"}));
    EXPECT_EQ(y.resolve("b1@head"), strings{"b2"});
}

TEST(targets_branches, at_head_is_ambiguous_below_a_branch_point) {
    db x = branched();
    EXPECT_ENGINE_ERROR(x.upgrade("r@head"), sqlstate::invalid_parameter_value,
                        "target \"r@head\" is ambiguous",
                        {.detail = "The branch has several heads: a2, b2.",
                         .hint = "Use r@heads for all of them, or name one."});
    EXPECT_EQ(x.upgrade("r@heads"), (strings{"r", "a1", "b1", "a2", "b2"}));
}

TEST(targets_branches, relative_up_at_a_branch_point_is_ambiguous) {
    db x = branched();
    EXPECT_EQ(x.upgrade("+1"), strings{"r"});
    EXPECT_ENGINE_ERROR(
        x.upgrade("+1"), sqlstate::invalid_parameter_value, "target \"+1\" is ambiguous",
        {.detail = "The graph branches above revision \"r\" into a1, b1.", .hint = "label@head"});
    EXPECT_ENGINE_ERROR(x.upgrade("r+2"), sqlstate::invalid_parameter_value,
                        "target \"r+2\" is ambiguous",
                        {.detail = "above revision \"r\" into a1, b1."});
    EXPECT_EQ(x.upgrade("alpha+1"), (strings{"a1", "a2"}));
    EXPECT_EQ(x.upgrade("beta+1"), (strings{"b1", "b2"}));
}

TEST(targets_branches, relative_from_several_current_heads_is_ambiguous) {
    db x = branched();
    x.upgrade("a1");
    x.upgrade("b1");
    EXPECT_ENGINE_ERROR(x.upgrade("+1"), sqlstate::invalid_parameter_value,
                        "target \"+1\" is ambiguous",
                        {.detail = "The database has several current heads: a1, b1.",
                         .hint = "Give the starting revision: id+1."});
    EXPECT_EQ(x.upgrade("a1+1"), strings{"a2"});
}

TEST(targets_branches, relative_from_base_with_several_roots_is_ambiguous) {
    db x({node("r1"), node("r2"), node("m", {"r1", "r2"})});
    EXPECT_ENGINE_ERROR(x.upgrade("+1"), sqlstate::invalid_parameter_value,
                        "target \"+1\" is ambiguous",
                        {.detail = "The graph branches above base into r1, r2."});
    EXPECT_EQ(x.upgrade("head"), (strings{"r1", "r2", "m"}));
}

TEST(targets_branches, downgrading_one_branch_leaves_the_other_applied) {
    db x = branched();
    x.upgrade("heads");
    EXPECT_EQ(x.downgrade("a1"), strings{"a2"});
    EXPECT_EQ(x.applied(), (strings{"r", "a1", "b1", "b2"}));
    EXPECT_EQ(x.heads(), (strings{"a1", "b2"}));
    EXPECT_EQ(x.downgrade("beta"), strings{"b2"});
    EXPECT_EQ(x.applied(), (strings{"r", "a1", "b1"}));
    EXPECT_EQ(x.heads(), (strings{"a1", "b1"}));
    // Going down to the revision both branches grew from undoes both.
    EXPECT_EQ(x.downgrade("alpha-1"), (strings{"b1", "a1"}));
    EXPECT_EQ(x.applied(), strings{"r"});
}

TEST(targets_branches, downgrading_the_branch_point_undoes_both_branches) {
    db x = branched();
    x.upgrade("heads");
    EXPECT_EQ(x.downgrade("r"), (strings{"b2", "a2", "b1", "a1"}));
    EXPECT_EQ(x.applied(), strings{"r"});
}

TEST(targets_branches, downgrade_to_heads_keeps_everything) {
    db x = branched();
    x.upgrade("heads");
    EXPECT_EQ(x.downgrade("heads"), strings{});
    EXPECT_EQ(x.downgrade("r@heads"), strings{});
    x.downgrade("a1");
    EXPECT_ENGINE_ERROR(x.downgrade("heads"), sqlstate::object_not_in_prerequisite_state,
                        "revision \"a2\" is not applied");
}

TEST(targets_branches, minus_n_undoes_the_last_applied_in_reverse_application_order) {
    db x = branched();
    x.upgrade("b1");  // r, b1
    x.upgrade("a2");  // a1, a2
    x.upgrade("b2");
    ASSERT_EQ(x.applied_order(), (strings{"r", "b1", "a1", "a2", "b2"}));
    EXPECT_EQ(x.resolve("-2"), (strings{"a1", "b1"}));
    EXPECT_EQ(x.downgrade("-1"), strings{"b2"});
    // The last two applied were a1 then a2: undone as a2 then a1, whatever the registration
    // order says.
    EXPECT_EQ(x.downgrade("-2"), (strings{"a2", "a1"}));
    EXPECT_EQ(x.applied_order(), (strings{"r", "b1"}));

    db y = branched();
    y.upgrade("b1");
    y.upgrade("a1");
    ASSERT_EQ(y.applied_order(), (strings{"r", "b1", "a1"}));
    EXPECT_EQ(y.downgrade("-2"), (strings{"a1", "b1"}));
    EXPECT_EQ(y.applied(), strings{"r"});
}

// ---------------------------------------------------------------------------------------
// Merges

TEST(targets_merge, head_is_the_merge) {
    db x = merged();
    EXPECT_EQ(x.resolve("head"), strings{"m"});
    EXPECT_EQ(x.upgrade("head"), (strings{"r", "a1", "b1", "a2", "b2", "m"}));
    EXPECT_EQ(x.heads(), strings{"m"});
}

TEST(targets_merge, upgrading_to_the_merge_applies_the_other_branch) {
    db x = merged();
    x.upgrade("alpha@head");  // the branch above a1 ends in m, so this is everything
    EXPECT_EQ(x.applied(), (strings{"r", "a1", "b1", "a2", "b2", "m"}));

    db y = merged();
    y.upgrade("a2");
    EXPECT_EQ(y.upgrade("a2+1"), (strings{"b1", "b2", "m"}));
}

TEST(targets_merge, relative_down_from_a_merge_is_ambiguous) {
    db x = merged();
    x.upgrade("heads");
    EXPECT_ENGINE_ERROR(x.downgrade("m-1"), sqlstate::invalid_parameter_value,
                        "target \"m-1\" is ambiguous",
                        {.detail = "Revision \"m\" is a merge of a2, b2.",
                         .hint = "Name the revision to go down to."});
    // -1 is about application order, not the graph: it undoes the merge.
    EXPECT_EQ(x.resolve("-1"), (strings{"a2", "b2"}));
    EXPECT_EQ(x.downgrade("-1"), strings{"m"});
    EXPECT_EQ(x.heads(), (strings{"a2", "b2"}));
}

TEST(targets_merge, downgrading_one_parent_keeps_the_other) {
    db x = merged();
    x.upgrade("heads");
    EXPECT_EQ(x.downgrade("a2"), strings{"m"});
    EXPECT_EQ(x.heads(), (strings{"a2", "b2"}));
    x.upgrade("heads");
    EXPECT_EQ(x.downgrade("b1"), (strings{"m", "b2"}));
    EXPECT_EQ(x.applied(), (strings{"r", "a1", "b1", "a2"}));
    EXPECT_EQ(x.heads(), (strings{"b1", "a2"}));
}

TEST(targets_merge, downgrade_below_the_fork) {
    db x = merged();
    x.upgrade("heads");
    EXPECT_EQ(x.downgrade("base"), (strings{"m", "b2", "a2", "b1", "a1", "r"}));
}

// ---------------------------------------------------------------------------------------
// depends_on

TEST(targets_depends_on, upgrade_pulls_the_dependency_in) {
    db x = dependent();
    EXPECT_EQ(x.upgrade("b2"), (strings{"r", "a1", "a2", "b1", "b2"}));
    db y = dependent();
    y.upgrade("b1");
    EXPECT_EQ(y.upgrade("b1+1"), (strings{"a1", "a2", "b2"}));
}

TEST(targets_depends_on, a_dependency_does_not_merge_branches) {
    db x = dependent();
    x.upgrade("heads");
    EXPECT_EQ(x.heads(), (strings{"a2", "b2"}));
    EXPECT_ENGINE_ERROR(x.upgrade("head"), sqlstate::invalid_parameter_value, "there are 2 heads");
}

TEST(targets_depends_on, downgrading_the_dependency_undoes_the_dependent) {
    db x = dependent();
    x.upgrade("heads");
    EXPECT_EQ(x.downgrade("a1"), (strings{"b2", "a2"}));
    EXPECT_EQ(x.applied(), (strings{"r", "a1", "b1"}));
}

TEST(targets_depends_on, downgrading_the_dependent_keeps_the_dependency) {
    db x = dependent();
    x.upgrade("heads");
    EXPECT_EQ(x.downgrade("b1"), strings{"b2"});
    EXPECT_EQ(x.applied(), (strings{"r", "a1", "a2", "b1"}));
}

// ---------------------------------------------------------------------------------------
// Stamp

node_set set_of(const db& x, const strings& ids) {
    node_set s = x.g.empty_set();
    for (const auto& id : ids) s[*x.g.find(id)] = true;
    return s;
}

TEST(applied_after_stamp, absolute_targets_set_the_position_exactly) {
    db x = branched();
    EXPECT_EQ(applied_after_stamp(x.g, x.p, "a2"), set_of(x, {"r", "a1", "a2"}));
    x.upgrade("heads");
    // Stamping is not a downgrade: the other branch is dropped too.
    EXPECT_EQ(applied_after_stamp(x.g, x.p, "a2"), set_of(x, {"r", "a1", "a2"}));
    EXPECT_EQ(applied_after_stamp(x.g, x.p, "beta"), set_of(x, {"r", "b1"}));
    EXPECT_EQ(applied_after_stamp(x.g, x.p, "base"), x.g.empty_set());
    EXPECT_EQ(applied_after_stamp(x.g, x.p, "heads"), node_set(x.g.size(), true));
    EXPECT_EQ(applied_after_stamp(x.g, x.p, "alpha@head"), set_of(x, {"r", "a1", "a2"}));
    EXPECT_EQ(applied_after_stamp(x.g, x.p, "a2-1"), set_of(x, {"r", "a1"}));
    EXPECT_ENGINE_ERROR(applied_after_stamp(x.g, x.p, "r+1"), sqlstate::invalid_parameter_value,
                        "target \"r+1\" is ambiguous");
}

TEST(applied_after_stamp, absolute_targets_need_not_be_applied) {
    db x = dependent();
    x.stamp("b2");
    EXPECT_EQ(x.applied(), (strings{"r", "a1", "a2", "b1", "b2"}));
    EXPECT_EQ(x.applied_order(), (strings{"r", "a1", "a2", "b1", "b2"}));
    x.stamp("a1");
    EXPECT_EQ(x.applied(), (strings{"r", "a1"}));
    EXPECT_EQ(x.heads(), strings{"a1"});
}

TEST(applied_after_stamp, relative_targets_move_like_upgrade_and_downgrade) {
    db x = linear();
    x.stamp("b");
    x.stamp("+1");
    EXPECT_EQ(x.applied(), (strings{"a", "b", "c"}));
    x.stamp("-2");
    EXPECT_EQ(x.applied(), strings{"a"});
    EXPECT_ENGINE_ERROR(x.stamp("-2"), sqlstate::invalid_parameter_value,
                        "cannot undo 2 revisions");
    x.stamp("+3");
    EXPECT_EQ(x.applied(), (strings{"a", "b", "c", "d"}));
    EXPECT_ENGINE_ERROR(x.stamp("+1"), sqlstate::invalid_parameter_value, "is beyond the heads");
}

TEST(applied_after_stamp, relative_down_keeps_other_branches) {
    db x = branched();
    x.upgrade("heads");
    x.stamp("-1");
    EXPECT_EQ(x.applied(), (strings{"r", "a1", "b1", "a2"}));
}

// ---------------------------------------------------------------------------------------
// current_heads and resolve_target

TEST(targets_current_heads, follow_the_position) {
    db x = merged();
    EXPECT_TRUE(x.heads().empty());
    x.upgrade("r");
    EXPECT_EQ(x.heads(), strings{"r"});
    x.upgrade("b2");
    EXPECT_EQ(x.heads(), strings{"b2"});
    x.upgrade("a1");
    EXPECT_EQ(x.heads(), (strings{"a1", "b2"}));
    x.upgrade("heads");
    EXPECT_EQ(x.heads(), strings{"m"});
}

TEST(targets_resolve_target, names_the_revisions) {
    db x = merged();
    EXPECT_EQ(x.resolve("heads"), strings{"m"});
    EXPECT_EQ(x.resolve("base"), strings{});
    EXPECT_EQ(x.resolve("alpha"), strings{"a1"});
    EXPECT_EQ(x.resolve("r@heads"), strings{"m"});
    EXPECT_EQ(x.resolve("alpha+1"), strings{"a2"});
    EXPECT_EQ(x.resolve("+1"), strings{"r"});
    x.upgrade("a2");
    EXPECT_EQ(x.resolve("-1"), strings{"a1"});
    EXPECT_EQ(x.resolve("-3"), strings{});
    EXPECT_EQ(x.resolve("+1"), strings{"m"});
    EXPECT_ENGINE_ERROR(x.resolve("-4"), sqlstate::invalid_parameter_value,
                        "cannot undo 4 revisions");
    // Resolving does not move anything.
    EXPECT_EQ(x.applied(), (strings{"r", "a1", "a2"}));
}

}  // namespace
}  // namespace ender::engine
