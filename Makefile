# OneDoor — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PORT ?= 8000
# The OpenAPI file is generated for PostgreSQL (integer ranges follow the engine) and in English;
# generating it connects to no database.
SPECTACULAR := DATABASE_URL=postgres://openapi@127.0.0.1:1/unused DJANGO_SETTINGS_MODULE=onedoor.settings.test \
	$(BIN)/onedoor spectacular --lang en --validate --fail-on-warn

.PHONY: demo test pytest lint format bench openapi messages locale clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 ($(PYTHON)) is required." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

locale: $(STAMP)
	$(BIN)/pybabel compile --domain django --directory src/onedoor/locale --use-fuzzy --statistics

## demo: set everything up and run the platform on SQLite with pilot data (honours PORT)
demo: $(STAMP) locale
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { test "$$(id -u)" = 0 \
		&& apt-get install -y -q --no-install-recommends fonts-dejavu-core; } \
		|| echo "Install fonts-dejavu-core to print e-assistant applications (PDF)." >&2
	DJANGO_SETTINGS_MODULE=onedoor.settings.demo exec $(BIN)/onedoor demo

## test: install what is missing, start throw-away PostgreSQL and Redis, lint, run the whole suite
test: $(STAMP) locale
	scripts/with-test-services.sh $(MAKE) --no-print-directory lint pytest

pytest: $(STAMP)
	$(BIN)/pytest

## lint: ruff, mypy, import contracts, missing migrations, OpenAPI drift
lint: $(STAMP)
	mkdir -p var
	$(BIN)/ruff check src benchmarks
	$(BIN)/ruff format --check src benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=onedoor.settings.test $(BIN)/onedoor makemigrations --check --dry-run
	$(SPECTACULAR) --file var/openapi-check.yaml
	diff -u openapi.yaml var/openapi-check.yaml || { echo "openapi.yaml is out of date: run 'make openapi'" >&2; exit 1; }

format: $(STAMP)
	$(BIN)/ruff check --fix src benchmarks
	$(BIN)/ruff format src benchmarks

## openapi: regenerate the committed OpenAPI file
openapi: $(STAMP)
	$(SPECTACULAR) --file openapi.yaml

## bench: benchmarks against a throw-away PostgreSQL (prints figures, never fails on timing)
bench: $(STAMP) locale
	scripts/with-test-services.sh $(BIN)/python -m benchmarks
	scripts/with-test-services.sh $(BIN)/python -m benchmarks.eaccount_history
	scripts/with-test-services.sh $(BIN)/python -m benchmarks.workplace

## messages: refresh the translation catalogue after changing user-facing text (needs GNU gettext)
messages: $(STAMP)
	cd src/onedoor && DJANGO_SETTINGS_MODULE=onedoor.settings.test ../../$(BIN)/onedoor makemessages --locale lv --no-obsolete --ignore 'static/*'

clean:
	rm -rf $(VENV) var build src/*.egg-info
