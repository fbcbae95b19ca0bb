# bayyina — the set-up commands.  `make demo` and `make test` work on a fresh machine.
#
#   make demo         venv, `bayyina init`, ingest examples/ into the embedded SQLite store, serve
#   make test         venv + system packages (PostgreSQL) + the whole suite on SQLite and PostgreSQL
#   make lint         mypy + ruff (make test runs them too)
#   make bench        run the benchmarks bench/bench_*.py (not tests: they print ratios)
#   make venv         .venv with bayyina installed editable, plus test tools
#   make native       compile the extraction with mypyc into .venv/bayyina-native (demo, test, bench do it)
#   make system-deps  apt-get install what the tests need (PostgreSQL), only if missing
#
# Knobs: PYTHON=python3 (default: scripts/pick-python.sh), PYTEST_ARGS="-k vault", DEMO_HOME=data, HOST=127.0.0.1, PORT=8000,
#        BAYYINA_REQUIRE_PG=0 (let PostgreSQL tests skip when it is not installed),
#        BAYYINA_REQUIRE_BROWSER=0 (let the Chromium tests skip when it is not installed),
#        BENCH=bench/bench_verify.py BENCH_ARGS="--size-mb 64" (one benchmark, its options),
#        NATIVE=0 (skip the mypyc build; the sources run as they are, slower).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# The interpreter .venv is made with: the distribution's /usr/bin/python3 when it is 3.11+ with
# venv and headers (built with PGO + LTO: extraction about 1.2x faster), else python3 on PATH.
PYTHON ?= $(shell scripts/pick-python.sh)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.bayyina-installed
PIP := $(BIN)/python -m pip --disable-pip-version-check --no-input
PYTEST_ARGS ?=
BAYYINA_REQUIRE_PG ?= 1
BAYYINA_REQUIRE_BROWSER ?= 1
DEMO_HOME ?= data
# The example reports (examples/README.md describes them; it is not one).
DEMO_FILES = $(filter-out %/README.md,$(sort $(wildcard examples/*)))
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH ?= bench/bench_*.py
BENCH_ARGS ?=

.PHONY: help venv native demo test pytest typecheck lint bench system-deps clean

help:
	@sed -n '1,12p' Makefile | sed 's/^# \{0,1\}//'

# --- environment -------------------------------------------------------------

venv: $(STAMP)

# Reinstalled whenever pyproject.toml changes (others add dependencies there).
$(STAMP): pyproject.toml
	@scripts/system-deps.sh python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --progress-bar off -q -e '.[test]'
	@touch $@

system-deps:
	@scripts/system-deps.sh test

# The extraction compiled with mypyc, outside src/ (bayyina/native.py loads it only while it
# matches the sources). Quick when up to date; a failed build only warns: the sources then run.
NATIVE ?= 1
native: venv
	@if [ "$(NATIVE)" = "0" ]; then echo "native: skipped (NATIVE=0)"; \
	else $(BIN)/python scripts/build_native.py || echo "WARNING: the mypyc build failed; extraction runs uncompiled (slower)"; fi

# --- the two set-up commands -------------------------------------------------

demo: native
	@mkdir -p $(DEMO_HOME)
	@echo "== bayyina init (home: $(DEMO_HOME), embedded SQLite store)"
	env -u BAYYINA_DATABASE_URL BAYYINA_HOME=$(DEMO_HOME) $(BIN)/bayyina init
	@echo "== bayyina ingest the example reports in examples/"
	env -u BAYYINA_DATABASE_URL BAYYINA_HOME=$(DEMO_HOME) $(BIN)/bayyina ingest $(DEMO_FILES)
	@echo "== what is in the vault"
	env -u BAYYINA_DATABASE_URL BAYYINA_HOME=$(DEMO_HOME) $(BIN)/bayyina documents list
	@echo "== the incidents those reports describe (merged across documents, with confidence)"
	env -u BAYYINA_DATABASE_URL BAYYINA_HOME=$(DEMO_HOME) $(BIN)/bayyina incidents resolve
	env -u BAYYINA_DATABASE_URL BAYYINA_HOME=$(DEMO_HOME) $(BIN)/bayyina incidents list
	@echo "== a demo administrator (kept as it is on re-runs)"
	echo "bayyina-demo" | env -u BAYYINA_DATABASE_URL BAYYINA_HOME=$(DEMO_HOME) $(BIN)/bayyina users add demo --role admin --password-stdin --exist-ok
	@echo "== serving http://$(HOST):$(PORT)/ (Ctrl-C to stop): log in as demo / bayyina-demo"
	env -u BAYYINA_DATABASE_URL BAYYINA_HOME=$(DEMO_HOME) $(BIN)/bayyina serve --host $(HOST) --port $(PORT)

# The whole suite: pytest (SQLite + PostgreSQL), then mypy and ruff.
# All always run, so one CI log shows every failure.
test: native system-deps
	@rc=0; $(MAKE) --no-print-directory pytest || rc=1; $(MAKE) --no-print-directory lint || rc=1; \
	if [ $$rc -ne 0 ]; then echo "make test: FAILED (see above)"; else echo "make test: all passed"; fi; exit $$rc

# pytest exit 5 = "no tests collected": a warning, not a failure.
pytest:
	@rc=0; BAYYINA_REQUIRE_PG=$(BAYYINA_REQUIRE_PG) BAYYINA_REQUIRE_BROWSER=$(BAYYINA_REQUIRE_BROWSER) $(BIN)/pytest -ra --durations=10 $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "WARNING: pytest collected no tests (exit 5); treating as success."; rc=0; fi; \
	exit $$rc

typecheck: venv
	$(BIN)/mypy src

lint: venv typecheck
	$(BIN)/ruff check src tests

# --- benchmarks (not tests) --------------------------------------------------

bench: native
	$(PIP) install --progress-bar off -q -e '.[test,bench]'
	@shopt -s nullglob; scripts=($(BENCH)); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "bench: no benchmarks under bench/ yet"; exit 0; fi; \
	rc=0; for s in "$${scripts[@]}"; do echo "== $$s $(BENCH_ARGS)"; $(BIN)/python "$$s" $(BENCH_ARGS) || rc=1; done; exit $$rc

# Scale benchmark (issue 8; docs/scale.md): N synthetic reports, ingest serial vs Dask, peak RSS, search p95.
#   make bench-scale N=100000 SCALE_ARGS="--serial-docs 2000 --workers 2 --json bench-scale.jsonl"
N ?= 10000
SCALE_ARGS ?=
.PHONY: bench-scale
bench-scale: venv
	$(BIN)/python bench/bench_scale.py --docs $(N) $(SCALE_ARGS)

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache build dist test-artifacts
