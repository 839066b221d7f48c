# The two commands: `make run` and `make test`. Everything else is what they use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEMO_SUBJECTS ?= 20000

BROWSER_PACKAGES := chromium fonts-wqy-zenhei
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-later install lock web http-audit browser client-contract lint schema

install: $(VENV)/.installed

# pip first (requirements-pip.lock: a current pip installs the rest in half the time), then every package, ours and
# all they pull in, at the versions and hashes of requirements.lock; then this project, with no dependencies of its
# own resolved. Plain pip: the lock's tool (uv) is needed only by `make lock`.
export PIP_DISABLE_PIP_VERSION_CHECK = 1
$(VENV)/.installed: requirements-pip.lock requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (Python 3.11 or 3.12)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-pip.lock
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check >/dev/null || { $(BIN)/pip check; echo "requirements.lock is out of step with pyproject.toml: make lock"; exit 1; }
	touch $@

# Regenerates requirements.lock from pyproject.toml (dependencies, the dev extra, the build system) for Python 3.11
# and 3.12 on every platform, with the hashes of every file, and requirements-pip.lock (pip). Run after changing a
# dependency.
UV_VERSION := 0.13.9
LOCK_VENV := .venv-lock
lock:
	@test -x $(LOCK_VENV)/bin/uv || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet uv==$(UV_VERSION); }
	$(LOCK_VENV)/bin/python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['build-system']['requires'], sep='\n')" > $(LOCK_VENV)/build-system.in
	$(LOCK_VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --extra dev --generate-hashes \
		--custom-compile-command 'make lock' --output-file requirements.lock pyproject.toml $(LOCK_VENV)/build-system.in
	echo pip | $(LOCK_VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command 'make lock' --output-file requirements-pip.lock -

# Unset, CREDIT_GRAPH_ENV means production (RS256 tokens and a configured server secret); the two commands develop.
run: export CREDIT_GRAPH_ENV = development
run: install web
	$(BIN)/credit-graph neo4j start
	$(BIN)/credit-graph migrate
	$(BIN)/credit-graph seed --subjects $(DEMO_SUBJECTS) --if-empty
	$(BIN)/credit-graph serve

test: export CREDIT_GRAPH_ENV = development
test: install web http-audit browser client-contract
	$(BIN)/pytest

# The tests that read the clock (marked `dated` by tests/conftest.py: they take the clock, now or today fixtures or
# the demo data) again, as if today were TEST_LATER: what the code dates (deadlines, windows, the demo data) is checked
# years past the days the sample and the code were written on. CI runs it after `make test` (docs: README, "Tests").
TEST_LATER ?= 2029-07-01
test-later: export CREDIT_GRAPH_ENV = development
test-later: install web http-audit browser
	CREDIT_GRAPH_TEST_TODAY=$(TEST_LATER) $(BIN)/pytest -m dated

# What front-end teams build on, checked with their tools: graphql-codegen (typescript, typescript-operations) over
# schema.graphql and examples/operations/, then tsc over the screens in web/contract/ that use the generated types.
client-contract: web
	npm run contract --prefix web --silent

# Browser libraries from npm, pinned by web/package-lock.json (cytoscape.js draws /graph/{code}), and GraphiQL for
# GET /graphql, bundled from them by esbuild into web/dist/graphiql/ (about 10 s; made here, never committed).
web: web/node_modules/.package-lock.json web/dist/graphiql/graphiql.js

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm is required (Node.js 18 or later) for the pages' browser libraries"; exit 1; }
	npm ci --prefix web --no-audit --no-fund --silent

web/dist/graphiql/graphiql.js: web/node_modules/.package-lock.json $(wildcard web/graphiql/*)
	npm run build --prefix web --silent

# The GraphQL over HTTP spec's reference audit (graphql-http), pinned by tests/http_audit/package-lock.json.
http-audit: tests/http_audit/node_modules/.package-lock.json

tests/http_audit/node_modules/.package-lock.json: tests/http_audit/package.json tests/http_audit/package-lock.json
	@command -v npm >/dev/null || { echo "npm is required (Node.js 18 or later) for the GraphQL over HTTP audit"; exit 1; }
	npm ci --prefix tests/http_audit --no-audit --no-fund --silent

# The report page is checked in a real headless Chromium: Debian's, with a font that has Chinese glyphs.
browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi wenquanyi; then \
		command -v apt-get >/dev/null || { echo "Install Chromium and a CJK font ($(BROWSER_PACKAGES))"; exit 1; }; \
		$(SUDO) apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null \
			|| { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null; }; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

schema: install
	$(BIN)/credit-graph schema > schema.graphql
