# ender: the PGXS build of the extension, and the targets that drive everything else.
#   make            build the extension          make install   install it (root)
#   make demo       install deps, build, run the examples in a private cluster
#   make test       install deps, build, run every test suite in throwaway clusters
#   make bench      run the benchmarks (docs/benchmarks.md): bench-revisions, then bench-diff
#   make bench-diff only the snapshot + diff benchmark (2,000 tables; ender, Alembic, apgdiff)
#   make bench-load relationship loading and bulk insert (libender, libpq, SQLAlchemy)
#   make bench-engine  the Google Benchmark of the diff engine alone (no server)
#   make fuzz       run the parser fuzzers for ten minutes each

EXTENSION = ender
# The current version, from ender.control (the one place it is written).
EXTVERSION := $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" ender.control)
MODULE_big = ender

ENGINE_SRCS = $(wildcard extension/src/engine/*.cpp)
GLUE_SRCS = $(wildcard extension/src/glue/*.cpp)
OBJS = $(ENGINE_SRCS:.cpp=.o) $(GLUE_SRCS:.cpp=.o)

# The current version's install script is built (below); the released versions' install
# scripts (frozen, so old installs can be recreated) and every update script are installed as
# they are (docs/architecture.md, "Versions and update scripts").
DATA_built = extension/ender--$(EXTVERSION).sql
DATA = $(filter-out $(DATA_built),$(wildcard extension/ender--*.sql))
EXTRA_CLEAN = build

REGRESS = $(basename $(notdir $(wildcard sql/*.sql)))
REGRESS_OPTS = --outputdir=build/regress

PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server) -isystem $(shell $(PG_CONFIG) --includedir)/internal
PG_CXXFLAGS = -std=c++20 -Wall -Wextra -Wno-missing-field-initializers
# -Werror only in the project's own builds (make test turns it on): a packager's or user's
# newer compiler must not fail the build over a new warning.
ENDER_WERROR ?= OFF
ifeq ($(ENDER_WERROR),ON)
PG_CXXFLAGS += -Werror
endif
SHLIB_LINK += -lsimdjson -lstdc++

# Track header dependencies (.deps/), so a changed header rebuilds what includes it.
override autodepend = yes
# Debian's PostgreSQL is built with LLVM, and PGXS would also compile every source to bitcode
# with clang for JIT inlining. ender's functions are not worth inlining into JIT-compiled
# queries, and the bitcode doubled the build time: no bitcode.
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)

# Bitcode an older build installed would still be inlined by the JIT: remove it.
install: remove-bitcode
.PHONY: remove-bitcode
remove-bitcode:
	rm -rf '$(DESTDIR)$(pkglibdir)/bitcode/$(MODULE_big)' '$(DESTDIR)$(pkglibdir)/bitcode/$(MODULE_big).index.bc'
else
# No server headers yet (a fresh machine): demo, test and bench install them first and then
# run make again; the PGXS targets say what to do.
all install installcheck:
	@echo "PostgreSQL server headers are missing: run 'make deps' (or make demo / make test)" >&2
	@exit 1
endif

# The install script: the hand-edited parts, in order.
INSTALL_PARTS = extension/ender.sql extension/snapshot.sql
extension/ender--$(EXTVERSION).sql: $(INSTALL_PARTS)
	cat $^ > $@

# The targets below build with every core.
JOBS ?= $(shell nproc)

.PHONY: deps demo test bench bench-revisions bench-diff bench-load bench-engine fuzz format
deps:
	scripts/install-deps.sh

demo: deps
	$(MAKE) -j$(JOBS) all
	$(MAKE) install
	scripts/demo.sh

test: deps
	$(MAKE) -j$(JOBS) all ENDER_WERROR=ON
	$(MAKE) install
	scripts/test.sh

bench: deps
	$(MAKE) -j$(JOBS) all
	$(MAKE) install
	bench/run.sh
	bench/run_diff.sh

bench-revisions: deps
	$(MAKE) -j$(JOBS) all
	$(MAKE) install
	bench/run.sh

bench-diff: deps
	$(MAKE) -j$(JOBS) all
	$(MAKE) install
	bench/run_diff.sh

# The client only: no extension needed.
bench-load: deps
	bench/run_load.sh

# The engine benchmark reads a snapshot document: ENDER_BENCH_SNAPSHOT=file (ender_snapshot() output).
bench-engine: deps
	cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=RelWithDebInfo -DENDER_BUILD_TESTS=ON
	cmake --build build/bench -j2 --target engine_diff_bench
	build/bench/engine_diff_bench

fuzz: deps
	test/fuzz/run.sh -max_total_time=600

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

# pg_regress writes its results under build/ to keep the source tree clean.
installcheck: build/regress
build/regress:
	mkdir -p $@
