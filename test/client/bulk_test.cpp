// bulk.hpp: insert_many is one COPY (binary) whatever the row count, two statements with the
// ids; models with text-only types fall back to multi-row INSERTs; update_where, delete_where,
// upsert and upsert_many change exactly the rows plain SQL says.
#include "models.hpp"
#include "relation_models.hpp"
#include "support.hpp"

namespace {

using ender::test::throws;

class bulk : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        ender::create_all(db, rel::all_models());
        db.execute("INSERT INTO team (name) VALUES ('Avengers'), ('X-Men')");
    }
    std::uint64_t statements_since(ender::statement_counts before) {
        return (db.counts() - before).statements;
    }
    std::vector<rel::hero> make(std::size_t n) {
        std::vector<rel::hero> heroes(n);
        for (std::size_t i = 0; i < n; ++i) {
            heroes[i].name = "hero " + std::to_string(i);
            if (i % 3) heroes[i].team_id = std::int64_t(1 + i % 2);
        }
        return heroes;
    }
};

TEST_F(bulk, insert_many_is_one_copy) {
    auto heroes = make(5000);
    auto before = db.counts();
    std::string sql;
    db.on_statement([&](const ender::statement_info& s) { sql = s.sql; });
    db.insert_many(heroes);
    EXPECT_EQ(statements_since(before), 1u);
    EXPECT_EQ(sql, "COPY public.hero (name, team_id) FROM STDIN (FORMAT binary)");
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 5000);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero WHERE team_id IS NULL"), 1667);
    EXPECT_EQ(db.scalar<std::string>("SELECT name FROM hero WHERE team_id = 2 ORDER BY id LIMIT 1"),
              "hero 1");
    EXPECT_EQ(heroes[0].id, 0);  // not read back
}

TEST_F(bulk, insert_many_returning_ids_is_two_statements) {
    db.execute("INSERT INTO hero (name) VALUES ('first')");
    auto heroes = make(1000);
    auto before = db.counts();
    db.insert_many(heroes, ender::returning_ids);
    EXPECT_EQ(statements_since(before), 2u);
    EXPECT_EQ(heroes[0].id, 2);
    for (std::size_t i : {0u, 499u, 999u})
        EXPECT_EQ(db.scalar<std::string>("SELECT name FROM hero WHERE id = $1", heroes[i].id),
                  heroes[i].name);
    // The sequence moved past them: a later insert gets a new id.
    rel::hero more{.name = "later"};
    db.insert(more);
    EXPECT_EQ(more.id, 1002);
}

TEST_F(bulk, insert_many_falls_back_to_multi_row_inserts_for_text_only_types) {
    db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");  // heroes:: has its own hero
    ender::create_all(db, heroes::all_models());
    std::vector<heroes::hero> many(100);
    for (std::size_t i = 0; i < many.size(); ++i) {
        many[i].name = "h" + std::to_string(i);
        many[i].secret_name = "s" + std::to_string(i);
        many[i].salary = ender::decimal("12.50");
        many[i].power_kind = heroes::power::ice;
    }
    auto before = db.counts();
    db.insert_many(many);
    EXPECT_EQ(statements_since(before), 1u);
    EXPECT_EQ(db.scalar<std::string>(
                  "SELECT sum(salary)::text || ' ' || min(power::text) FROM public.hero "
                  "WHERE secret_name LIKE 's%'"),
              "1250.00 ice");
}

TEST_F(bulk, a_failed_copy_raises_the_servers_error_and_leaves_the_session_usable) {
    auto heroes = make(10);
    heroes[7].team_id = 99;
    EXPECT_TRUE(throws<ender::foreign_key_violation>([&] { db.insert_many(heroes); }, "23503",
                                                     "violates foreign key constraint"));
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 0);
}

TEST_F(bulk, returning_ids_needs_a_sequence_key) {
    std::vector<rel::employee> people(2);
    EXPECT_TRUE(throws<ender::usage_error>([&] { db.insert_many(people, ender::returning_ids); },
                                           "42P10",
                                           "table \"employee\" has no key numbered by a sequence"));
}

// Keys the server numbers GENERATED ALWAYS: COPY writes them as sent; a multi-row INSERT (the
// fallback for text-only types) says OVERRIDING SYSTEM VALUE.
struct ticket {
    std::int64_t id{};
    std::string title;
};
inline auto ender_model(ender::tag<ticket>) {
    using namespace ender;
    return table<ticket>("ticket",
                         column("id", &ticket::id, primary_key(), identity(identity_kind::always)),
                         column("title", &ticket::title));
}
struct priced_ticket {
    std::int64_t id{};
    ender::decimal price;
};
inline auto ender_model(ender::tag<priced_ticket>) {
    using namespace ender;
    return table<priced_ticket>(
        "priced_ticket",
        column("id", &priced_ticket::id, primary_key(), identity(identity_kind::always)),
        column("price", &priced_ticket::price));
}

TEST_F(bulk, returning_ids_works_with_generated_always_identity_keys) {
    ender::create_all(db, ender::schema::of<ticket, priced_ticket>());
    db.execute("INSERT INTO ticket (title) VALUES ('first')");
    std::vector<ticket> tickets{{.title = "a"}, {.title = "b"}, {.title = "c"}};
    std::string sql;
    db.on_statement([&](const ender::statement_info& s) { sql = s.sql; });
    auto before = db.counts();
    db.insert_many(tickets, ender::returning_ids);
    EXPECT_EQ(statements_since(before), 2u);
    EXPECT_EQ(sql, "COPY public.ticket (id, title) FROM STDIN (FORMAT binary)");
    EXPECT_EQ(tickets[2].id, 4);
    EXPECT_EQ(db.scalar<std::string>("SELECT string_agg(id || title, ',' ORDER BY id) FROM ticket"),
              "1first,2a,3b,4c");
    ticket later{.title = "later"};
    db.insert(later);  // the identity moved past them
    EXPECT_EQ(later.id, 5);
    // The server still refuses an id from anywhere else.
    EXPECT_TRUE(
        throws<ender::error>([&] { db.execute("INSERT INTO ticket (id, title) VALUES (9, 'x')"); },
                             "428C9", "cannot insert a non-DEFAULT value into column \"id\""));

    std::vector<priced_ticket> priced(2);
    priced[0].price = ender::decimal("1.50");
    priced[1].price = ender::decimal("2.25");
    db.insert_many(priced, ender::returning_ids);
    EXPECT_TRUE(
        sql.starts_with("INSERT INTO public.priced_ticket (id, price) OVERRIDING SYSTEM "
                        "VALUE VALUES"))
        << sql;
    EXPECT_EQ(priced[1].id, 2);
    EXPECT_EQ(db.scalar<std::string>("SELECT string_agg(id || '=' || price, ',' ORDER BY id) "
                                     "FROM priced_ticket"),
              "1=1.50,2=2.25");
}

TEST_F(bulk, update_where_and_delete_where_change_the_rows_the_predicate_names) {
    db.insert_many(make(30));
    auto before = db.counts();
    auto changed = db.update_where(ender::patch<rel::hero>().set(&rel::hero::name, "avenger"),
                                   ender::col(&rel::hero::team_id) == std::int64_t(1));
    EXPECT_EQ(changed, 10u);
    EXPECT_EQ(statements_since(before), 1u);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero WHERE name = 'avenger'"),
              db.scalar<std::int64_t>("SELECT count(*) FROM hero WHERE team_id = 1"));
    auto deleted = db.delete_where<rel::hero>(ender::is_null(ender::col(&rel::hero::team_id)));
    EXPECT_EQ(deleted, 10u);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 20);
}

TEST_F(bulk, upsert_inserts_then_updates_by_the_conflict_target) {
    rel::team t{.name = "Defenders"};
    db.upsert(t, &rel::team::name);
    EXPECT_EQ(t.id, 3);
    rel::team again{.name = "Defenders"};
    db.upsert(again, &rel::team::name);  // nothing else to set: DO NOTHING, no row back
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM team"), 3);

    db.execute("CREATE UNIQUE INDEX ON hero (name)");
    std::vector<rel::hero> heroes{{.name = "Thor", .team_id = 1}, {.name = "Storm", .team_id = 2}};
    EXPECT_EQ(db.upsert_many(heroes, &rel::hero::name), 2u);
    heroes[0].team_id = 2;
    heroes.push_back({.name = "Wolverine", .team_id = 2});
    auto before = db.counts();
    EXPECT_EQ(db.upsert_many(heroes, &rel::hero::name), 3u);
    EXPECT_EQ(statements_since(before), 1u);
    EXPECT_EQ(db.scalar<std::string>(
                  "SELECT string_agg(name || '=' || team_id, ',' ORDER BY name) FROM hero"),
              "Storm=2,Thor=2,Wolverine=2");
    rel::hero h{.name = "Thor", .team_id = 1};
    db.upsert(h, &rel::hero::name);
    EXPECT_EQ(h.team_id, 1);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT team_id FROM hero WHERE name = 'Thor'"), 1);
}

TEST_F(bulk, a_value_over_1_gib_is_refused_and_nothing_is_copied) {
    auto heroes = make(3);
    heroes[1].name.assign(ender::detail::max_value_bytes + 2, 'x');  // 1 GiB + 1 byte
    EXPECT_TRUE(throws<ender::error>([&] { db.insert_many(heroes); }, "54000",
                                     "column \"name\" is too large: 1073741825 bytes"));
    heroes[1].name.clear();
    heroes[1].name.shrink_to_fit();
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 0);
    db.insert_many(heroes);  // the session copies again
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 3);
}

}  // namespace
