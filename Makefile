# Set-up and everyday commands. `make run` and `make test` work on a fresh machine with
# Python 3.11+: they create .venv and install the pinned dependencies first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install run serve load bench test fixtures map-data lint format schema messages

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(INSTALLED)

install: $(INSTALLED)

# The development server, with DEBUG on, and the background worker (large imports) beside it.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_fixtures
	DEBUG=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=1 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# The production server (gunicorn.conf.py), with DEBUG off, on http://127.0.0.1:8000.
# Without SECRET_KEY in the environment it uses one generated once into .secret-key. Plain
# HTTP on loopback needs SECURE_SSL_REDIRECT=0 (the default here; set 1 behind HTTPS).
SECRET_KEY_FILE := .secret-key
$(SECRET_KEY_FILE): | $(INSTALLED)
	umask 077 && $(BIN)/python -c \
		"from django.core.management.utils import get_random_secret_key as key; print(key())" > $@

serve: install $(SECRET_KEY_FILE)
	export DEBUG=0 \
		SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}" \
		ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
		SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-0}" && \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py load_fixtures && \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	exec $(BIN)/gunicorn

# A load run against the production server on PostgreSQL (loadtest/run.py says how to size
# it); writes docs/reliability.md and fails on any failed request.
load: install
	$(BIN)/pip install --quiet -e ".[load]"
	$(BIN)/python loadtest/run.py

test: install
	DEBUG=1 $(BIN)/pytest

fixtures: install
	$(BIN)/python manage.py build_fixtures

# The map's outlines and the fixtures' cities' coordinates, into orgs/data/map.json.
map-data: install
	$(BIN)/pip install --quiet -e ".[build]"
	DEBUG=1 $(BIN)/python manage.py build_map_data

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: install
	$(BIN)/python manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn

# The interface's translations: collect new and changed texts into locale/*/django.po, then
# (once translated) compile them into the committed .mo files.
messages: install
	$(BIN)/python manage.py makemessages -l fr -l de -l ar --no-location --no-obsolete \
		--ignore=.venv --ignore=tests --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Speed at scale through gunicorn against PostgreSQL (BENCH_DATABASE_URL), written to
# docs/benchmarks.md: warm requests, the long tail of requests nobody made before (each once, on
# an empty cache), a mixed load with an edit a second, and the whole CSV against its COPY floor.
# The first run fills the database (minutes). QUICK=1: a small smoke run.
bench: install
	QUICK=$(QUICK) $(BIN)/python benchmarks/run.py
