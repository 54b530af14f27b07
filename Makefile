# ender: the PGXS build of the extension, and the targets that drive everything else.
#   make            build the extension
#   make install    install everything (root): the extension into PostgreSQL's directories, and
#                   under PREFIX (default /usr/local) the ender command, libender's headers and
#                   libraries, its CMake package and ender.pc; make uninstall removes them
#   make install-extension  the extension only (what demo, test and bench install)
#   make deb        the Debian packages (debian/): postgresql-15-ender, libender-dev, ender
#   make demo       install deps, build, run the examples in a private cluster
#   make test       install deps, build, run every test suite in throwaway clusters
#   make check      the fast inner loop: engine tests, pg_regress, client tests (no sanitizers)
#   make format     format the C++ sources      make style   check format and clang-tidy
#   make bench      run the benchmarks (docs/benchmarks.md): bench-revisions, then bench-diff
#   make bench-diff only the snapshot + diff benchmark (2,000 tables; ender, Alembic, apgdiff)
#   make bench-load relationship loading and bulk insert (libender, libpq, SQLAlchemy)
#   make bench-update  bulk updates by key (update_many, one UPDATE per row, SQLAlchemy)
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
# make install also installs the client (below); install-extension is PGXS's install alone.
ifneq ($(ENDER_INSTALL_CLIENT),no)
install: install-client
uninstall: uninstall-client
endif
.PHONY: install-extension
install-extension:
	$(MAKE) install ENDER_INSTALL_CLIENT=no
.PHONY: remove-bitcode
remove-bitcode:
	rm -rf '$(DESTDIR)$(pkglibdir)/bitcode/$(MODULE_big)' '$(DESTDIR)$(pkglibdir)/bitcode/$(MODULE_big).index.bc'
else
# No server headers yet (a fresh machine): demo, test and bench install them first and then
# run make again; the PGXS targets say what to do.
all install install-extension installcheck:
	@echo "PostgreSQL server headers are missing: run 'make deps' (or make demo / make test)" >&2
	@exit 1
endif

# The install script: the hand-edited parts, in order.
INSTALL_PARTS = extension/ender.sql extension/snapshot_objects.sql extension/snapshot.sql
extension/ender--$(EXTVERSION).sql: $(INSTALL_PARTS)
	cat $^ > $@

# The targets below build with every core.
JOBS ?= $(shell nproc)

# The client: libender, ender::cli and the ender command, built by CMake in Release (library and
# command only) and installed under PREFIX; DESTDIR is honoured. The library directory is
# PREFIX/lib whatever the prefix, so make uninstall knows every path it installed.
# ENDER_CLIENT_BUILD names another configured build directory to install from (make test's).
PREFIX ?= /usr/local
ENDER_CLIENT_BUILD ?= build/client
CLIENT_FILES = bin/ender include/ender lib/libender.a lib/libender-cli.a lib/cmake/ender \
	lib/pkgconfig/ender.pc
.PHONY: install-client uninstall-client
install-client:
	@test -f $(ENDER_CLIENT_BUILD)/CMakeCache.txt || cmake -S . -B $(ENDER_CLIENT_BUILD) \
		-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_LIBDIR=lib >/dev/null
	cmake --build $(ENDER_CLIENT_BUILD) -j$(JOBS) --target ender_cli
	DESTDIR='$(DESTDIR)' cmake --install $(ENDER_CLIENT_BUILD) --prefix '$(PREFIX)'
uninstall-client:
	rm -rf $(addprefix '$(DESTDIR)$(PREFIX)'/,$(CLIENT_FILES))

.PHONY: deps demo test check style bench bench-revisions bench-diff bench-load bench-update bench-engine fuzz format
deps:
	scripts/install-deps.sh

# The Debian packages (debian/, scripts/build-deb.sh) into build/deb/; test-deb installs them on
# this machine, runs the examples against the installed files and removes them again
# (scripts/test-deb.sh).
.PHONY: deb test-deb
deb:
	scripts/install-deps.sh deb
	scripts/build-deb.sh
test-deb: deb
	scripts/test-deb.sh

demo: deps
	$(MAKE) -j$(JOBS) all
	$(MAKE) install-extension
	scripts/demo.sh

test: deps
	$(MAKE) -j$(JOBS) all ENDER_WERROR=ON
	$(MAKE) install-extension
	scripts/test.sh

# PGXS's own `check` (a temporary installation) is not supported for extensions: this one
# replaces it (make prints that it overrides the recipe).
check: deps
	$(MAKE) -j$(JOBS) all ENDER_WERROR=ON
	$(MAKE) install-extension
	scripts/check.sh

style:
	scripts/check-style.sh

bench: deps
	$(MAKE) -j$(JOBS) all
	$(MAKE) install-extension
	bench/run.sh
	bench/run_diff.sh

bench-revisions: deps
	$(MAKE) -j$(JOBS) all
	$(MAKE) install-extension
	bench/run.sh

bench-diff: deps
	$(MAKE) -j$(JOBS) all
	$(MAKE) install-extension
	bench/run_diff.sh

# The client only: no extension needed.
bench-load: deps
	bench/run_load.sh
bench-update: deps
	bench/run_update.sh

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
