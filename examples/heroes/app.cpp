// The heroes example in C++: the tables the migrations made, read and written through libender
// — queries, a report (read shapes, window functions, CTEs), relationships loaded with selectin and
// joined loads (a fixed number of statements, whatever the number of heroes), a graph saved in one
// call, and a bulk insert through COPY. examples/heroes/run.sh runs it after the SQL walkthrough,
// against the same database (the PG* variables).
#include "models.hpp"
#include "report.hpp"

#include <iostream>

using namespace heroes;

namespace {

// Runs `work` and prints how many statements it took.
template <class F>
void step(ender::session& db, const std::string& title, F&& work) {
    auto before = db.counts();
    std::cout << "\n== " << title << "\n";
    work();
    std::cout << "   (" << (db.counts() - before).statements << " statements)\n";
}

}  // namespace

int main() try {
    ender::session db;

    step(db, "heroes over 30, by age", [&] {
        for (const auto& h : db.select<hero>()
                                 .where(ender::col(&hero::age) > 30)
                                 .order_by(ender::desc(&hero::age))
                                 .all())
            std::cout << "   " << h.name << " (" << *h.age << ")\n";
    });

    step(db, "give the heroes powers (one transaction)", [&] {
        auto tx = db.begin();
        power fire{.name = "fire"}, flight{.name = "flight"};
        db.upsert(fire, &power::name);
        db.upsert(flight, &power::name);
        auto all = db.select<hero>().order_by(ender::asc(&hero::id)).all();
        std::vector<hero_power> links;
        for (std::size_t i = 0; i < all.size(); ++i) {
            links.push_back({all[i].id, fire.id, int(i) + 3});
            if (i % 2 == 0) links.push_back({all[i].id, flight.id, 5});
        }
        db.upsert_many(links, &hero_power::hero_id, &hero_power::power_id);
        tx.commit();
    });

    step(db, "every team with its heroes and their powers", [&] {
        auto teams = db.select<team>()
                         .with(&team::heroes, &hero::powers)
                         .order_by(ender::asc(&team::name))
                         .all();
        for (const auto& t : teams) {
            std::cout << "   " << t.name << " (" << t.headquarters << ")\n";
            for (const auto& h : t.heroes) {
                std::cout << "     " << h.name << ":";
                for (std::size_t i = 0; i < h.powers.size(); ++i)
                    std::cout << " " << h.powers[i].name << " level " << h.powers.link(i).level;
                std::cout << "\n";
            }
        }
    });

    step(db, "every hero with the team, joined (teams shared, not copied)", [&] {
        for (const auto& h : db.select<hero>()
                                 .with(ender::joined(&hero::team))
                                 .order_by(ender::asc(&hero::id))
                                 .all())
            std::cout << "   " << h.name << " -> "
                      << (h.team.has_value() ? h.team->name : std::string("no team")) << "\n";
    });

    step(db, "a new team with its heroes and their powers, saved in one call (then undone)", [&] {
        auto tx = db.begin();
        auto fire = db.select<power>().where(ender::col(&power::name) == "fire").first();
        team defenders{.name = "Defenders", .headquarters = "Hell's Kitchen"};
        hero daredevil{.name = "Daredevil", .secret_name = "Matt Murdock"};
        daredevil.powers = {power{.name = "radar sense"}, *fire};  // one new, one existing
        defenders.heroes = {daredevil, hero{.name = "Luke Cage", .secret_name = "Carl Lucas"}};
        db.insert_graph(defenders);  // team, heroes, the new power, the links: by level
        std::cout << "   " << defenders.name << " #" << defenders.id << ": "
                  << defenders.heroes[0].name << " #" << defenders.heroes[0].id << ", "
                  << defenders.heroes[1].name << " #" << defenders.heroes[1].id << "\n";
        tx.rollback();
    });

    step(db, "reading a relationship that was not loaded", [&] {
        auto some = db.select<team>().limit(1).all();
        try {
            (void)some.at(0).heroes.size();
        } catch (const ender::usage_error& e) {
            std::cout << "   " << e.what() << "\n   hint: " << e.hint() << "\n";
        }
    });

    step(db, "bulk insert of 10,000 recruits (one COPY), then dismiss them", [&] {
        auto tx = db.begin();
        auto preventers = db.select<team>().where(ender::col(&team::name) == "Preventers").first();
        std::vector<hero> recruits(10000);
        for (std::size_t i = 0; i < recruits.size(); ++i) {
            recruits[i].name = "Recruit " + std::to_string(i + 1);
            recruits[i].secret_name = "Trainee " + std::to_string(i + 1);
            recruits[i].team_id = preventers->id;
        }
        db.insert_many(recruits);
        std::cout << "   heroes now: " << db.scalar<std::int64_t>("SELECT count(*) FROM hero")
                  << "\n";
        auto gone = db.delete_where<hero>(ender::like(ender::col(&hero::name), "Recruit %"));
        std::cout << "   dismissed: " << gone << "\n";
        tx.commit();
    });
    step(db, "a report: top 3 per team, team stats with HAVING, a chain of mentors (undone)", [&] {
        auto tx = db.begin();
        auto preventers = db.select<team>().where(ender::col(&team::name) == "Preventers").one();
        std::vector<std::int64_t> ids;
        for (auto [name, age] : {std::pair<const char*, int>{"Captain Trainee", 24},
                                 {"Old Timer", 71},
                                 {"Kid Flash", 19},
                                 {"Mentor Mike", 55}}) {
            hero h{.name = name,
                   .secret_name = std::string(name) + " (secret)",
                   .age = age,
                   .team_id = preventers.id};
            db.insert(h);
            ids.push_back(h.id);
        }
        ender::create_all(db, ender::schema::of<mentorship>());
        // Kid Flash trained with Captain Trainee, who trained with Mentor Mike, with Old Timer.
        db.insert_many(
            std::vector<mentorship>{{ids[2], ids[0]}, {ids[0], ids[3]}, {ids[3], ids[1]}});
        print_report(db, ids[2]);
        tx.rollback();
    });
    std::cout << "\nheroes app: ok\n";
} catch (const ender::error& e) {
    std::cerr << "heroes app: " << e.sqlstate() << ": " << e.what() << "\n";
    return 1;
}
