# Set-up and checks. `make test` is what CI runs (.ci/run).
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install system-deps test lint types check

$(BIN)/advisor: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/advisor

# Debian's Chromium drives the operators' page in a browser test (skipped when absent).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and cannot be installed here: its browser test will skip"; fi; }

test: install system-deps
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/ruff format --check bot

types: install
	$(BIN)/mypy

check: lint types test
