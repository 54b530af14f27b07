// schema::with_naming: a naming convention names every unnamed key, constraint and index (as
// SQLAlchemy's naming_convention), long names are cut with a hash suffix, the server accepts
// the names and ender_diff agrees with them; changing the convention of a database in use
// gives only renames, and the indexes are the same objects afterwards. Needs the ender
// extension installed.
#include "models.hpp"
#include "support.hpp"

namespace heroes {

namespace {

using ender::test::throws;

struct very_long_named_table_for_the_naming_convention_test_of_ender {
    std::int64_t id{};
    std::string code;
};
inline auto ender_model(ender::tag<very_long_named_table_for_the_naming_convention_test_of_ender>) {
    using namespace ender;
    using T = very_long_named_table_for_the_naming_convention_test_of_ender;
    return table<T>("very_long_named_table_for_the_naming_convention_test_of_ender",
                    column("id", &T::id, primary_key(), identity()),
                    column("code", &T::code, unique()));
}

class naming : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        db.execute("CREATE EXTENSION IF NOT EXISTS ender");
    }
    // Constraint names, then index names that back no constraint, of the public tables.
    std::string constraint_names() {
        return db.scalar<std::string>(
            "SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint c "
            "JOIN pg_class r ON r.oid = c.conrelid WHERE r.relnamespace = 'public'::regnamespace");
    }
    std::string plain_index_names() {
        return db.scalar<std::string>(
            "SELECT string_agg(i.relname, ',' ORDER BY i.relname) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid WHERE i.relnamespace = 'public'::regnamespace "
            "AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = x.indexrelid)");
    }
    std::string index_oids() {
        return db.scalar<std::string>(
            "SELECT string_agg(indexrelid::text, ',' ORDER BY indexrelid) FROM pg_index x JOIN "
            "pg_class i ON i.oid = x.indexrelid WHERE i.relnamespace = 'public'::regnamespace");
    }
    std::vector<std::string> diff(const nlohmann::json& target) {
        std::vector<std::string> out;
        for (auto& [sql] : db.query<std::tuple<std::string>>(
                 "SELECT sql FROM ender_diff($1) ORDER BY step", target))
            out.push_back(sql);
        return out;
    }
};

TEST_F(naming, the_convention_names_what_the_models_leave_unnamed) {
    auto s = ender::schema::of<team, hero>().with_naming(ender::naming_convention::prefixed());
    ender::create_all(db, s);
    // Every unnamed object by its template; the check the models name keeps its name.
    EXPECT_EQ(constraint_names(),
              "ck_hero_age,fk_hero_team_id_team,hero_secret_name_length,pk_hero,pk_team,"
              "uq_hero_name_secret_name,uq_team_name");
    EXPECT_EQ(plain_index_names(), "ix_hero_lower,ix_hero_name,ix_hero_team_id_age");
    EXPECT_TRUE(diff(s.snapshot()).empty());
}

TEST_F(naming, an_empty_template_keeps_postgresqls_name) {
    auto convention = ender::naming_convention::prefixed();
    convention.index.clear();
    convention.check.clear();
    auto s = ender::schema::of<team, hero>().with_naming(convention);
    ender::create_all(db, s);
    EXPECT_EQ(constraint_names(),
              "fk_hero_team_id_team,hero_age_check,hero_secret_name_length,pk_hero,pk_team,"
              "uq_hero_name_secret_name,uq_team_name");
    EXPECT_EQ(plain_index_names(), "hero_lower_idx,hero_name_idx,hero_team_id_age_idx");
    EXPECT_TRUE(diff(s.snapshot()).empty());
}

TEST_F(naming, long_names_are_cut_with_a_stable_hash_suffix) {
    using T = very_long_named_table_for_the_naming_convention_test_of_ender;
    auto s = ender::schema::of<T>().with_naming(ender::naming_convention::prefixed());
    ender::create_all(db, s);
    std::string names = constraint_names();
    std::string pk = names.substr(0, names.find(','));
    std::string uq = names.substr(names.find(',') + 1);
    // pk_ + the 61-byte table name is 64 bytes: cut to 54, then _ and 8 hex digits.
    EXPECT_EQ(pk.size(), 63u) << pk;
    EXPECT_EQ(pk.substr(0, 54),
              std::string("pk_very_long_named_table_for_the_naming_convention_test_of_ender")
                  .substr(0, 54));
    EXPECT_EQ(pk[54], '_');
    EXPECT_EQ(pk.find_first_not_of("0123456789abcdef", 55), std::string::npos) << pk;
    EXPECT_EQ(uq.size(), 63u) << uq;
    EXPECT_NE(pk.substr(54), uq.substr(54));  // different names, different suffixes
    // The same on every run: the snapshot's names are the server's, so nothing differs.
    EXPECT_TRUE(diff(s.snapshot()).empty());
    auto again = ender::schema::of<T>().with_naming(ender::naming_convention::prefixed());
    EXPECT_EQ(again.snapshot(), s.snapshot());
}

TEST_F(naming, changing_the_convention_renames_and_never_rebuilds) {
    ender::create_all(db, ender::schema::of<team, hero>());  // PostgreSQL's names
    std::string before = index_oids();
    db.execute("INSERT INTO team (name) VALUES ('Preventers')");
    auto target = ender::schema::of<team, hero>()
                      .with_naming(ender::naming_convention::prefixed())
                      .snapshot();
    auto steps = diff(target);
    ASSERT_EQ(steps.size(), 9u);  // 6 unnamed constraints (2 primary keys among them), 3 indexes
    for (const auto& sql : steps) {
        EXPECT_NE(sql.find(" RENAME "), std::string::npos) << sql;
        EXPECT_EQ(sql.find("DROP"), std::string::npos) << sql;
    }
    for (const auto& sql : steps) db.execute(sql);
    EXPECT_TRUE(diff(target).empty());
    EXPECT_EQ(index_oids(), before);  // the same indexes, renamed
    EXPECT_EQ(constraint_names(),
              "ck_hero_age,fk_hero_team_id_team,hero_secret_name_length,pk_hero,pk_team,"
              "uq_hero_name_secret_name,uq_team_name");
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM team"), 1);
}

TEST_F(naming, an_unknown_token_is_refused) {
    auto convention = ender::naming_convention::prefixed();
    convention.unique = "uq_%(table)s_%(column_0_name)s";
    EXPECT_TRUE(
        throws<ender::usage_error>([&] { ender::schema::of<team>().with_naming(convention); },
                                   "22023", "unknown token \"%(table)s\" in naming convention"));
}

}  // namespace

}  // namespace heroes
