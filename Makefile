# Two commands do everything on a machine with Python 3.10+ and make:
#   make run    the scheduled demo job: crawl the bundled demo news site, only what is new
#   make test   lint, types and the whole test suite (installs redis-server if missing)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# mypy resolves `cleanwire` through this link to the repository root (the package's folder)
MYPY := MYPYPATH=$(VENV)/src $(BIN)/mypy
PACKAGE_MODULES := -p cleanwire.spiders -p cleanwire.pipelines -p cleanwire.extensions -p cleanwire.commands \
	-p cleanwire.extraction -p cleanwire.state -m cleanwire -m cleanwire.settings -m cleanwire.errors \
	-m cleanwire.items -m cleanwire.cli

.PHONY: run test lint bench clean redis-server

$(INSTALLED): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	@echo "installing cleanwire and its dependencies into $(VENV) (log: $(VENV)/install.log)"
	@( $(BIN)/python -m pip install --upgrade pip && $(BIN)/python -m pip install -e '.[test,bench]' ) \
		> $(VENV)/install.log 2>&1 || { tail -n 40 $(VENV)/install.log; exit 1; }
	@mkdir -p $(VENV)/src && ln -sfn "$(CURDIR)" $(VENV)/src/cleanwire
	@touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/python -m demo.run

test: lint redis-server
	$(BIN)/python -m pytest

# The Redis tests start a real redis-server; on a machine without one, install Debian's package
# (as root, as CI runs). Anywhere else, install it yourself: apt-get install redis-server.
redis-server:
	@command -v redis-server >/dev/null || { \
		echo "installing redis-server (Debian package) for the Redis tests"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server; } \
			> $(VENV)/redis-install.log 2>&1 || { tail -n 20 $(VENV)/redis-install.log; \
			echo "make test needs redis-server: apt-get install redis-server"; exit 1; }; }

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(MYPY) $(PACKAGE_MODULES)
	$(MYPY) tests bench demo

bench: $(INSTALLED)
	$(BIN)/python -m bench.quality

clean:
	rm -rf $(VENV) output bench/out .pytest_cache .mypy_cache .ruff_cache .state
