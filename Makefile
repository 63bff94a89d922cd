# Pendopo: `make run` installs what is missing, builds and serves the demo;
# `make test` installs, builds and runs every suite. See README.md.
SHELL := /bin/bash
MESON_OPTS ?=
# Another directory for a second test build: make build-test BUILD_TEST=/tmp/b2
BUILD_TEST ?= build-test

.PHONY: all build run test clean deps deps-test check-source bench

all: build

deps:
	scripts/bootstrap

deps-test:
	scripts/bootstrap --test

# Meson lists the sources itself; reconfigure when files are added or removed.
define setup
	@mkdir -p $(1)
	@list=$$(find src tests templates static po data tools -type f 2>/dev/null | LC_ALL=C sort | md5sum); \
	if [ ! -f $(1)/build.ninja ]; then meson setup $(1) $(2) $(MESON_OPTS) >/dev/null; \
	elif [ "$$list" != "$$(cat $(1)/.srclist 2>/dev/null)" ]; then meson setup --reconfigure $(1) $(2) >/dev/null; fi; \
	echo "$$list" > $(1)/.srclist
endef

build:
	$(call setup,build,-Dbuildtype=release -Dtest_hooks=false)
	ninja -C build pendopo

build-test:
	$(call setup,$(BUILD_TEST),-Dbuildtype=debugoptimized -Dtest_hooks=true)
	ninja -C $(BUILD_TEST)

build-asan:
	$(call setup,build-asan,-Dbuildtype=debug -Doptimization=1 -Dtest_hooks=true -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all)
	ninja -C build-asan

run: deps build
	build/pendopo migrate
	build/pendopo serve --demo

test: deps-test
	$(MAKE) --no-print-directory build build-test build-asan
	scripts/run-tests

# The benchmark (issue #8, bench/README.md): the release build against nginx and SQLite on
# this machine. `make bench MODE=growth` measures how cost grows; BENCH_ARGS passes options.
MODE ?= default
bench:
	scripts/bootstrap --bench
	$(call setup,build,-Dbuildtype=release -Dtest_hooks=false)
	ninja -C build pendopo sqlite_ref
	/usr/bin/python3 bench/run --mode $(MODE) $(BENCH_ARGS)

check-source:
	scripts/check-source

clean:
	rm -rf build build-test build-asan

.PHONY: build-test build-asan
