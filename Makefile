# Rasd developer tasks. The two that matter on a fresh machine:
#   make run    set up, build data/processed from data/raw if stale, start the dashboard
#   make test   set up (incl. Chromium), then ruff, mypy and every pytest test
# Set-up is driven by file timestamps, so repeating a command costs nothing.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful install; newer lock or pyproject => reinstall.
# --compile-bytecode: environments that set PYTHONDONTWRITEBYTECODE would otherwise
# recompile every imported module in every process (measured: 1.3 s per build start).
STAMP := $(VENV)/.installed
PORT ?= 8501
UV_VERSION ?= 0.13.9
PYTEST_ARGS ?=

RAW := $(wildcard data/raw/*)
# What a build reads besides the corpus: its code and the curated lexicons.
BUILD_INPUTS := $(RAW) $(wildcard rasd/*.py) $(shell find data/gazetteer -type f 2>/dev/null)
PROCESSED := data/processed
MANIFEST := $(PROCESSED)/manifest.json
BUILD := $(BIN)/rasd build data/raw --out $(PROCESSED)

# Lint whatever exists yet; the package and app are written in parallel.
LINT_PATHS := $(wildcard rasd components pages tests app.py benchmarks)

# Browser tests use Debian's chromium (Playwright's download is not reachable from CI);
# the Noto fonts give Arabic real glyph metrics.
CHROMIUM_BIN := /usr/bin/chromium
ARABIC_FONT := /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf
# Root needs no sudo; otherwise use it when present (apt-get then explains what failed).
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends

.PHONY: help run test lint build chromium clean distclean

help:
	@echo "make run      set up, build data/processed if stale, streamlit on PORT=$(PORT)"
	@echo "make test     set up (+ chromium), ruff, mypy, pytest (PYTEST_ARGS=...)"
	@echo "make lint     ruff + mypy"
	@echo "make build    rebuild data/processed from data/raw"
	@echo "make clean    remove built data and caches (distclean: also .venv)"

# --- environment -------------------------------------------------------------------

# bin/pip, not bin/python: a venv whose ensurepip failed still has bin/python.
$(BIN)/pip:
	$(PYTHON) -m venv $(VENV) || { \
	  echo "python3 -m venv failed; installing python3-venv and retrying"; \
	  rm -rf $(VENV); \
	  $(SUDO) apt-get update && $(APT_INSTALL) python3-venv && $(PYTHON) -m venv $(VENV); }

$(STAMP): $(BIN)/pip requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --compile-bytecode -r requirements.lock --python $(BIN)/python
	$(BIN)/uv pip install --no-deps -e . --python $(BIN)/python
	touch $@

chromium:
	@if [ ! -x $(CHROMIUM_BIN) ] || [ ! -f $(ARABIC_FONT) ]; then \
	  echo "Installing Debian chromium and fonts-noto-core for browser tests"; \
	  $(SUDO) apt-get update && $(APT_INSTALL) chromium fonts-noto-core; \
	fi

# --- data ----------------------------------------------------------------------------

# Rebuild only when a raw file, the build code or a lexicon is newer than the last build. The build writes the
# directory atomically, so a failed build leaves the old manifest (and timestamp) alone.
$(MANIFEST): $(BUILD_INPUTS) | $(STAMP)
	$(BUILD)

build: $(STAMP)
	$(BUILD)

# --- tasks -----------------------------------------------------------------------------

run: $(STAMP) $(MANIFEST)
	$(BIN)/streamlit run app.py --server.headless true --server.port $(PORT)

# Each check runs even if an earlier one failed, so one CI log shows every problem.
lint: $(STAMP)
	@status=0; \
	$(BIN)/ruff check $(LINT_PATHS) || status=1; \
	if [ -n "$(wildcard rasd/*.py)" ]; then $(BIN)/mypy || status=1; \
	else echo "mypy: rasd/ has no modules yet"; [ "$${CI:-}" != true ] || status=1; fi; \
	exit $$status

test: $(STAMP) chromium
	@status=0; \
	$(MAKE) --no-print-directory lint || status=1; \
	$(BIN)/pytest $(PYTEST_ARGS) || status=1; \
	exit $$status

clean:
	rm -rf $(PROCESSED) .pytest_cache .mypy_cache .ruff_cache .hypothesis test-results
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
