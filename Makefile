# Set-up and everyday commands. `make run` and `make test` work on a fresh machine with
# Python 3.11+: they create .venv and install the pinned dependencies first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install run test fixtures lint format schema bench

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(INSTALLED)

install: $(INSTALLED)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_directory
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest

fixtures: install
	$(BIN)/python manage.py build_fixtures

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: install
	$(BIN)/python manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn

# Speed at scale through gunicorn against PostgreSQL (BENCH_DATABASE_URL), written to
# docs/benchmarks.md; the first run fills the database (minutes). QUICK=1: a small smoke run.
bench: install
	QUICK=$(QUICK) $(BIN)/python benchmarks/run.py
