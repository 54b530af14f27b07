// The consumer test's program: maps a model, creates it, writes and reads one row through the
// installed libender. Prints "ok <name>" on success.
#include <ender/ender.hpp>

#include <iostream>

struct note {
    std::int64_t id{};
    std::string text;
};
inline auto ender_model(ender::tag<note>) {
    return ender::table<note>(
        "consumer_note", ender::column("id", &note::id, ender::primary_key(), ender::identity()),
        ender::column("text", &note::text));
}

int main() {
    try {
        ender::session db;
        db.execute("DROP TABLE IF EXISTS consumer_note");
        ender::create_all(db, ender::schema::of<note>());
        note n{0, "installed"};
        db.insert(n);
        auto back = db.get<note>(n.id);
        std::cout << "ok " << back.value().text << "\n";
        db.execute("DROP TABLE consumer_note");
        return back->text == "installed" ? 0 : 1;
    } catch (const ender::error& e) {
        std::cerr << "consumer: " << e.sqlstate() << " " << e.what() << "\n";
        return 1;
    }
}
