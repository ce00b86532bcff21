# Кабинет — two commands: `make run` serves the cabinet, `make test` runs every test.
# Everything is installed inside the project (.venv, tools/js/node_modules); a second
# run reinstalls nothing unless a lock or package file changed.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
BUN := $(CURDIR)/tools/js/node_modules/.bin/bun
PORT ?= 3000

export PATH := $(BIN):$(PATH)
export REFLEX_BUN_PATH := $(BUN)
export PYTHONUNBUFFERED := 1
# The backend accepts calls only from pages at PUBLIC_URL (CORS and the event socket's Origin check),
# so a different PORT must move PUBLIC_URL with it (unless PUBLIC_URL is set here or in .env).
ifneq ($(PORT),3000)
export PUBLIC_URL ?= http://localhost:$(PORT)
endif

.PHONY: help run dev run-prod test lint test-unit test-e2e lock migrate migrate-revision seed-demo setup chromium clean

help:
	@echo "make run      install what is missing, migrate, load demo data, serve on http://localhost:$(PORT)"
	@echo "make test     install what is missing (Chromium too) and run the whole test suite"
	@echo "make dev      like run, with hot reload"
	@echo "make run-prod serve on PostgreSQL + Redis with several backend workers (see README)"
	@echo "make lint     formatting, lint rules and the import contracts (the first step of make test)"
	@echo "make lock     re-pin the dependency tree after editing requirements*.txt (see README)"

# --- installation (stamp files make second runs instant) ----------------------------
# Installed from the locks: every package of the tree pinned, each file checked against its hash.
# Stamps are named after the locks' content, not their time: `reflex run` touches
# requirements.txt on every start, which would force a reinstall.

RUNTIME_STAMP := $(VENV)/.runtime-$(shell cat requirements.lock | sha1sum | cut -c1-12)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements.lock requirements-dev.lock | sha1sum | cut -c1-12)
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes

$(RUNTIME_STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.lock
	@rm -f $(VENV)/.runtime-* && touch $@

$(DEV_STAMP): $(RUNTIME_STAMP)
	$(PIP_INSTALL) -r requirements-dev.lock
	@rm -f $(VENV)/.dev-* && touch $@

# The locks come from requirements*.txt (what the code uses directly) through pip-tools, kept in a
# venv of its own. Resolved against the package index alone, whatever this machine's pip config adds
# (local wheel folders would make a lock that only resolves here). Existing pins are kept unless
# UPGRADE=1, which moves every package not pinned in requirements*.txt to its newest release.
LOCK_TOOLS := $(VENV)/lock-tools
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null $(LOCK_TOOLS)/bin/pip-compile \
	--quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
	$(if $(UPGRADE),--upgrade)

lock:
	@test -x $(LOCK_TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_TOOLS) && \
	  $(LOCK_TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check pip-tools==7.6.2; }
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --constraint requirements.lock --output-file requirements-dev.lock requirements-dev.txt

$(BUN): tools/js/package.json tools/js/package-lock.json
	cd tools/js && npm ci --no-audit --no-fund --loglevel=error
	@test -x $@ && touch $@

setup: $(RUNTIME_STAMP) $(BUN)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's Chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# --- running -------------------------------------------------------------------------

migrate: setup
	$(BIN)/python -m cabinet migrate

# A new revision from the difference between the models and the migrated database.
migrate-revision: migrate
	@test -n "$(MESSAGE)" || { echo 'Usage: make migrate-revision MESSAGE="what changed"'; exit 2; }
	$(BIN)/alembic revision --autogenerate -m "$(MESSAGE)"

seed-demo: migrate
	$(BIN)/python -m cabinet seed-demo

run: seed-demo
	@echo "Starting Кабинет on http://localhost:$(PORT) (Ctrl+C stops it)"
	$(BIN)/reflex run --env prod --frontend-port $(PORT)

dev: seed-demo
	$(BIN)/reflex run --env dev

run-prod: setup
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL=postgresql+psycopg://... (see README)"; exit 2; }
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL=redis://127.0.0.1:6379/0 (see README)"; exit 2; }
	$(BIN)/python -m cabinet migrate
	$(BIN)/python -m cabinet seed-demo
	REFLEX_REDIS_URL="$$REDIS_URL" $(BIN)/reflex run --env prod --frontend-port $(PORT)

# --- tests ---------------------------------------------------------------------------

test: $(DEV_STAMP) $(BUN) chromium
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-e2e

# The gate: one formatting, the lint rules and the layers' import contracts (pyproject.toml).
lint: $(DEV_STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Browser tests run in their own pytest process: pytest-playwright's event loop
# and other async fixtures do not mix in one process.
test-unit: $(DEV_STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/e2e --ignore=tests/stack -q

test-e2e: $(DEV_STAMP) $(BUN) chromium
	$(BIN)/python -m pytest tests/e2e -q
	$(BIN)/python -m pytest tests/stack -q

clean:
	rm -rf .web .states
