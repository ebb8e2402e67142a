# Two commands do everything on a machine with Python 3.10+ and make:
#   make run    crawl the bundled demo news site into output/*.jsonl
#   make test   the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/python -m demo.run

test: $(INSTALLED)
	$(BIN)/python -m pytest

bench: $(INSTALLED)
	$(BIN)/python -m bench.quality

clean:
	rm -rf $(VENV) output bench/out .pytest_cache
