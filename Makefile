# The two commands: `make run` and `make test`. Everything else is what they use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEMO_SUBJECTS ?= 20000

.PHONY: run test install lint schema bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (Python 3.11 or 3.12)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: install
	$(BIN)/credit-graph neo4j start
	$(BIN)/credit-graph migrate
	$(BIN)/credit-graph seed --subjects $(DEMO_SUBJECTS) --if-empty
	$(BIN)/credit-graph serve

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

schema: install
	$(BIN)/credit-graph schema > schema.graphql
