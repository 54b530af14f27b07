// inheritance.hpp: the same hierarchy mapped single-table, joined-table and concrete. For each
// style: create_all makes the tables and keys the style implies and ender_diff of the models'
// snapshot is empty; inserts write the discriminator (and the joined style's two rows, in one
// statement); a polymorphic select returns every row as its own type, a subtype's select only
// its rows; filters on base columns work on both; a has_many to the base loads every type in
// one statement; updates and removes reach every table; all compared with plain SQL. Needs the
// ender extension installed.
#include "inheritance_models.hpp"
#include "support.hpp"

#include <variant>

namespace {

using ender::test::throws;

// Each style's models, the tables and foreign keys it must create, and its rows as plain SQL
// (kind, name, extra, company_id) for the references.
struct single_traits {
    using company = single_style::company;
    using employee = single_style::employee;
    using manager = single_style::manager;
    using engineer = single_style::engineer;
    static constexpr bool base_rows = true;
    static constexpr const char* tables = "company,employee";
    static constexpr const char* managers = "SELECT count(*) FROM employee WHERE kind = 'manager'";
    static constexpr const char* foreign_keys =
        "employee FOREIGN KEY (company_id) REFERENCES company(id)";
    static constexpr const char* rows =
        "SELECT kind, name, coalesce(budget_code, language || '/' || coalesce(level::text, '-'), "
        "'') AS extra, company_id FROM employee";
};
struct joined_traits {
    using company = joined_style::company;
    using employee = joined_style::employee;
    using manager = joined_style::manager;
    using engineer = joined_style::engineer;
    static constexpr bool base_rows = true;
    static constexpr const char* tables = "company,employee,engineer,manager";
    static constexpr const char* managers = "SELECT count(*) FROM manager";
    static constexpr const char* foreign_keys =
        "employee FOREIGN KEY (company_id) REFERENCES company(id)\n"
        "engineer FOREIGN KEY (id) REFERENCES employee(id) ON DELETE CASCADE\n"
        "manager FOREIGN KEY (id) REFERENCES employee(id) ON DELETE CASCADE";
    static constexpr const char* rows =
        "SELECT e.kind, e.name, coalesce(m.budget_code, g.language || '/' || "
        "coalesce(g.level::text, '-'), '') AS extra, e.company_id FROM employee e "
        "LEFT JOIN manager m USING (id) LEFT JOIN engineer g USING (id)";
};
struct concrete_traits {
    using company = concrete_style::company;
    using employee = concrete_style::employee;
    using manager = concrete_style::manager;
    using engineer = concrete_style::engineer;
    static constexpr bool base_rows = false;
    static constexpr const char* tables = "company,engineer,manager";
    static constexpr const char* managers = "SELECT count(*) FROM manager";
    static constexpr const char* foreign_keys =
        "engineer FOREIGN KEY (company_id) REFERENCES company(id)\n"
        "manager FOREIGN KEY (company_id) REFERENCES company(id)";
    static constexpr const char* rows =
        "SELECT 'manager' AS kind, name, budget_code AS extra, company_id FROM manager "
        "UNION ALL SELECT 'engineer', name, language || '/' || coalesce(level::text, '-'), "
        "company_id FROM engineer";
};

template <class S>
class inheritance : public ender::test::database {
protected:
    using company = typename S::company;
    using employee = typename S::employee;
    using manager = typename S::manager;
    using engineer = typename S::engineer;

    ender::schema models() { return ender::schema::of<company, employee, manager, engineer>(); }

    void SetUp() override {
        database::SetUp();
        db.execute("CREATE EXTENSION IF NOT EXISTS ender");
        ender::create_all(db, models());
        for (auto name : {"Acme", "Globex", "Empty"}) {
            company c;
            c.name = name;
            db.insert(c);
            companies.push_back(c.id);
        }
        if constexpr (S::base_rows) {
            employee ann;
            ann.name = "Ann";
            ann.company_id = companies[0];
            db.insert(ann);
            EXPECT_EQ(ann.kind, "employee");  // the base's identity, read back
        }
        bob.name = "Bob";
        bob.budget_code = "B-1";
        bob.company_id = companies[0];
        cat.name = "Cat";
        cat.language = "C++";
        cat.level = 3;
        cat.company_id = companies[0];
        engineer dan;
        dan.name = "Dan";
        dan.language = "Rust";
        dan.company_id = companies[1];
        manager eve;
        eve.name = "Eve";
        eve.budget_code = "B-2";
        auto before = db.counts();
        db.insert(bob);
        db.insert(cat);
        db.insert(dan);
        db.insert(eve);
        // One statement per object, whatever the style (joined: both rows in one statement).
        EXPECT_EQ((db.counts() - before).statements, 4u);
        start = db.counts();
    }
    std::uint64_t statements() {
        auto now = db.counts();
        auto n = (now - start).statements;
        start = now;
        return n;
    }
    // "kind:name:extra" of every row, by name, as plain SQL sees them.
    std::string reference(const std::string& where = "true") {
        return db.scalar<std::string>(
            std::string("SELECT coalesce(string_agg(kind || ':' || name || ':' || extra, ',' "
                        "ORDER BY name), '') FROM (") +
            S::rows + ") AS r WHERE " + where);
    }
    static std::string describe(const employee& e) { return e.kind + ":" + e.name + ":"; }
    static std::string describe(const manager& m) {
        return "manager:" + m.name + ":" + m.budget_code;
    }
    static std::string describe(const engineer& e) {
        return "engineer:" + e.name + ":" + e.language + "/" +
               (e.level ? std::to_string(*e.level) : "-");
    }
    template <class V>
    static std::string describe_all(const std::vector<V>& rows) {
        std::string out;
        for (const auto& r : rows) {
            std::string one;
            if constexpr (std::is_same_v<V, ender::polymorphic_t<employee>>)
                one = std::visit([](const auto& x) { return describe(x); }, r);
            else
                one = describe(r);
            out += (out.empty() ? "" : ",") + one;
        }
        return out;
    }

    std::vector<std::int64_t> companies;
    manager bob;
    engineer cat;
    ender::statement_counts start;
};

using styles = ::testing::Types<single_traits, joined_traits, concrete_traits>;
class style_names {
public:
    template <class T>
    static std::string GetName(int) {
        if constexpr (std::is_same_v<T, single_traits>) return "single_table";
        if constexpr (std::is_same_v<T, joined_traits>) return "joined_table";
        return "concrete";
    }
};
TYPED_TEST_SUITE(inheritance, styles, style_names);

TYPED_TEST(inheritance, create_all_makes_the_styles_tables_and_the_snapshot_converges) {
    auto& db = this->db;
    auto snapshot = this->models().snapshot();
    std::string steps;
    for (auto& [sql] :
         db.template query<std::tuple<std::string>>("SELECT sql FROM ender_diff($1)", snapshot))
        steps += sql + "\n";
    EXPECT_EQ(steps, "");
    EXPECT_EQ(db.template scalar<std::int64_t>("SELECT count(*) FROM ender_diff($1)", snapshot), 0);
    EXPECT_EQ(db.template scalar<std::string>("SELECT string_agg(tablename, ',' ORDER BY "
                                              "tablename) FROM pg_tables WHERE schemaname = "
                                              "'public'"),
              TypeParam::tables);
    EXPECT_EQ(db.template scalar<std::string>(
                  "SELECT string_agg(conrelid::regclass || ' ' || pg_get_constraintdef(oid), "
                  "E'\\n' ORDER BY conrelid::regclass::text) FROM pg_constraint WHERE contype = "
                  "'f' AND connamespace = 'public'::regnamespace"),
              TypeParam::foreign_keys);
    // A subtype's own column is nullable where the table is shared (single-table), NOT NULL
    // where the table is the subtype's own.
    auto nullable = db.template scalar<std::string>(
        "SELECT string_agg(table_name || '.' || column_name || '=' || is_nullable, ',' ORDER BY "
        "table_name) FROM information_schema.columns WHERE column_name = 'budget_code'");
    if constexpr (std::is_same_v<TypeParam, single_traits>)
        EXPECT_EQ(nullable, "employee.budget_code=YES");
    else
        EXPECT_EQ(nullable, "manager.budget_code=NO");
    // The subtype's check constraint is the server's too.
    EXPECT_TRUE(throws<ender::check_violation>(
        [&] {
            typename TestFixture::engineer bad;
            bad.name = "Zed";
            bad.level = 0;
            db.insert(bad);
        },
        "23514", "level_check"));
}

TYPED_TEST(inheritance, a_polymorphic_select_returns_every_row_as_its_own_type) {
    using employee = typename TestFixture::employee;
    using manager = typename TestFixture::manager;
    using engineer = typename TestFixture::engineer;
    auto rows = this->db.template select_polymorphic<employee>()
                    .order_by(ender::asc(ender::col(&employee::name)))
                    .all();
    EXPECT_EQ(this->statements(), 1u);
    EXPECT_EQ(this->describe_all(rows), this->reference());
    std::size_t managers = 0, engineers = 0;
    for (const auto& r : rows) {
        managers += std::holds_alternative<manager>(r);
        engineers += std::holds_alternative<engineer>(r);
    }
    EXPECT_EQ(managers, 2u);
    EXPECT_EQ(engineers, 2u);
    EXPECT_EQ(ender::base_of<employee>(rows.back()).name, "Eve");
    // first(): the LIMIT 1 of the same select, as its own type; none when nothing matches.
    auto last = this->db.template select_polymorphic<employee>()
                    .order_by(ender::desc(ender::col(&employee::name)))
                    .first();
    ASSERT_TRUE(last);
    EXPECT_EQ(this->describe_all(std::vector{*last}), this->describe_all(std::vector{rows.back()}));
    EXPECT_FALSE(this->db.template select_polymorphic<employee>()
                     .where(ender::col(&employee::name) == "nobody")
                     .first());
    EXPECT_EQ(this->db.template select_polymorphic<employee>().count(),
              TypeParam::base_rows ? 5 : 4);
    // one(), exists() and explain() as every select.
    auto eve = this->db.template select_polymorphic<employee>()
                   .where(ender::col(&employee::name) == "Eve")
                   .one();
    EXPECT_EQ(this->describe_all(std::vector{eve}), this->describe_all(std::vector{rows.back()}));
    EXPECT_TRUE(ender::test::throws<ender::error>(
        [&] { this->db.template select_polymorphic<employee>().one(); }, "P0003",
        "the query returned"));
    EXPECT_TRUE(this->db.template select_polymorphic<employee>().exists());
    EXPECT_FALSE(this->db.template select_polymorphic<employee>()
                     .where(ender::col(&employee::name) == "nobody")
                     .exists());
    EXPECT_NE(this->db.template select_polymorphic<employee>().explain().find("Scan"),
              std::string::npos);
}

TYPED_TEST(inheritance, a_subtype_select_returns_only_that_subtype) {
    using manager = typename TestFixture::manager;
    using engineer = typename TestFixture::engineer;
    auto engineers = this->db.template select<engineer>()
                         .order_by(ender::asc(ender::col(&engineer::name)))
                         .all();
    EXPECT_EQ(this->describe_all(engineers), this->reference("kind = 'engineer'"));
    auto managers =
        this->db.template select<manager>().order_by(ender::desc(&manager::budget_code)).all();
    EXPECT_EQ(this->describe_all(managers), "manager:Eve:B-2,manager:Bob:B-1");
    EXPECT_EQ(this->db.template select<manager>().count(), 2);
    auto got = this->db.template get<engineer>(this->cat.id);
    ASSERT_TRUE(got);
    EXPECT_EQ(this->describe(*got), "engineer:Cat:C++/3");
    EXPECT_FALSE(this->db.template get<engineer>(std::int64_t(999)));
}

TYPED_TEST(inheritance, filters_on_base_columns_work_on_base_and_subtype_queries) {
    using employee = typename TestFixture::employee;
    using engineer = typename TestFixture::engineer;
    auto& db = this->db;
    auto acme = ender::col(&employee::company_id) == this->companies[0];
    auto staff = db.template select_polymorphic<employee>()
                     .where(acme)
                     .order_by(ender::col(&employee::name))
                     .all();
    EXPECT_EQ(this->describe_all(staff),
              this->reference("company_id = " + std::to_string(this->companies[0])));
    auto engineers = db.template select<engineer>().where(acme).all();
    EXPECT_EQ(this->describe_all(engineers), "engineer:Cat:C++/3");
    // The same filter through the subtype's name for the inherited member, and a filter on
    // the subtype's own column.
    EXPECT_EQ(db.template select<engineer>()
                  .where(ender::col<engineer>(&employee::name) == "Dan" &&
                         ender::col(&engineer::language) == "Rust")
                  .count(),
              1);
    EXPECT_EQ(db.template select<engineer>().where(ender::col(&employee::name) == "Bob").count(),
              0);
}

TYPED_TEST(inheritance, a_has_many_to_the_base_loads_every_type_in_one_statement) {
    using company = typename TestFixture::company;
    auto& db = this->db;
    auto companies = db.template select<company>()
                         .with(&company::staff)
                         .order_by(ender::asc(&company::id))
                         .all();
    EXPECT_EQ(this->statements(), 2u);  // the companies, then all their staff at once
    std::string got;
    for (const auto& c : companies) {
        std::vector<std::string> staff;
        for (const auto& e : c.staff)
            staff.push_back(std::visit([](const auto& x) { return TestFixture::describe(x); }, e));
        std::sort(staff.begin(), staff.end());
        std::string list;
        for (const auto& s : staff) list += (list.empty() ? "" : ",") + s;
        got += (got.empty() ? "" : ";") + c.name + "=" + list;
    }
    auto expected = db.template scalar<std::string>(
        std::string("SELECT string_agg(c.name || '=' || coalesce(s.list, ''), ';' ORDER BY c.id) "
                    "FROM company c LEFT JOIN (SELECT company_id, string_agg(kind || ':' || name "
                    "|| ':' || extra, ',' ORDER BY kind || ':' || name || ':' || extra) AS list "
                    "FROM (") +
        TypeParam::rows + ") AS r GROUP BY company_id) AS s ON s.company_id = c.id");
    EXPECT_EQ(got, expected);
    ASSERT_EQ(companies.size(), 3u);
    EXPECT_TRUE(companies[2].staff.loaded());
    EXPECT_TRUE(companies[2].staff.empty());
    // Loading onto companies in hand: one statement too.
    std::vector<company> in_hand = db.template select<company>().all();
    this->statements();
    db.load(in_hand, &company::staff);
    EXPECT_EQ(this->statements(), 1u);
}

TYPED_TEST(inheritance, updates_and_removes_reach_every_table_of_the_object) {
    using manager = typename TestFixture::manager;
    using engineer = typename TestFixture::engineer;
    auto& db = this->db;
    auto cat = this->cat;
    cat.name = "Catherine";  // an inherited column
    cat.language = "Zig";    // an own column
    db.update(cat);
    EXPECT_EQ(this->statements(), 1u);
    EXPECT_EQ(this->reference("name = 'Catherine'"), "engineer:Catherine:Zig/3");
    auto bob = this->bob;
    db.remove(bob);
    EXPECT_EQ(this->reference("name = 'Bob'"), "");
    EXPECT_FALSE(db.template get<manager>(bob.id));
    // Every row of the removed object is gone (joined: the subtype's, by ON DELETE CASCADE).
    EXPECT_EQ(db.template scalar<std::int64_t>(TypeParam::managers), 1);
    EXPECT_EQ(db.template select<manager>().count(), 1);
    // An update of an object that is not of the subtype changes nothing (concrete tables
    // number their rows each on its own: there the key may well be an engineer's).
    if constexpr (std::is_same_v<TypeParam, concrete_traits>) return;
    engineer ghost;
    ghost.id = bob.id;
    ghost.name = "Ghost";
    EXPECT_TRUE(throws<ender::error>([&] { db.update(ghost); }, "P0002", "primary key"));
    EXPECT_EQ(this->reference("name = 'Ghost'"), "");
}

// Rows whose discriminator the mapping does not list are an error, not a silent slice.
TEST(inheritance_errors, a_row_of_an_unlisted_type_is_a_data_error) {
    ender::session db;
    db.execute(
        "SET client_min_messages = warning; DROP SCHEMA IF EXISTS public CASCADE; "
        "CREATE SCHEMA public");
    ender::create_all(db, ender::schema::of<single_style::company, single_style::employee,
                                            single_style::manager, single_style::engineer>());
    db.execute("INSERT INTO employee (name, kind) VALUES ('Ivy', 'intern')");
    EXPECT_TRUE(
        throws<ender::data_error>([&] { db.select_polymorphic<single_style::employee>().all(); },
                                  "22000", "has type \"intern\", which its mapping does not list"));
}

}  // namespace
