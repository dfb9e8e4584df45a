# Two entry points (see README): `make demo` runs the notebooks on the bundled corpora,
# `make test` runs lint, type checks and the test suite. Both create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.PHONY: demo test lint typecheck pytest benchmarks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[notebooks,scale,excel]"
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.demo-installed

demo: $(VENV)/.demo-installed
	@start=$$(date +%s); for notebook in $(NOTEBOOKS); do \
		begin=$$(date +%s); \
		$(BIN)/jupyter nbconvert --to html --execute --ExecutePreprocessor.timeout=1200 \
			--ExecutePreprocessor.store_widget_state=False \
			--output-dir build $$notebook || exit 1; \
		echo "$$notebook: $$(( $$(date +%s) - begin )) s"; \
	done; \
	echo "Notebooks executed in $$(( $$(date +%s) - start )) s (install not included);" \
		"HTML written to $(CURDIR)/build/"

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

pytest: $(VENV)/.dev-installed
	MPLBACKEND=Agg $(BIN)/python -m pytest

test: lint typecheck pytest

benchmarks: $(VENV)/.dev-installed
	@echo "Run a benchmark with, e.g.: $(BIN)/python benchmarks/extraction.py --data ../shared/benchmarks/extraction"

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
