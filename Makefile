# Set-up and everyday commands. `make run` and `make test` work on a fresh machine with
# Python 3.11+: they create .venv and install the pinned dependencies first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install run serve load test fixtures lint format schema

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(INSTALLED)

install: $(INSTALLED)

# The development server, with DEBUG on.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_directory
	DEBUG=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
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
	$(BIN)/python manage.py load_directory && \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	exec $(BIN)/gunicorn

test: install
	DEBUG=1 $(BIN)/pytest

# A bounded load test (locust, headless) against a running `make serve` on loopback. Start the
# server with a rate limit above the test's, e.g. `API_RATE_ANONYMOUS=100000/minute make serve`.
# Any answer but 200 is an error, and any error fails the run.
LOAD_HOST ?= http://127.0.0.1:8000
LOAD_USERS ?= 20
LOAD_SPAWN_RATE ?= 5
LOAD_TIME ?= 60s
load: install
	$(BIN)/locust --version >/dev/null 2>&1 || $(BIN)/pip install --quiet -e ".[load]"
	case "$(LOAD_HOST)" in http://127.0.0.1:*|http://localhost:*) ;; \
		*) echo "make load runs against a server on loopback only"; exit 2;; esac
	$(BIN)/locust -f load/locustfile.py --headless --host $(LOAD_HOST) \
		--users $(LOAD_USERS) --spawn-rate $(LOAD_SPAWN_RATE) --run-time $(LOAD_TIME) \
		--stop-timeout 10 --only-summary

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
