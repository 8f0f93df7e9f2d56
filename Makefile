# Mreža — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast install messages compilemessages run migrate lint bench bench-registry bench-assessment bench-grouping bench-load bench-search bench-load-inprocess api-fuzz ci

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

compilemessages: $(STAMP)
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules --ignore=staticfiles > /dev/null

migrate: $(STAMP)
	$(MANAGE) migrate --noinput

demo: $(STAMP) compilemessages migrate
	MREZA_MFA_REQUIRED=$${MREZA_MFA_REQUIRED:-0} $(MANAGE) load_demo
	@echo ""
	@echo "Mreža is running at http://127.0.0.1:8000/  (stop with Ctrl+C)"
	@echo "Two-factor authentication is not enforced in the demo; set MREZA_MFA_REQUIRED=1 to try it."
	MREZA_MFA_REQUIRED=$${MREZA_MFA_REQUIRED:-0} $(MANAGE) runserver 127.0.0.1:8000

run: $(STAMP)
	$(MANAGE) runserver 127.0.0.1:8000

test: $(STAMP) compilemessages
	$(BIN)/pytest -n 2 --dist loadfile

# The inner loop: everything but the browser tests (marked `browser`); `make test` before pushing.
test-fast: $(STAMP) compilemessages
	$(BIN)/pytest -n 2 --dist loadfile -m "not browser"

# ruff's rules, the formatter's layout and mypy (files and strictness in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Regenerate the English source catalogue and merge it into every language (then translate the .po files).
messages: $(STAMP)
	$(MANAGE) makemessages --all --no-location --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=browser_tests --ignore=bench --ignore=tests
	$(MANAGE) derive_serbian_latin

bench: bench-registry bench-assessment bench-grouping

bench-registry: $(STAMP)
	$(BIN)/python -m bench.registry

bench-assessment: $(STAMP)
	$(BIN)/python -m bench.assessment

# realistic suite, 10 seeds per size (about 55 min, plus about 1.5 h on a fresh clone for the exact
# 143 optima, then cached in bench/results/); GROUPING_ARGS=--quick: 3 seeds for 143 and 1,000, 1 beyond
bench-grouping: $(STAMP)
	$(BIN)/python -m bench.grouping.run $(GROUPING_ARGS)

# Key pages under load (wrk, gunicorn, PostgreSQL on 127.0.0.1; ~10 minutes with the data set).
# BENCH_LOAD_ARGS: --quick, --reuse-db, --restart-db (see bench/load/__main__.py).
bench-load: $(STAMP)
	$(BIN)/python -m bench.load $(BENCH_LOAD_ARGS)

ci:
	bash .ci/run

# The API against its own schema: schemathesis on every operation, no 5xx and no schema violation
# (about 5 min with the demo data). API_FUZZ_ARGS: --max-examples N (25), --reuse-db, --seed N
api-fuzz: $(STAMP) compilemessages
	$(BIN)/python -m bench.api_fuzz $(API_FUZZ_ARGS)

# Full-text search of 50,000 good practices on PostgreSQL: p50/p95/max and the query plan.
bench-search: $(STAMP)
	$(BIN)/python -m bench.practices_search $(BENCH_SEARCH_ARGS)

# Each key page in-process (queries, cache round trips, SQL and CPU ms, Python calls per request) on
# a database already built by bench-load; see bench/load/inprocess.py for its environment.
bench-load-inprocess: $(STAMP)
	$(BIN)/python -m bench.load.inprocess $(BENCH_INPROCESS_ARGS)
