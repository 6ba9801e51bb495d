# Vmeste: `make run` serves the app with demo data, `make test` runs every test.
# Everything is set up on first use: a virtualenv in .venv, packages, instance/, the database.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := app

.PHONY: screenshots run test test-fast bench chaos contest-day e2e lint translations extract-messages migrate-check setup clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

translations: $(VENV)/.installed
	@for dir in translations/*/; do $(BIN)/pybabel compile -d $$dir 2>&1 | grep -v '^compiling catalog' || true; done

setup: $(VENV)/.installed translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo

run: setup
	@echo "Serving Vmeste on http://127.0.0.1:$(PORT) (Ctrl+C stops it)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# pytest's exit code 5 means "no tests collected" (e.g. a -k that matches nothing): not a failure.
test: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS) || { status=$$?; [ $$status -eq 5 ] && echo "pytest: no tests ran"; [ $$status -eq 5 ]; }

test-fast: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest -m "not e2e" -x -q $(PYTEST_ARGS)

e2e: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

screenshots: $(VENV)/.installed-dev translations
	UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -q -m e2e $(PYTEST_ARGS)

# Every scenario on SQLite and on a throwaway PostgreSQL 15, each page's ratio to a bare Flask page
# beside its bar (bench/README.md). BENCH_DATABASES=sqlite runs one database, BENCH_SCENARIOS=library
# one room, BENCH_BEFORE=earlier.json prints before and after.
bench: $(VENV)/.installed-dev translations
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null; } || true
	@$(BIN)/python -m bench.run

# Pupils save quiz answers on PostgreSQL while one gunicorn worker is killed (bench/README.md);
# fails when an acknowledged answer is missing. CHAOS_SECONDS=10 for a short run.
chaos: $(VENV)/.installed-dev translations
	@$(BIN)/python -m bench.chaos

# An olympiad round day (bench/README.md «Contest day»): 1,000 pupils on one node (SQLite, PostgreSQL),
# 2,000 on two nodes behind nginx with Redis; nginx and redis-server installed when missing (as root).
contest-day: $(VENV)/.installed-dev translations
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { [ "$$(id -u)" = 0 ] && apt-get install -y -q --no-install-recommends nginx >/dev/null; } || true
	@command -v redis-server >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q --no-install-recommends redis-server >/dev/null; } || true
	@$(BIN)/python -m bench.contest_day

# The gates of issue 10: ruff, the import contracts (setup.cfg [importlinter]), mypy over the domain
# (setup.cfg [mypy]); tests/test_architecture.py holds the module-size gate and runs with the tests.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

extract-messages: $(VENV)/.installed-dev
	$(BIN)/pybabel extract -F babel.cfg -k _ -k lazy_ -k _l -o /tmp/vmeste-messages.pot . -q
	@echo "Template written to /tmp/vmeste-messages.pot; tests/test_translations.py lists what is missing."

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
