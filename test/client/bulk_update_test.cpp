// bulk_update.hpp: update_many writes the named fields of every object by key in one statement
// (arrays; VALUES rows for text-only types), and update_where / delete_where in batches commit
// per batch, report progress, stop when asked and resume after the last key done.
#include "models.hpp"
#include "relation_models.hpp"
#include "support.hpp"

namespace {

using ender::col;
using ender::test::throws;

class bulk_update : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        ender::create_all(db, rel::all_models());
        db.execute(
            "INSERT INTO team (name) VALUES ('Avengers'), ('X-Men');"
            "INSERT INTO hero (name, team_id) SELECT 'hero ' || i, CASE WHEN i % 3 = 0 THEN NULL "
            "ELSE 1 + i % 2 END FROM generate_series(1, 100) i");
        heroes = db.select<rel::hero>().order_by(col(&rel::hero::id)).all();
    }
    std::uint64_t statements_since(ender::statement_counts before) {
        return (db.counts() - before).statements;
    }
    std::vector<rel::hero> heroes;
};

TEST_F(bulk_update, update_many_writes_only_the_named_fields_in_one_statement) {
    for (auto& h : heroes) {
        h.name = "renamed " + std::to_string(h.id);  // not named: not written
        h.team_id = h.id % 2 ? std::optional<std::int64_t>() : std::optional<std::int64_t>(2);
    }
    auto before = db.counts();
    std::string sql;
    db.on_statement([&](const ender::statement_info& s) { sql = s.sql; });
    EXPECT_EQ(db.update_many(heroes, &rel::hero::team_id), 100u);
    EXPECT_EQ(statements_since(before), 1u);
    EXPECT_EQ(sql,
              "UPDATE public.hero AS ender_row SET team_id = ender_new.c2 FROM "
              "unnest($1::bigint[], $2::bigint[]) AS ender_new (c1, c2) WHERE ender_row.id = "
              "ender_new.c1");
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero WHERE name LIKE 'renamed%'"), 0);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero WHERE team_id IS NULL"), 50);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero WHERE team_id = 2 AND id % 2 = 0"),
              50);
}

TEST_F(bulk_update, update_many_by_key_with_per_row_values) {
    // Objects holding only a key and the values to write (the rest is not sent).
    std::vector<rel::hero> rows;
    for (std::int64_t id : {3, 7, 1000})
        rows.push_back(rel::hero{.id = id, .name = "hero #" + std::to_string(id)});
    EXPECT_EQ(db.update_many(rows, &rel::hero::name), 2u);  // no row has key 1000
    EXPECT_EQ(db.scalar<std::string>(
                  "SELECT string_agg(id || '=' || name || '/' || coalesce(team_id::text, '-'), "
                  "',' ORDER BY id) FROM hero WHERE id IN (2, 3, 7)"),
              "2=hero 2/1,3=hero #3/-,7=hero #7/2");
    std::vector<rel::hero> none;
    auto before = db.counts();
    EXPECT_EQ(db.update_many(none, &rel::hero::name), 0u);
    EXPECT_EQ(statements_since(before), 0u);
}

TEST_F(bulk_update, update_many_skips_soft_deleted_rows_sets_on_update_columns_and_falls_back) {
    db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    ender::create_all(db, ender::schema::of<heroes::team, heroes::hero>());
    db.execute(
        "INSERT INTO public.hero (name, secret_name, salary, updated_at) SELECT 'h' || i, 's' || "
        "i, "
        "i, '2000-01-01' FROM generate_series(1, 5) i;"
        "UPDATE public.hero SET deleted_at = now() WHERE id = 2");
    auto all = db.select<heroes::hero>().with_deleted().order_by(col(&heroes::hero::id)).all();
    for (auto& h : all) {
        h.salary = ender::decimal("1234.50");  // numeric: no binary form, VALUES rows
        h.age = 40;
    }
    auto before = db.counts();
    EXPECT_EQ(db.update_many(all, &heroes::hero::salary, &heroes::hero::age), 4u);
    EXPECT_EQ(statements_since(before), 1u);
    EXPECT_EQ(db.scalar<std::string>("SELECT string_agg(id || '=' || salary || '/' || "
                                     "coalesce(age::text, '-') || '/' || (updated_at > "
                                     "'2001-01-01'), ',' ORDER BY id) FROM public.hero"),
              "1=1234.50/40/true,2=2.00/-/false,3=1234.50/40/true,4=1234.50/40/true,"
              "5=1234.50/40/true");
}

TEST_F(bulk_update, update_many_refuses_the_key_and_loses_nothing_on_error) {
    EXPECT_TRUE(throws<ender::usage_error>([&] { db.update_many(heroes, &rel::hero::id); }, "42P10",
                                           "update_many cannot change column \"id\" of table "
                                           "\"hero\""));
    heroes[0].team_id = 999;  // no such team: the server refuses the whole statement
    heroes[1].team_id = 2;
    EXPECT_TRUE(throws<ender::error>([&] { db.update_many(heroes, &rel::hero::team_id); }, "23503",
                                     "violates foreign key constraint"));
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero WHERE id = 2 AND team_id = 1"), 1);
}

TEST_F(bulk_update, update_where_in_batches_commits_each_batch_and_reports_progress) {
    std::vector<std::pair<std::uint64_t, std::int64_t>> seen;  // rows, last key
    ender::in_batches<std::int64_t> b{
        .size = 30, .after = {}, .progress = [&](const ender::batch_progress<std::int64_t>& p) {
            seen.emplace_back(p.rows, *p.last_key);
            return true;
        }};
    auto before = db.counts();
    auto p = db.update_where(ender::patch<rel::hero>().set(&rel::hero::name, "backfilled"),
                             ender::is_null(col(&rel::hero::team_id)), b);
    // 33 heroes have no team (ids 3, 6 ... 99): batches of 30 keys, then 3.
    EXPECT_EQ(statements_since(before), 2u);
    EXPECT_TRUE(p.finished);
    EXPECT_EQ(p.batches, 2u);
    EXPECT_EQ(p.rows, 33u);
    EXPECT_EQ(p.last_key, 99);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0], std::make_pair(std::uint64_t(30), std::int64_t(90)));
    EXPECT_EQ(seen[1], std::make_pair(std::uint64_t(33), std::int64_t(99)));
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero WHERE name = 'backfilled'"), 33);
    EXPECT_EQ(db.scalar<std::int64_t>(
                  "SELECT count(*) FROM hero WHERE name = 'backfilled' AND team_id IS NULL"),
              33);
}

TEST_F(bulk_update, a_stopped_batched_delete_resumes_after_its_last_key) {
    int batches_left = 2;
    ender::in_batches<std::int64_t> b{
        .size = 10, .after = {}, .progress = [&](const auto&) { return --batches_left > 0; }};
    auto where = col(&rel::hero::team_id) == std::int64_t(1);  // 34 heroes (ids 2, 4, 8 ... 100)
    auto before = db.counts();
    auto p = db.delete_where<rel::hero>(where, b);
    EXPECT_EQ(statements_since(before), 2u);
    EXPECT_FALSE(p.finished);
    EXPECT_EQ(p.rows, 20u);
    EXPECT_EQ(p.last_key, 58);  // the 20th of 2, 4, 8, 10 ...
    // Committed: another session sees the two batches gone.
    ender::session other;
    EXPECT_EQ(other.scalar<std::int64_t>("SELECT count(*) FROM hero WHERE team_id = 1"), 14);
    EXPECT_EQ(other.scalar<std::int64_t>("SELECT min(id) FROM hero WHERE team_id = 1"), 62);
    // Resumed after the saved key: the rest, in two batches.
    b.after = p.last_key;
    b.progress = nullptr;
    before = db.counts();
    auto rest = db.delete_where<rel::hero>(where, b);
    EXPECT_EQ(statements_since(before), 2u);
    EXPECT_TRUE(rest.finished);
    EXPECT_EQ(rest.rows, 14u);
    EXPECT_EQ(rest.last_key, 100);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero WHERE team_id = 1"), 0);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 66);
    // Nothing left: one statement that finds no key.
    before = db.counts();
    auto again = db.delete_where<rel::hero>(where, b);
    EXPECT_EQ(statements_since(before), 1u);
    EXPECT_TRUE(again.finished);
    EXPECT_EQ(again.rows, 0u);
    EXPECT_EQ(again.last_key, 58);
}

TEST_F(bulk_update, batched_writes_refuse_a_transaction_and_composite_keys) {
    auto where = ender::is_null(col(&rel::hero::team_id));
    {
        auto tx = db.begin();
        EXPECT_TRUE(throws<ender::usage_error>(
            [&] { db.delete_where<rel::hero>(where, ender::in_batches<std::int64_t>{}); }, "25001",
            "batched writes cannot run inside a transaction"));
    }
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] {
            db.delete_where<rel::hero_power>(col(&rel::hero_power::level) > 1,
                                             ender::in_batches<std::int64_t>{});
        },
        "42P10", "batched writes need a one-column primary key"));
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { db.delete_where<rel::hero>(where, ender::in_batches<std::int64_t>{.size = 0}); },
        "22023", "a batch must hold at least one key"));
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 100);
}

}  // namespace
