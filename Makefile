# make demo  — set up .venv and run the main job on the shipped case (memos in reports/)
# make test  — set up .venv and run the test suite
PYTHON ?= python3
VENV   := .venv
# The memo date of the committed reports: an input, so that the memos are reproducible.
DEMO_DATE ?= 2026-11-28
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
TESTSTAMP := $(VENV)/.installed-test-stamp

.PHONY: setup compile demo test lint bench clean

# make demo installs only what the main job needs; make test adds the test tools
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "policyeval needs Python 3.11 or newer (set PYTHON=python3.11)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(STAMP)

# The package's bytecode, compiled beside its source (an editable install compiles nothing,
# and with PYTHONDONTWRITEBYTECODE set Python would compile every module at every run:
# 0.07 s of each command); up-to-date files are skipped, stale ones are never used.
compile: $(STAMP)
	@$(BIN)/python -m compileall -q src

$(TESTSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(TESTSTAMP)

setup: $(TESTSTAMP)

demo: $(STAMP) compile
	$(BIN)/policyeval validate
	$(BIN)/policyeval rank --packages --method all
	$(BIN)/policyeval sensitivity --packages
	$(BIN)/policyeval optimize
	$(BIN)/policyeval report --all --date $(DEMO_DATE)

test: $(TESTSTAMP) compile
	@bash scripts/sysdeps.sh test
	$(BIN)/python -m pytest

lint: $(TESTSTAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: $(TESTSTAMP) compile
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache build src/*.egg-info
