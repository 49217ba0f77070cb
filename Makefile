# Opgroeien: the two commands a newcomer needs are `make run` and `make test` (see README.md).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
SCHEMA := docs/openapi.yaml
# The schema is generated as for PostgreSQL (production), whatever DATABASE_URL says: integer
# limits in it come from the database backend (SQLite's differ). Nothing connects to this URL.
SPECTACULAR := DATABASE_URL=postgres://schema@127.0.0.1:1/schema_only $(MANAGE) spectacular \
	--validate --fail-on-warn
# Debian packages the project needs on the machine: Chromium for the end-to-end tests
# (Playwright drives /usr/bin/chromium; it never downloads a browser), gettext for msgfmt,
# Pango/HarfBuzz and a font for WeasyPrint (PDF export of wijkplannen, beschikkingen).
DEB_PACKAGES := chromium gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	fonts-dejavu-core
# Keep in sync with MAKEMESSAGES in .ci/check_translations.py.
MAKEMESSAGES := makemessages -l nl --ignore=.venv --ignore=node_modules --ignore=var \
	--ignore=tests --ignore=bench --ignore=build --add-location=file --no-obsolete
COMPILEMESSAGES := compilemessages -l nl --ignore=.venv --ignore=node_modules --ignore=var

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: help setup system-packages run test check-translations check-schema bench schema \
	messages clean

help:
	@echo "make run    set everything up, load the Groningen demo and serve http://$(HOST):$(PORT)/"
	@echo "            (with the task worker and the scheduler; Ctrl+C stops all)"
	@echo "make test   set everything up and run all checks and the whole test suite"
	@echo "make bench  run the benchmarks (bench/run_all.py)"
	@echo "make schema regenerate $(SCHEMA);  make messages  update locale/nl"
	@echo "make clean  remove .venv, node_modules, var/ (including the SQLite database), caches"

# --- setup: idempotent; reinstalls only what changed -------------------------------------

setup: $(VENV)/.installed node_modules/.installed system-packages
	@mkdir -p var

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --editable '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

system-packages:
	@missing=""; \
	for pkg in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
	  echo "NOTE: missing system packages:$$missing (no apt-get as root here)."; \
	  echo "      Install them yourself; the end-to-end tests need /usr/bin/chromium."; \
	fi

# --- run ------------------------------------------------------------------------------------

run: setup
	$(MANAGE) migrate --no-input
	$(MANAGE) $(COMPILEMESSAGES)
	$(MANAGE) load_demo
	@echo
	@echo "Opgroeien runs at http://$(HOST):$(PORT)/  (log in with a demo account above;"
	@echo "Groningen: http://$(HOST):$(PORT)/groningen/). Web server, task worker and scheduler"
	@echo "run together (Procfile.dev); Ctrl+C stops all three."
	@echo
	RUN_ADDR=$(HOST):$(PORT) PYTHONUNBUFFERED=1 $(VENV)/bin/honcho -f Procfile.dev start

# --- test -----------------------------------------------------------------------------------
# The translations check compares the committed .mo with the committed .po, so it runs before
# compilemessages (which would otherwise rebuild the .mo and hide a stale one).
# pytest's own exit code fails the target, including 5 (no tests collected).

test: setup
	$(PY) .ci/check_translations.py
	$(MANAGE) $(COMPILEMESSAGES)
	$(MANAGE) makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-schema
	$(VENV)/bin/ruff check .
	DEBUG=0 ALLOWED_HOSTS=example.org REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  $(MANAGE) check --deploy --fail-level WARNING
	$(PY) -m pytest tests $(PYTEST_ARGS)

check-translations: setup
	$(PY) .ci/check_translations.py

check-schema:
	@tmp=$$(mktemp --suffix=.yaml); trap 'rm -f "$$tmp"' EXIT; \
	$(SPECTACULAR) --file "$$tmp"; \
	if ! diff -u $(SCHEMA) "$$tmp"; then \
	  echo "$(SCHEMA) differs from the API (diff above): run 'make schema' and commit it."; \
	  exit 1; \
	fi; \
	echo "OpenAPI: $(SCHEMA) matches the API."

# --- other ----------------------------------------------------------------------------------

bench: setup
	$(PY) bench/run_all.py

schema: setup
	$(SPECTACULAR) --file $(SCHEMA)

messages: setup
	$(MANAGE) $(MAKEMESSAGES)
	$(MANAGE) $(COMPILEMESSAGES)

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache test-results *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
