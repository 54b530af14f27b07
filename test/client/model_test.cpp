// model.hpp: what one declaration maps (names, types, nullability, keys, defaults, options,
// mixins, validation) and that writes of objects use it: insert fills identities and server
// defaults back, update touches updated_at, soft delete hides rows, shapes write part of a row.
#include "models.hpp"
#include "support.hpp"

// The tests live in the models' namespace rather than `using namespace`: the suite is built as
// unity sources, where a using-directive would reach the other files.
namespace heroes {

namespace {

using ender::test::throws;

class model : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        ender::create_all(db, all_models());
    }
};

TEST(model_mapping, types_and_nullability_come_from_the_members) {
    const auto& m = ender::model_of<hero>().info;
    EXPECT_EQ(m.name, "hero");
    EXPECT_EQ(m.schema, "public");
    ASSERT_EQ(m.columns.size(), 12u);
    auto col = [&](const char* n) { return m.columns.at(std::size_t(m.find(n))); };
    EXPECT_EQ(col("id").type, "bigint");
    EXPECT_EQ(col("id").identity, "by default");
    EXPECT_EQ(col("name").type, "character varying(40)");
    EXPECT_TRUE(col("name").not_null);
    EXPECT_EQ(col("age").type, "integer");
    EXPECT_FALSE(col("age").not_null);
    EXPECT_EQ(col("power").type, "public.power");
    EXPECT_EQ(col("tags").type, "text[]");
    EXPECT_EQ(col("profile").type, "jsonb");
    EXPECT_EQ(col("created_at").type, "timestamp with time zone");
    EXPECT_TRUE(col("created_at").server_generated);
    EXPECT_EQ(col("updated_at").on_update, "now()");
    EXPECT_TRUE(col("deleted_at").soft_delete);
    EXPECT_FALSE(col("deleted_at").not_null);
    EXPECT_EQ(m.primary_key, std::vector<std::string>{"id"});
    EXPECT_EQ(ender::model_of<membership>().info.primary_key,
              (std::vector<std::string>{"team_id", "hero_id"}));
    EXPECT_EQ(ender::model_of<hero>().column_name(&hero::secret_name), "secret_name");
    EXPECT_EQ(ender::model_of<hero>().column_name(&ender::timestamps::updated_at), "updated_at");
    EXPECT_EQ(&ender::model_of<hero>(), &ender::model_of<hero>());  // built once
}

TEST_F(model, insert_fills_identity_and_server_defaults) {
    team t{0, "Avengers", std::nullopt};
    db.insert(t);
    EXPECT_GT(t.id, 0);
    hero h{.name = "Deadpond", .secret_name = "Dive Wilson", .age = 30, .team_id = t.id};
    auto before = std::chrono::system_clock::now() - std::chrono::minutes(1);
    db.insert(h);
    EXPECT_GT(h.id, 0);
    EXPECT_GT(h.stamps.created_at, before);
    EXPECT_EQ(h.stamps.created_at, h.stamps.updated_at);
    EXPECT_EQ(h.salary.str(), "0.00");  // the server's default, read back
    EXPECT_FALSE(h.deleted.deleted_at);
    auto got = db.get<hero>(h.id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->name, "Deadpond");
    EXPECT_EQ(got->team_id, t.id);
    EXPECT_EQ(got->stamps.created_at, h.stamps.created_at);
    EXPECT_FALSE(db.get<hero>(h.id + 1000));
}

TEST_F(model, serial_columns_are_numbered_by_their_sequence) {
    ticket a{0, "first"}, b{0, "second"};
    db.insert(a);
    db.insert(b);
    EXPECT_EQ(a.number, 1);
    EXPECT_EQ(b.number, 2);
    EXPECT_EQ(db.scalar<std::string>("SELECT pg_get_serial_sequence('ticket', 'number')"),
              "public.ticket_number_seq");
}

TEST_F(model, every_column_type_round_trips_through_a_row) {
    hero h{.name = "Ünïcode 🦸",
           .secret_name = "'); DROP TABLE hero; --",
           .age = std::nullopt,
           .power_kind = power::ice,
           .tags = {"a", "b,c", ""},
           .profile = {{"k", {1, 2}}},
           .salary = ender::decimal("12345678.90")};
    db.insert(h);
    auto got = db.get<hero>(h.id).value();
    EXPECT_EQ(got.name, h.name);
    EXPECT_EQ(got.secret_name, h.secret_name);
    EXPECT_EQ(got.age, std::nullopt);
    EXPECT_EQ(got.power_kind, power::ice);
    EXPECT_EQ(got.tags, h.tags);
    EXPECT_EQ(got.profile, h.profile);
    EXPECT_EQ(got.salary, h.salary);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 1);
}

TEST_F(model, update_writes_the_object_and_touches_updated_at) {
    hero h{.name = "Rusty", .secret_name = "Tommy"};
    db.insert(h);
    auto created = h.stamps.created_at;
    db.execute("SELECT pg_sleep(0.01)");
    h.age = 48;
    h.stamps.created_at = {};  // server-generated: not written by update
    db.update(h);
    EXPECT_EQ(h.stamps.created_at, created);
    EXPECT_GT(h.stamps.updated_at, created);
    EXPECT_EQ(db.get<hero>(h.id)->age, 48);
    hero ghost{.id = 999999, .name = "Ghost"};
    EXPECT_TRUE(throws<ender::error>([&] { db.update(ghost); }, "P0002",
                                     "no row of table \"hero\" has the object's primary key"));
}

TEST_F(model, soft_delete_hides_rows_until_asked) {
    hero h{.name = "Gone", .secret_name = "G"};
    db.insert(h);
    db.remove(h);
    EXPECT_TRUE(h.deleted.deleted_at.has_value());
    EXPECT_FALSE(db.get<hero>(h.id));
    EXPECT_EQ(db.select<hero>().count(), 0);
    EXPECT_EQ(db.select<hero>().with_deleted().count(), 1);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 1);  // still there
    db.remove(h, ender::hard_delete);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 0);
    team t{0, "T", {}};
    db.insert(t);
    db.remove(t);  // no soft-delete mixin: a real DELETE
    EXPECT_FALSE(db.get<team>(t.id));
    EXPECT_TRUE(
        throws<ender::error>([&] { db.remove(t); }, "P0002", "has the object's primary key"));
}

TEST_F(model, create_and_update_shapes_write_only_their_fields) {
    auto created =
        db.insert(ender::patch<hero>().set(&hero::name, "Shape").set(&hero::secret_name, "S"));
    EXPECT_GT(created.id, 0);
    EXPECT_EQ(created.salary.str(), "0.00");
    EXPECT_EQ(created.tags, std::vector<std::string>{});
    auto updated = db.update(ender::patch<hero>().set(&hero::age, 33), created.id);
    ASSERT_TRUE(updated);
    EXPECT_EQ(updated->age, 33);
    EXPECT_EQ(updated->name, "Shape");  // untouched
    EXPECT_FALSE(db.update(ender::patch<hero>().set(&hero::age, 1), std::int64_t{424242}));
}

TEST_F(model, composite_keys) {
    team t{0, "X", {}};
    db.insert(t);
    hero h{.name = "H", .secret_name = "S"};
    db.insert(h);
    membership m{t.id, h.id, "leader"};
    db.insert(m);
    auto got = db.get<membership>(t.id, h.id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->role, "leader");
    EXPECT_TRUE(throws<ender::usage_error>([&] { db.get<membership>(t.id); }, "42P10",
                                           "has a primary key of 2 columns, 1 values were given"));
    award a{0, t.id, h.id};
    db.insert(a);
    EXPECT_GT(a.id, 0);
    award bad{0, t.id, h.id + 1};
    EXPECT_TRUE(throws<ender::foreign_key_violation>([&] { db.insert(bad); }, "23503",
                                                     "award_team_id_hero_id_fkey"));
}

TEST_F(model, validation_runs_before_writes_and_names_the_field) {
    hero h{.name = "", .secret_name = "nobody"};
    auto before = db.statement_count();
    try {
        db.insert(h);
        FAIL() << "no error";
    } catch (const ender::validation_error& e) {
        EXPECT_EQ(e.sqlstate(), "23514");
        EXPECT_EQ(e.field(), "name");
        EXPECT_EQ(e.table(), "hero");
        EXPECT_STREQ(e.what(), "invalid value for column \"name\" of table \"hero\"");
        EXPECT_EQ(e.detail(), "A hero needs a name.");
    }
    EXPECT_EQ(db.statement_count(), before);  // nothing was sent
    EXPECT_THROW(db.insert(ender::patch<hero>().set(&hero::name, "")), ender::validation_error);
    // A patch that does not set the field does not run its hook.
    auto ok = ender::attempt(
        [&] { return db.update(ender::patch<hero>().set(&hero::age, 1), std::int64_t{1}); });
    EXPECT_TRUE(ok);
}

TEST_F(model, odd_identifiers_are_quoted_everywhere) {
    odd o{0, "sel'ect", "x"};
    db.insert(o);
    auto got = db.get<odd>(o.id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->select, "sel'ect");
    EXPECT_EQ(got->mixed, "x");
    EXPECT_EQ(
        db.scalar<std::string>(
            "SELECT \"Mixed Case\" FROM \"Odd Schema\".\"Odd \"\"Table\"\"\" WHERE id = $1", o.id),
        "x");
}

}  // namespace

}  // namespace heroes
