# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# The virtualenv is created from uv.lock (pinned) the first time either needs it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
UV := $(PYTHON) -m uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_COMPILE_BYTECODE := 1

.PHONY: run test test-fast lint format bench docs clean-warehouse

$(VENV)/bin/jixiao: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==0.13.8"
	$(UV) sync --frozen --all-extras --python $(PYTHON)
	@touch $@

run: $(VENV)/bin/jixiao  ## build warehouse/jixiao.duckdb from seeds/
	$(VENV)/bin/jixiao run

test: $(VENV)/bin/jixiao  ## every test, slow end-to-end ones included
	$(VENV)/bin/pytest -m "slow or not slow"

test-fast: $(VENV)/bin/jixiao
	$(VENV)/bin/pytest

lint: $(VENV)/bin/jixiao
	$(VENV)/bin/ruff check flows expectations tests benchmarks
	$(VENV)/bin/ruff format --check flows expectations tests benchmarks

format: $(VENV)/bin/jixiao
	$(VENV)/bin/ruff format flows expectations tests benchmarks

bench: $(VENV)/bin/jixiao  ## parser and pipeline throughput
	$(VENV)/bin/python benchmarks/bench_parser.py

docs: $(VENV)/bin/jixiao  ## dbt docs for the marts, beside the warehouse (JIXIAO_WAREHOUSE; needs `make run` first)
	@wh="$${JIXIAO_WAREHOUSE:-$(CURDIR)/warehouse/jixiao.duckdb}"; case "$$wh" in /*) ;; *) wh="$(CURDIR)/$$wh";; esac; \
	work="$$(dirname "$$wh")/dbt"; \
	test -f "$$wh" || { echo "make docs: no warehouse at $$wh; run \`make run\` first" >&2; exit 1; }; \
	JIXIAO_WAREHOUSE="$$wh" $(VENV)/bin/dbt docs generate --project-dir dbt_project --profiles-dir dbt_project \
	  --target-path "$$work/target" --log-path "$$work/logs" && echo "dbt docs: $$work/target/index.html"

clean-warehouse:
	rm -rf warehouse
