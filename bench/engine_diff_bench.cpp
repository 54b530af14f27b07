// Google Benchmark of the diff engine alone (no server): parsing a snapshot document and
// diffing it against itself (nothing to do) and against an empty schema (everything to create).
// The document is a file written by ender_snapshot(), named by ENDER_BENCH_SNAPSHOT
// (bench/run_diff.sh writes one of the 2,000-table benchmark schema).
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

}  // namespace

BENCHMARK(parse)->Unit(benchmark::kMillisecond);
BENCHMARK(diff_identical)->Unit(benchmark::kMillisecond);
BENCHMARK(diff_from_empty)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
