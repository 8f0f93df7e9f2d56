# Mreža — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: demo test install messages compilemessages run migrate lint bench bench-registry bench-assessment bench-grouping ci

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

lint: $(STAMP)
	$(BIN)/ruff check .

# Regenerate the English source catalogue and merge it into every language (then translate the .po files).
messages: $(STAMP)
	$(MANAGE) makemessages --all --no-location --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=browser_tests --ignore=bench --ignore=tests
	$(MANAGE) derive_serbian_latin

bench: bench-registry bench-assessment bench-grouping

bench-registry: $(STAMP)
	$(BIN)/python -m bench.registry

bench-assessment: $(STAMP)
	$(BIN)/python -m bench.assessment

bench-grouping: $(STAMP)
	$(BIN)/python -m bench.grouping.run

ci:
	bash .ci/run
