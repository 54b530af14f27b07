// The fixture the relationship tests share: the models' tables, filled as the tests expect, and
// the plain-SQL references they compare with.
#pragma once

#include "relation_models.hpp"
#include "support.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace rel {

class relationships : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        ender::create_all(db, all_models());
        db.execute(R"(
            INSERT INTO team (id, name) OVERRIDING SYSTEM VALUE VALUES
                (1, 'Avengers'), (2, 'X-Men'), (3, 'Nobody');
            INSERT INTO hero (id, name, team_id) OVERRIDING SYSTEM VALUE VALUES
                (1, 'Iron Man', 1), (2, 'Thor', 1), (3, 'Storm', 2), (4, 'Deadpool', NULL),
                (5, 'Hulk', 1);
            INSERT INTO power (id, name) OVERRIDING SYSTEM VALUE VALUES
                (1, 'flight'), (2, 'lightning'), (3, 'strength');
            INSERT INTO hero_power VALUES (1, 1, 7), (2, 1, 5), (2, 2, 9), (3, 2, 8), (5, 3, 10);
            INSERT INTO passport (hero_id, number) VALUES (1, 'P-1'), (3, 'P-3');
            INSERT INTO employee VALUES (1, 'ceo', NULL), (2, 'cto', 1), (3, 'dev', 2),
                (4, 'intern', 3), (5, 'cfo', 1);
            INSERT INTO category VALUES (1, 'root', NULL), (2, 'a', 1), (3, 'b', 1),
                (4, 'a1', 2), (5, 'a1x', 4), (6, 'a1xy', 5);
            INSERT INTO region VALUES ('fr', 'idf', 'Ile-de-France'), ('fr', 'bre', 'Bretagne'),
                ('de', 'idf', 'Nowhere');
            INSERT INTO city VALUES (1, 'Paris', 'fr', 'idf'), (2, 'Rennes', 'fr', 'bre'),
                (3, 'Brest', 'fr', 'bre'), (4, 'Atlantis', NULL, NULL);
        )");
        before = db.counts();
    }
    // Statements executed since SetUp (or the last call).
    std::uint64_t statements() {
        auto now = db.counts();
        auto n = (now - before).statements;
        before = now;
        return n;
    }
    // The rows of SetUp were inserted with their ids: new rows take the next ones.
    void sequences_past_the_rows() {
        db.execute(
            "SELECT setval(pg_get_serial_sequence('team', 'id'), 3), "
            "setval(pg_get_serial_sequence('hero', 'id'), 5), "
            "setval(pg_get_serial_sequence('power', 'id'), 3)");
        statements();
    }
    // "name:child,child;..." computed by plain SQL.
    std::string reference(const std::string& sql) { return db.scalar<std::string>(sql); }
    ender::statement_counts before;
};

inline std::string names_of(const std::vector<team>& teams) {
    std::string out;
    for (const auto& t : teams) {
        std::vector<std::string> names;
        for (const auto& h : t.heroes) names.push_back(h.name);
        std::sort(names.begin(), names.end());
        out += (out.empty() ? "" : ";") + t.name + ":";
        for (std::size_t i = 0; i < names.size(); ++i) out += (i ? "," : "") + names[i];
    }
    return out;
}

inline const char* teams_reference =
    "SELECT string_agg(t.name || ':' || coalesce(h.names, ''), ';' ORDER BY t.id) FROM team t "
    "LEFT JOIN (SELECT team_id, string_agg(name, ',' ORDER BY name) AS names FROM hero "
    "GROUP BY team_id) h ON h.team_id = t.id";

}  // namespace rel
