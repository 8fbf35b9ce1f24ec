# The two commands a newcomer needs: `make run` and `make test`. Each sets up .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-pg test-long test-crash test-fuzz tools lint typecheck contracts check bench bench-big bench-profile clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/crm-tui demo

# The whole suite on SQLite, and the data and service tests (PG_TESTS) on PostgreSQL as well:
# on the server CRM_TUI_TEST_PG names, else on a throwaway cluster started for the run
# (tests/pg_cluster.py); without either, "PostgreSQL: skipped (no server)" and SQLite alone.
PG_TESTS := tests/unit/db,tests/unit/services
test: $(STAMP) tools
	$(BIN)/python -m tests.pg_cluster --under=$(PG_TESTS) $(BIN)/python -m pytest -n auto -q \
	  --durations=30

# The tests using the database (the `db` fixture) on PostgreSQL instead of SQLite: on the
# server CRM_TUI_TEST_PG names, else on a throwaway cluster started for the run
# (tests/pg_cluster.py; PostgreSQL's programs, apt-get install postgresql). Where there is
# neither, it says "skipped: no PostgreSQL" and succeeds.
test-pg: $(STAMP)
	$(BIN)/python -m tests.pg_cluster $(BIN)/python -m pytest -n auto -q --engines=postgresql \
	  -k postgresql tests/unit

# The long runs make test leaves out (marked `long`): the whole journey in tmux, the long crash
# and fuzz runs. A short version of each is in make test.
test-long: $(STAMP) tools
	$(BIN)/python -m pytest -n auto -q -m long

# The real program killed at random points: 200 times each (CRM_TUI_KILLS) while it imports a
# referral, decides an appeal and exports a letter, each run exec'ing crm-tui. The suite kills
# a fork of the loaded program 30 times each (tests/crash).
test-crash: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m long tests/crash

# The property tests with thousands of examples each (HYPOTHESIS_PROFILE=fuzz; the suite's
# profile runs a few dozen).
test-fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -n 2 -q tests/fuzz \
	  tests/unit/services/evidence/test_log_sheet_csv.py tests/unit/services/evidence/test_charts.py

# The end-to-end tests drive the real program in tmux; the letters' tests look at the printed
# page through poppler's pdftoppm; the data and service tests run on PostgreSQL too, on a
# throwaway cluster of Debian's `postgresql` package (its programs in /usr/lib/postgresql/N/bin,
# no server of the package's own used). On a fresh Debian machine where we are root (as CI
# is), install them; elsewhere say so, and those tests are skipped.
tools:
	@command -v tmux >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq tmux) >/dev/null; \
	  else echo "tmux is not installed: the end-to-end tests will be skipped"; fi; }
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq poppler-utils) >/dev/null; \
	  else echo "poppler-utils is not installed: the letters' page images will be skipped"; fi; }
	@[ -n "$$CRM_TUI_TEST_PG$$CRM_TUI_PG_BIN" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq postgresql) >/dev/null; \
	  else echo "PostgreSQL is not installed: the tests on PostgreSQL will be skipped"; fi; }

lint: $(STAMP)
	$(BIN)/ruff check crm_tui tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

check: lint typecheck contracts test

# Every figure beside the bare Textual app's, on the demo (a few minutes); the table is
# written to benchmarks/results/. BENCH_ARGS: --runs N, --engine postgresql --db URL, …
# (python -m benchmarks --help).
bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

# The figures at scale too: seeds 100k customers and 5M contacts once (a few minutes).
bench-big: $(STAMP)
	$(BIN)/python -m benchmarks --big $(BENCH_ARGS)

# Where start-up time goes, with cProfile's costliest functions.
bench-profile: $(STAMP)
	$(BIN)/python -m benchmarks.profile_start $(BENCH_DB)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
