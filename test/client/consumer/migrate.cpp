// The consumer test's migrate program: the installed ender::cli with one model (run with
// --help and check by scripts/test-client-consumer.sh).
#include <ender/cli.hpp>
#include <ender/ender.hpp>

struct memo {
    std::int64_t id{};
    std::string text;
};
inline auto ender_model(ender::tag<memo>) {
    return ender::table<memo>("consumer_memo", ender::column("id", &memo::id, ender::primary_key()),
                              ender::column("text", &memo::text));
}

int main(int argc, char** argv) {
    return ender::cli::main(ender::schema::of<memo>(), argc, argv);
}
