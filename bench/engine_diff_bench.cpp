// Google Benchmark of the diff engine alone (no server): parsing a snapshot document and
// diffing it against itself (nothing to do) and against an empty schema (everything to create).
// The document is a file written by ender_snapshot(), named by ENDER_BENCH_SNAPSHOT
// (bench/run_diff.sh writes one of the 2,000-table benchmark schema). The view_chain benchmarks
// need none (--benchmark_filter=view_chain).
#include "engine/diff.hpp"
#include "engine/snapshot.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

using namespace ender::engine;

const std::string& document() {
    static const std::string text = [] {
        const char* path = std::getenv("ENDER_BENCH_SNAPSHOT");
        if (!path) {
            std::cerr
                << "set ENDER_BENCH_SNAPSHOT to a snapshot document (ender_snapshot() output)\n";
            std::exit(2);
        }
        std::ifstream in(path);
        std::stringstream buffer;
        buffer << in.rdbuf();
        return buffer.str();
    }();
    return text;
}

const char* const empty_document =
    R"({"format": "ender-snapshot", "version": 1, "schemas": [], "extensions": [], "enums": [],
        "domains": [], "composite_types": [], "sequences": [], "tables": [], "views": [],
        "functions": [], "event_triggers": []})";

void parse(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(parse_snapshot(document()));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * document().size()));
}

void diff_identical(benchmark::State& state) {
    snapshot a = parse_snapshot(document()), b = parse_snapshot(document());
    for (auto _ : state) {
        auto steps = diff(a, b, {});
        if (!steps.empty()) state.SkipWithError("identical documents gave steps");
        benchmark::DoNotOptimize(steps);
    }
}

void diff_from_empty(benchmark::State& state) {
    snapshot empty = parse_snapshot(empty_document), full = parse_snapshot(document());
    for (auto _ : state) {
        auto steps = diff(empty, full, {});
        state.counters["steps"] = static_cast<double>(steps.size());
        benchmark::DoNotOptimize(steps);
    }
}

// A chain of state.range(0) views, each reading the next, listed against their dependencies
// (the worst case of ordering them pass by pass), created from nothing; then the same chain
// rebuilt because the column under it changes type (dropped readers first, created again).
// Issue 16, item 9: linear in the views. Needs no document.
snapshot view_chain(int n, const std::string& type) {
    snapshot s = parse_snapshot(empty_document);
    table_def t;
    t.id = {"public", "t"};
    column_def c;
    c.name = "x";
    c.type = type;
    t.columns.push_back(c);
    s.tables.push_back(t);
    auto name = [](int i) { return "v" + std::to_string(100000 + i); };
    for (int i = 0; i < n; ++i) {
        view_def v;
        v.id = {"public", name(i)};
        qualified_name read = i + 1 < n ? qualified_name{"public", name(i + 1)} : t.id;
        v.definition = " SELECT x FROM public." + read.name + ";";
        v.depends_on.push_back(read);
        s.views.push_back(v);
    }
    return s;
}

void view_chain_created(benchmark::State& state) {
    snapshot from = view_chain(0, "integer"), to = view_chain(int(state.range(0)), "integer");
    for (auto _ : state) benchmark::DoNotOptimize(diff(from, to, {}));
    state.SetComplexityN(state.range(0));
}

void view_chain_rebuilt(benchmark::State& state) {
    snapshot from = view_chain(int(state.range(0)), "integer"),
             to = view_chain(int(state.range(0)), "bigint");
    for (auto _ : state) benchmark::DoNotOptimize(diff(from, to, {}));
    state.SetComplexityN(state.range(0));
}

}  // namespace

BENCHMARK(view_chain_created)
    ->Arg(1000)
    ->Arg(5000)
    ->Arg(20000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();
BENCHMARK(view_chain_rebuilt)
    ->Arg(1000)
    ->Arg(5000)
    ->Arg(20000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();
BENCHMARK(parse)->Unit(benchmark::kMillisecond);
BENCHMARK(diff_identical)->Unit(benchmark::kMillisecond);
BENCHMARK(diff_from_empty)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
