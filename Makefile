# crmd: one Makefile, no recursion. Flavours build into build/debug and build/asan.
# `make help` lists the targets.

CC      ?= gcc
CXX      = g++
PKGS     = libmicrohttpd jansson sqlite3 uuid libcrypto libcurl libsystemd libutf8proc zlib
CFLAGS_BASE = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -Wshadow \
          -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wwrite-strings \
          -Wformat=2 -fno-common -MMD -MP -g -Iserver
OPT     ?= -O2
ASAN     = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

FLAVOR  ?= debug
B        = build/$(FLAVOR)

# `crmd --version`: the release, plus the commit when built from git (not in a
# container build, whose context has no .git). `make VERSION=x.y.z` overrides it.
VERSION_BASE = 0.5.0
ifeq ($(origin VERSION),undefined)
VERSION := $(VERSION_BASE)$(shell git rev-parse --short HEAD 2>/dev/null | sed 's/^/+g/')
endif

ifeq ($(FLAVOR),asan)
EXTRA    = $(ASAN) -O1
else ifeq ($(FLAVOR),fuzz)
CC       = clang-14
CXX      = clang++-14
# clang's UBSan vptr check needs its C++ runtime, which a clang-14 (C) link leaves out
CXXFLAGS += -fno-sanitize=vptr
EXTRA    = $(ASAN) -fsanitize=fuzzer-no-link -O1 -Wno-format-nonliteral # log.c, http.c: vprintf of a va_list
else
EXTRA    = $(OPT)
endif

SRC      = $(wildcard server/*.c)
# The one C++ file: server/phone.cc wraps libphonenumber behind server/phone.h.
CXXSRC   = $(wildcard server/*.cc)
OBJ      = $(SRC:server/%.c=$(B)/server/%.o) $(CXXSRC:server/%.cc=$(B)/server/%.o) $(B)/gen/schema.o $(B)/gen/apidocs.o $(B)/gen/desk.o
LIBOBJ   = $(filter-out $(B)/server/main.o,$(OBJ))
SCHEMA   = $(sort $(wildcard schema/*.sql))
UNIT_SRC = $(wildcard tests/unit/*.c)
E2E_SRC  = $(wildcard tests/e2e/*.c)

DEPS_OK  = build/.deps-ok

# API tooling (tools/api: Redocly CLI, ajv), installed with npm ci when the lock file changes.
SPEC     = api-docs/openapi.yaml
API_OK   = tools/api/node_modules/.crmd-installed
REDOCLY  = REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
           tools/api/node_modules/.bin/redocly
CONTRACT_LOG = $(B)/contract.jsonl

.PHONY: all deps run test unit e2e contract lint asan bench clean help install uninstall install-test \
        docker-base docker-test fuzz browser desk-check screenshots
all: $(B)/crmd

help:
	@echo "make run     build and start crmd on :8080 with the demo database (crmd-demo.db)"
	@echo "make test    build and run every test (lint, unit, end-to-end + contract check)"
	@echo "make unit    Check unit tests only"
	@echo "make e2e     end-to-end tests (real server, real SQLite, HTTP), then the contract check"
	@echo "make lint    lint api-docs/openapi.yaml (Redocly CLI, Spectral), test the contract checker"
	@echo "make contract  check the responses of the last e2e run against the spec (and the unproduced ones)"
	@echo "make browser the desk in Debian's Chromium (Playwright): tests/browser/*.test.mjs"
	@echo "make screenshots  retake docs/img/*.png (the README's desk pictures) in Chromium"
	@echo "make desk-check  type-check desk/app against api-docs (openapi-typescript, tsc)"
	@echo "make asan    every test under AddressSanitizer + UndefinedBehaviorSanitizer"
	@echo "make bench   the benchmarks in bench/ (prints figures)"
	@echo "make fuzz    libFuzzer over the request path, FUZZ_SECONDS (60) under ASan + UBSan"
	@echo "make install     install crmd, crmd(8) and crmd.service (PREFIX=/usr/local, DESTDIR)"
	@echo "make uninstall   remove them again (keeps an edited /etc/crmd/crmd.env and all data)"
	@echo "make install-test  install into a temporary DESTDIR and check the files (CI runs it)"
	@echo "make docker-test   build the container image with podman, run and check it (minutes)"
	@echo "make clean   remove build/"

# Missing Debian packages are installed once; the stamp is refreshed when the script changes.
$(DEPS_OK): tools/deps.sh
	@./tools/deps.sh
	@mkdir -p build && touch $@
deps: $(DEPS_OK)

CFLAGS_ALL = $(CFLAGS_BASE) $(EXTRA) $(CFLAGS)
CXXFLAGS_ALL = -std=c++17 -Wall -Wextra -Werror -fno-common -MMD -MP -g -Iserver $(EXTRA) $(CXXFLAGS)
# Evaluated when a recipe runs (after tools/deps.sh installed the packages), not when make parses.
PKG_CFLAGS = $$(pkg-config --cflags $(PKGS))
# libphonenumber has no pkg-config file; phone.cc also uses its protobuf message directly.
# The C++ runtime comes with -lstdc++, so the links stay $(CC) links.
PKG_LIBS   = $$(pkg-config --libs $(PKGS)) -lphonenumber $$(pkg-config --libs protobuf) -lstdc++ \
             -lpthread -lm
TEST_LIBS  = $$(pkg-config --libs check libcurl)

$(B)/server/%.o: server/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) -c $< -o $@

$(B)/server/%.o: server/%.cc | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "CXX $<"
	@$(CXX) $(CXXFLAGS_ALL) -c $< -o $@

# Only config.o sees the version; the stamp changes (and rebuilds it) only when the version does.
$(B)/gen/version: FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = "$(VERSION)" ] || echo "$(VERSION)" >$@
$(B)/server/config.o: $(B)/gen/version
$(B)/server/config.o: EXTRA += -DCRMD_VERSION='"$(VERSION)"'
FORCE:

$(B)/gen/schema.c: $(SCHEMA) tools/embed-schema.sh
	@mkdir -p $(dir $@)
	@./tools/embed-schema.sh $@ $(SCHEMA)

$(B)/gen/schema.o: $(B)/gen/schema.c
	@$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -c $< -o $@

$(API_OK): tools/api/package-lock.json | $(DEPS_OK)
	@./tools/npm-ci.sh tools/api

# The desk's npm packages (desk/package.json): its chart library, served from the binary, and
# the tools of its checks (TypeScript, openapi-typescript) and browser tests (Playwright, axe-core).
DESK_OK  = desk/node_modules/.crmd-installed
$(DESK_OK): desk/package-lock.json | $(DEPS_OK)
	@./tools/npm-ci.sh desk

# /openapi.json and /docs: generated from the spec, compiled into the binary. The bundle's
# info.version is the binary's (`crmd --version`), and the page is made from the bundle.
$(B)/api/openapi.json: $(SPEC) tools/api/set-version.js $(API_OK) $(B)/gen/version
	@mkdir -p $(dir $@)
	@out=$$($(REDOCLY) bundle $(SPEC) --ext json --lint-config off -o $@ 2>&1) || \
	    { echo "$$out"; exit 1; }
	@node tools/api/set-version.js $@ "$(VERSION)"
	@echo "GEN $@"

$(B)/api/docs.html: $(B)/api/openapi.json tools/api/build-docs.js tools/api/redocly.yaml $(API_OK)
	@mkdir -p $(dir $@)
	@node tools/api/build-docs.js $(B)/api/openapi.json $@
	@echo "GEN $@"

$(B)/gen/apidocs.c: $(B)/api/openapi.json $(B)/api/docs.html tools/embed-files.sh
	@mkdir -p $(dir $@)
	@./tools/embed-files.sh $@ apidocs_openapi_json=$(B)/api/openapi.json \
	    apidocs_docs_html=$(B)/api/docs.html

$(B)/gen/apidocs.o: $(B)/gen/apidocs.c
	@$(CC) $(CFLAGS_ALL) -c $< -o $@

# /desk/: every file of desk/app (flat: subfolders are not served) and the chart library as
# vendor/chart.umd.js, compiled into the binary (server/desk.c). The list is a stamp, so adding
# or removing a file regenerates the table; an unknown file type fails the build.
DESK_APP = $(sort $(filter-out $(patsubst %/,%,$(wildcard desk/app/*/)),$(wildcard desk/app/*)))
CHART_JS = desk/node_modules/chart.js/dist/chart.umd.min.js
DESK_EMBED = $(foreach f,$(DESK_APP),$(notdir $(f))=$(f)) vendor/chart.umd.js=$(CHART_JS)

$(B)/gen/desk.list: FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = "$(DESK_EMBED)" ] || echo "$(DESK_EMBED)" >$@

# $(DESK_OK) stands for the chart library: npm ci (re)installs it and then touches the stamp.
$(B)/gen/desk.c: $(B)/gen/desk.list $(DESK_APP) $(DESK_OK) tools/embed-files.sh
	@./tools/embed-files.sh $@ --table desk_files $(DESK_EMBED)
	@echo "GEN $@"

$(B)/gen/desk.o: $(B)/gen/desk.c
	@$(CC) $(CFLAGS_ALL) -c $< -o $@

$(B)/crmd: $(OBJ)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $^ $(PKG_LIBS) -o $@

$(B)/tests/%.o: tests/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) -Itests -c $< -o $@

$(B)/unit_tests: $(UNIT_SRC:tests/%.c=$(B)/tests/%.o) $(LIBOBJ)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $^ $(PKG_LIBS) $(TEST_LIBS) -o $@

$(B)/e2e_tests: $(E2E_SRC:tests/%.c=$(B)/tests/%.o)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $^ $(PKG_LIBS) $(TEST_LIBS) -o $@

unit: $(B)/unit_tests
	$(B)/unit_tests

# The harness logs every exchange to $(CONTRACT_LOG); contract checks them against the spec.
# Only the full run (CK_RUN_SUITE empty) judges the documented responses no test produces.
UNPRODUCED = tools/api/contract-unproduced.txt
REQUIRE_PRODUCED = $(if $(CK_RUN_SUITE),,--require-produced $(UNPRODUCED))
# promtool (Debian's prometheus package) checks /metrics in the prometheus suite.
e2e: $(B)/e2e_tests $(B)/crmd $(B)/api/openapi.json
	@./tools/deps.sh prometheus
	@rm -f $(CONTRACT_LOG)
	CRMD_BIN=$(B)/crmd CRMD_CONTRACT_LOG=$(CONTRACT_LOG) $(B)/e2e_tests
	node tools/api/contract-check.js $(REQUIRE_PRODUCED) $(B)/api/openapi.json $(CONTRACT_LOG) server/routes.c

contract: $(B)/api/openapi.json
	node tools/api/contract-check.js $(REQUIRE_PRODUCED) $(B)/api/openapi.json $(CONTRACT_LOG) server/routes.c

# lint: the spec (Redocly CLI, recommended rules; Spectral, spectral:oas, failing on errors)
# and the contract checker's own tests.
lint: | $(API_OK)
	$(REDOCLY) lint $(SPEC) --config tools/api/redocly.yaml --format stylish
	tools/api/node_modules/.bin/spectral lint $(SPEC) --ruleset tools/api/.spectral.yaml \
	    --fail-severity error --quiet
	@mkdir -p $(B)
	@node --test tools/api/contract-check.test.js >$(B)/api-test.log 2>&1 || \
	    { cat $(B)/api-test.log; exit 1; }
	@echo "tools/api/contract-check.test.js: $$(grep -c '^ok' $(B)/api-test.log) passed"

test: | $(DEPS_OK)
	$(MAKE) --no-print-directory FLAVOR=debug lint unit e2e desk-check browser

# ---- the desk in a real browser (docs/development.md "Browser tests"): Debian's Chromium,
# driven by playwright-core, against the real crmd with the demo data on an ephemeral port.
BROWSER_TESTS = $(sort $(wildcard tests/browser/*.test.mjs))
browser: $(B)/crmd | $(DESK_OK)
	@./tools/deps.sh chromium fonts-dejavu-core
	@rm -rf $(B)/browser
	CRMD_BIN=$(B)/crmd CRMD_BROWSER_ARTIFACTS=$(B)/browser node --test --test-concurrency=1 \
	    $(BROWSER_TESTS)

# The pictures of README.md and docs/desk.md, taken in Chromium on the demo data.
screenshots: $(B)/crmd | $(DESK_OK)
	@./tools/deps.sh chromium fonts-dejavu-core
	CRMD_BIN=$(B)/crmd node tests/browser/screenshots.mjs docs/img

# Types of the API calls for the page, from the spec; tsc checks desk/app's JSDoc against them.
desk/types/api.d.ts: $(B)/api/openapi.json $(DESK_OK)
	@mkdir -p $(dir $@)
	@desk/node_modules/.bin/openapi-typescript $(B)/api/openapi.json -o $@ >/dev/null
	@echo "GEN $@"

desk-check: desk/types/api.d.ts
	cd desk && node_modules/.bin/tsc --noEmit -p .

asan: | $(DEPS_OK)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) --no-print-directory FLAVOR=asan unit e2e browser

run: $(B)/crmd
	$(B)/crmd --demo --db $${CRMD_DB:-crmd-demo.db} $(ARGS)

# ---- bench: bench/README.md. `make bench` runs at BENCH_SCALE (0.1 = 100,000 customers);
# `BENCH_SCALE=1 make bench` is the full data set. Generated data is cached in build/bench/data.
BENCH_SCALE  ?= 0.1
BENCH_SECS   ?= 3
BENCH_ROUNDS ?= 5
BENCH_GEN_OBJ = $(addprefix $(B)/bench/,gen.o gen_rows.o gen_vehicles.o gen_touch.o gen_data.o \
                gen_verify.o)

$(B)/bench/%.o: bench/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) -Ibench -c $< -o $@

$(B)/bench/gen: $(BENCH_GEN_OBJ) $(LIBOBJ)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $^ $(PKG_LIBS) -o $@

$(B)/bench/inproc: $(B)/bench/inproc.o $(LIBOBJ)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $^ $(PKG_LIBS) -o $@

$(B)/bench/bare: $(B)/bench/bare.o
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $^ $(PKG_LIBS) -o $@

$(B)/bench/import_gen: $(B)/bench/import_gen.o $(B)/bench/gen_data.o
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $^ -o $@

$(B)/bench/import_floor: $(B)/bench/import_floor.o $(LIBOBJ)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) $^ $(PKG_LIBS) -o $@

bench: $(B)/crmd $(B)/bench/gen $(B)/bench/inproc $(B)/bench/bare $(B)/bench/import_gen \
       $(B)/bench/import_floor
	BENCH_SCALE=$(BENCH_SCALE) BENCH_SECS=$(BENCH_SECS) BENCH_ROUNDS=$(BENCH_ROUNDS) ./bench/run.sh $(B)

# ---- fuzz: docs/development.md "Fuzzing". tests/fuzz/fuzz_request.c with clang-14's libFuzzer, ASan and
# UBSan in build/fuzz: replays tests/fuzz/regressions, then fuzzes a copy of tests/fuzz/corpus.
FUZZ_SECONDS ?= 60

$(B)/fuzz_request: $(B)/tests/fuzz/fuzz_request.o $(LIBOBJ)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer $^ $(PKG_LIBS) -o $@

fuzz: | $(DEPS_OK)
	@./tools/deps.sh clang-14 libclang-rt-14-dev
	@$(MAKE) --no-print-directory FLAVOR=fuzz build/fuzz/fuzz_request
	./tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS)

# ---- install: docs/operators.md "Operations". The daemon goes to sbin, its page to man8, the unit
# to systemd's directory for locally installed units; settings to SYSCONFDIR/crmd/crmd.env
# (never overwritten, removed by uninstall only when unchanged). Data is never touched.
PREFIX     ?= /usr/local
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
UNITDIR    ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc

install: $(B)/crmd
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(SYSCONFDIR)/crmd
	install -m 0755 $(B)/crmd $(DESTDIR)$(SBINDIR)/crmd
	install -m 0644 dist/crmd.8 $(DESTDIR)$(MANDIR)/man8/crmd.8
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' dist/crmd.service.in \
	    >$(DESTDIR)$(UNITDIR)/crmd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/crmd.service
	[ -e $(DESTDIR)$(SYSCONFDIR)/crmd/crmd.env ] || \
	    install -m 0640 dist/crmd.env $(DESTDIR)$(SYSCONFDIR)/crmd/crmd.env

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/crmd $(DESTDIR)$(MANDIR)/man8/crmd.8 \
	    $(DESTDIR)$(UNITDIR)/crmd.service
	! cmp -s dist/crmd.env $(DESTDIR)$(SYSCONFDIR)/crmd/crmd.env || \
	    rm -f $(DESTDIR)$(SYSCONFDIR)/crmd/crmd.env
	rmdir $(DESTDIR)$(SYSCONFDIR)/crmd 2>/dev/null || true

install-test: $(B)/crmd
	MAKE="$(MAKE)" ./tools/install-test.sh $(FLAVOR) $(VERSION)

# ---- containers: docs/operators.md "Operations". The Debian 12 base made with
# debootstrap is cached in build/docker; podman's storage lives there too.
docker-base:
	./docker/base.sh build/docker

docker-test: docker-base
	./docker/test.sh build/docker $(VERSION)

clean:
	rm -rf build

# Dependency files of the flavours (not build/docker: podman storage, the base root file system).
-include $(shell find build -path build/docker -prune -o -name '*.d' -type f -print 2>/dev/null)
