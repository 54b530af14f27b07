// Tests of engine/revision.hpp beyond parsing: name and revision validation, name lists,
// rendering, and the canonical content checksums are computed over.
#include "engine/revision.hpp"
#include "engine/online_custom.hpp"

#include "engine/error.hpp"
#include "error_matchers.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <vector>
#include "revision_support.hpp"

namespace ender::engine {
namespace {

// ---------------------------------------------------------------------------------------
// Names

TEST(revision_names, valid_names) {
    for (std::string name : strings{"a", "Z", "0", "_", "3f2a9c1b", "add_users_table", "HEAD",
                                    "Heads", "based", "head_1", std::string(64, 'x')}) {
        SCOPED_TRACE(name);
        EXPECT_NO_THROW(validate_name(name, "revision id"));
    }
}

TEST(revision_names, reserved_target_words) {
    for (std::string word : {"head", "heads", "base"}) {
        EXPECT_ENGINE_ERROR(validate_name(word, "revision id"), sqlstate::invalid_parameter_value,
                            "invalid revision id \"" + word + "\"",
                            {.detail = "\"" + word + "\" is a reserved target name."});
        EXPECT_ENGINE_ERROR(validate_name(word, "branch label"), sqlstate::invalid_parameter_value,
                            "invalid branch label \"" + word + "\"");
    }
}

TEST(revision_names, length_limit_is_64) {
    EXPECT_NO_THROW(validate_name(std::string(64, '7'), "revision id"));
    EXPECT_ENGINE_ERROR(validate_name(std::string(65, '7'), "revision id"),
                        sqlstate::invalid_parameter_value,
                        "invalid revision id \"" + std::string(65, '7') + "\"",
                        {.detail = "1 to 64 characters long"});
    EXPECT_ENGINE_ERROR(validate_name("", "revision id"), sqlstate::invalid_parameter_value,
                        "invalid revision id \"\"", {.detail = "1 to 64 characters"});
}

TEST(revision_names, bad_characters) {
    for (std::string name : strings{"a-b", "a b", "a.b", "a,b", "a@head", "+1", "-1", "caf\xc3\xa9",
                                    "a\tb", "a\nb", std::string("a\0b", 3), "a'b", "a\"b", "a/b"}) {
        SCOPED_TRACE(name);
        EXPECT_ENGINE_ERROR(validate_name(name, "branch label"), sqlstate::invalid_parameter_value,
                            "invalid branch label",
                            {.detail = "A branch label is 1 to 64 characters long and uses only "
                                       "ASCII letters, digits and underscores."});
    }
}

// ---------------------------------------------------------------------------------------
// validate()

revision sample() {
    revision r;
    r.id = "c3";
    r.parents = {"a1", "b2"};
    r.depends_on = {"d4"};
    r.branch_label = "lab";
    r.message = "merge";
    r.upgrade = "SELECT 1;";
    r.downgrade = "SELECT 2;";
    return r;
}

TEST(revision_validate, accepts_a_valid_revision) {
    EXPECT_NO_THROW(validate(sample()));
    revision root;
    root.id = "root";
    EXPECT_NO_THROW(validate(root));
}

TEST(revision_validate, self_reference) {
    revision r = sample();
    r.parents.push_back("c3");
    EXPECT_ENGINE_ERROR(validate(r), sqlstate::invalid_object_definition,
                        "revision \"c3\" lists itself in its parents");
    r = sample();
    r.depends_on = {"c3"};
    EXPECT_ENGINE_ERROR(validate(r), sqlstate::invalid_object_definition,
                        "revision \"c3\" lists itself in its dependencies");
}

TEST(revision_validate, duplicates) {
    revision r = sample();
    r.parents = {"a1", "b2", "a1"};
    EXPECT_ENGINE_ERROR(validate(r), sqlstate::invalid_object_definition,
                        "revision \"c3\" lists \"a1\" twice in its parents");
    r = sample();
    r.depends_on = {"d4", "e5", "d4"};
    EXPECT_ENGINE_ERROR(validate(r), sqlstate::invalid_object_definition,
                        "revision \"c3\" lists \"d4\" twice in its dependencies");
}

TEST(revision_validate, parent_also_a_dependency) {
    revision r = sample();
    r.depends_on = {"d4", "b2"};
    EXPECT_ENGINE_ERROR(validate(r), sqlstate::invalid_object_definition,
                        "revision \"c3\" lists \"b2\" both as a parent and as a dependency");
}

TEST(revision_validate, every_name_is_checked) {
    revision r = sample();
    r.id = "bad id";
    EXPECT_ENGINE_ERROR(validate(r), sqlstate::invalid_parameter_value,
                        "invalid revision id \"bad id\"");
    r = sample();
    r.branch_label = "";
    EXPECT_ENGINE_ERROR(validate(r), sqlstate::invalid_parameter_value,
                        "invalid branch label \"\"");
    r = sample();
    r.parents = {"a1", "heads"};
    EXPECT_ENGINE_ERROR(validate(r), sqlstate::invalid_parameter_value,
                        "invalid revision id \"heads\"");
    r = sample();
    r.depends_on = {std::string(65, 'd')};
    EXPECT_ENGINE_ERROR(validate(r), sqlstate::invalid_parameter_value, "invalid revision id");
}

// ---------------------------------------------------------------------------------------
// split_names()

TEST(revision_split_names, commas_and_white_space) {
    EXPECT_EQ(split_names("a,b c\td\r\ne"), (strings{"a", "b", "c", "d", "e"}));
    EXPECT_EQ(split_names(" , a ,, b , "), (strings{"a", "b"}));
    EXPECT_EQ(split_names("single"), strings{"single"});
    EXPECT_TRUE(split_names("").empty());
    EXPECT_TRUE(split_names(" ,\t, ").empty());
    // Names are not validated here: that is validate()'s job.
    EXPECT_EQ(split_names("a-b;c"), strings{"a-b;c"});
}

// ---------------------------------------------------------------------------------------
// render_migration()

TEST(revision_render, canonical_text) {
    EXPECT_EQ(render_migration(sample()),
              "-- ender:revision c3\n"
              "-- ender:parents a1, b2\n"
              "-- ender:depends_on d4\n"
              "-- ender:branch lab\n"
              "-- ender:message merge\n"
              "\n"
              "-- ender:upgrade\n"
              "SELECT 1;\n"
              "\n"
              "-- ender:downgrade\n"
              "SELECT 2;\n");
}

TEST(revision_render, minimal_revision) {
    revision r;
    r.id = "m";
    r.parents = {"a", "b"};
    EXPECT_EQ(render_migration(r),
              "-- ender:revision m\n-- ender:parents a, b\n\n-- ender:upgrade\n");
    r.downgrade = "";
    EXPECT_EQ(
        render_migration(r),
        "-- ender:revision m\n-- ender:parents a, b\n\n-- ender:upgrade\n\n-- ender:downgrade\n");
}

TEST(revision_render, multi_line_message) {
    revision r;
    r.id = "x";
    r.message = "one\n\nthree";
    std::string text = render_migration(r);
    EXPECT_NE(text.find("-- ender:message one\n-- ender:message \n-- ender:message three\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(parse_migration(text), r);
}

// Builds a random revision in the normal form parse_migration produces: names valid,
// message lines trimmed and not all blank, sections without leading or trailing blank lines
// and without lines that would read as directives.
revision random_revision(std::mt19937& rng) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    auto name = [&] {
        static const std::string chars =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
        std::string s;
        int len = 1 + pick(pick(4) == 0 ? 64 : 12);
        for (int i = 0; i < len; ++i) s += chars[pick(static_cast<int>(chars.size()))];
        if (s == "head" || s == "heads" || s == "base") s += "_";
        return s;
    };
    auto sql_line = [&] {
        static const std::vector<std::string> pieces = {"SELECT 1;",
                                                        "  indented",
                                                        "\t-- a comment",
                                                        "--ender:not a directive",
                                                        " -- ender:x",
                                                        "'string with -- ender:upgrade inside'",
                                                        "$$",
                                                        "x\ty",
                                                        "",
                                                        "   ",
                                                        "\xc3\xa9t\xc3\xa9",
                                                        "CREATE TABLE t (id int);",
                                                        std::string("nul\0byte", 8),
                                                        "trailing space  "};
        return pieces[pick(static_cast<int>(pieces.size()))];
    };
    auto section = [&] {
        int lines = pick(6);
        std::vector<std::string> body;
        for (int i = 0; i < lines; ++i) body.push_back(sql_line());
        // Leading and trailing blank lines are not part of a section.
        auto blank = [](const std::string& s) {
            return s.find_first_not_of(" \t") == std::string::npos;
        };
        while (!body.empty() && blank(body.front())) body.erase(body.begin());
        while (!body.empty() && blank(body.back())) body.pop_back();
        std::string out;
        for (std::size_t i = 0; i < body.size(); ++i) out += (i ? "\n" : "") + body[i];
        return out;
    };

    revision r;
    r.id = name();
    std::set<std::string> used{r.id};
    auto fresh = [&] {
        std::string n;
        do n = name();
        while (!used.insert(n).second);
        return n;
    };
    for (int i = pick(4); i > 0; --i) r.parents.push_back(fresh());
    for (int i = pick(3) == 0 ? pick(3) : 0; i > 0; --i) r.depends_on.push_back(fresh());
    if (pick(3) == 0) r.branch_label = name();
    if (pick(2) == 0) {
        // Message lines are trimmed when parsed, so words never start or end with a blank.
        static const std::vector<std::string> words = {
            "add", "phone", "to", "heroes", "x,y", "\xe2\x9c\x93", "a\tb", "--", "ender:"};
        std::string m;
        for (int l = 0, lines = 1 + pick(3); l < lines; ++l) {
            if (l > 0) m += '\n';
            std::string line;
            for (int w = pick(4); w > 0; --w)
                line += (line.empty() ? "" : " ") + words[pick(static_cast<int>(words.size()))];
            m += line;
        }
        if (m.find_first_not_of('\n') != std::string::npos) r.message = m;
    }
    r.upgrade = section();
    if (pick(3) != 0) r.downgrade = pick(4) == 0 ? std::string() : section();
    return r;
}

TEST(revision_render, round_trip_of_generated_revisions) {
    std::mt19937 rng(20240611);
    for (int i = 0; i < 2000; ++i) {
        revision r = random_revision(rng);
        ASSERT_NO_THROW(validate(r));
        std::string text = render_migration(r);
        revision back;
        ASSERT_NO_THROW(back = parse_migration(text)) << text;
        ASSERT_EQ(back, r) << text;
        ASSERT_EQ(render_migration(back), text);
        ASSERT_EQ(canonical_content(back), canonical_content(r));
    }
}

TEST(revision_render, round_trip_of_parsed_files) {
    // Whatever form a file is written in, its parsed revision renders to a file that parses
    // back to the same revision.
    for (std::string text : {
             std::string(
                 "-- hello\n\n-- ender:revision x\r\n-- ender:parents a,b\n-- ender:message m\n"
                 "-- ender:upgrade\r\n\r\n  A;\r\n\r\nB;\r\n\r\n"),
             std::string("-- ender:revision x\n-- ender:message \n-- ender:message two\n"
                         "-- ender:upgrade\n-- ender:downgrade\n"),
             std::string("-- ender:revision x\n-- ender:downgrade\nD;\n-- ender:upgrade\nU;"),
         }) {
        revision r = parse_migration(text);
        EXPECT_EQ(parse_migration(render_migration(r)), r) << text;
    }
}

// ---------------------------------------------------------------------------------------
// canonical_content()

TEST(revision_canonical_content, distinguishes_absent_and_empty_downgrade) {
    revision absent = sample(), empty = sample();
    absent.downgrade.reset();
    empty.downgrade = "";
    EXPECT_NE(canonical_content(absent), canonical_content(empty));
}

TEST(revision_canonical_content, distinguishes_absent_and_empty_optional_fields) {
    revision a = sample(), b = sample();
    a.message.reset();
    b.message = "";
    EXPECT_NE(canonical_content(a), canonical_content(b));
    a = sample(), b = sample();
    a.branch_label.reset();
    b.branch_label = "";
    EXPECT_NE(canonical_content(a), canonical_content(b));
}

TEST(revision_canonical_content, independent_of_parent_and_dependency_order) {
    revision a = sample(), b = sample();
    a.parents = {"p1", "p2", "p3"};
    b.parents = {"p3", "p1", "p2"};
    a.depends_on = {"d1", "d2"};
    b.depends_on = {"d2", "d1"};
    EXPECT_EQ(canonical_content(a), canonical_content(b));
}

TEST(revision_canonical_content, independent_of_the_file_form) {
    revision a = parse_migration(
        "-- ender:revision x\n-- ender:parents b, a\n-- ender:upgrade\nSELECT 1;\n");
    revision b = parse_migration(
        "-- a comment\r\n-- ender:parents a b\r\n-- ender:revision x\r\n\r\n-- "
        "ender:upgrade\r\n\r\nSELECT 1;\r\n\r\n");
    EXPECT_NE(a, b);  // the parents are listed in another order
    EXPECT_EQ(canonical_content(a), canonical_content(b));
}

TEST(revision_canonical_content, differs_when_any_field_differs) {
    const revision base = sample();
    std::vector<revision> variants;
    auto vary = [&](auto change) {
        revision r = base;
        change(r);
        variants.push_back(r);
    };
    vary([](revision& r) { r.id = "c4"; });
    vary([](revision& r) { r.parents = {"a1"}; });
    vary([](revision& r) { r.parents = {"a1", "b2", "e5"}; });
    vary([](revision& r) { r.parents.clear(); });
    vary([](revision& r) { r.depends_on.clear(); });
    vary([](revision& r) { r.depends_on = {"d5"}; });
    vary([](revision& r) {
        r.parents = {"a1", "d4"};
        r.depends_on = {"b2"};
    });  // swapped roles
    vary([](revision& r) { r.branch_label.reset(); });
    vary([](revision& r) { r.branch_label = "lab2"; });
    vary([](revision& r) { r.message.reset(); });
    vary([](revision& r) { r.message = "merge "; });
    vary([](revision& r) { r.upgrade = "SELECT 1; "; });
    vary([](revision& r) { r.upgrade = ""; });
    vary([](revision& r) { r.downgrade.reset(); });
    vary([](revision& r) { r.downgrade = "SELECT 3;"; });
    // Moving text between fields must not produce the same serialisation.
    vary([](revision& r) {
        r.upgrade = "SELECT 1;SELECT 2;";
        r.downgrade = "";
    });
    vary([](revision& r) {
        r.message = "merge\nupgrade=9:SELECT 1;";
        r.upgrade = "";
    });
    vary([](revision& r) { r.parents = {"a1b2"}; });

    std::set<std::string> contents{canonical_content(base)};
    for (const auto& v : variants) {
        ASSERT_NE(v, base);
        EXPECT_TRUE(contents.insert(canonical_content(v)).second)
            << "two different revisions share the canonical content:\n"
            << canonical_content(v);
    }
}

TEST(revision_canonical_content, is_stable) {
    // The checksum of registered revisions is stored: this format must not change silently.
    EXPECT_EQ(canonical_content(sample()),
              "ender-revision-1\n"
              "id=2:c3\n"
              "parents=5:a1 b2\n"
              "depends_on=2:d4\n"
              "branch=3:lab\n"
              "message=5:merge\n"
              "upgrade=9:SELECT 1;\n"
              "downgrade=9:SELECT 2;\n");
}

}  // namespace
}  // namespace ender::engine
