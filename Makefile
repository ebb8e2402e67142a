# Two commands do everything on a machine with Python 3.10+ and make:
#   make run    the scheduled demo job: crawl the bundled demo news site, only what is new
#   make test   lint, types and the whole test suite (installs redis-server if missing)
# and, for maintainers:
#   make test-latest  the same suite on the newest releases pyproject.toml allows (what users install)
#   make lock         refresh requirements-lock.txt on purpose (then run make test and make test-latest)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# Exact versions with hashes, for Python 3.11 (the CI machine's): an upstream release cannot turn
# `make test` red overnight. pyproject.toml keeps the ranges users get.
LOCK := requirements-lock.txt
# locked: the lock's versions; latest: the newest releases pyproject.toml allows
DEPENDENCIES ?= locked
INSTALL_locked := $(BIN)/python -m pip install --require-hashes --no-deps -r $(LOCK) \
	&& $(BIN)/python -m pip install --no-deps --no-build-isolation -e .
INSTALL_latest := $(BIN)/python -m pip install --upgrade pip \
	&& $(BIN)/python -m pip install --upgrade --upgrade-strategy eager -e '.[test,bench]'
# mypy resolves `cleanwire` through this link to the repository root (the package's folder)
MYPY := MYPYPATH=$(VENV)/src $(BIN)/mypy
PACKAGE_MODULES := -p cleanwire.spiders -p cleanwire.pipelines -p cleanwire.extensions -p cleanwire.commands \
	-p cleanwire.extraction -p cleanwire.state -m cleanwire -m cleanwire.settings -m cleanwire.errors \
	-m cleanwire.items -m cleanwire.cli -m cleanwire.config

.PHONY: run test test-latest lock lint bench clean redis-server

$(INSTALLED): pyproject.toml setup.py $(LOCK)
	$(PYTHON) -m venv $(VENV)
	@echo "installing cleanwire and its $(DEPENDENCIES) dependencies into $(VENV) (log: $(VENV)/install.log)"
	@( $(INSTALL_$(DEPENDENCIES)) ) > $(VENV)/install.log 2>&1 || { tail -n 40 $(VENV)/install.log; exit 1; }
	@mkdir -p $(VENV)/src && ln -sfn "$(CURDIR)" $(VENV)/src/cleanwire
	@touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/python -m demo.run

test: lint redis-server
	$(BIN)/python -m pytest

# A venv of its own, brought up to the newest releases on every call.
test-latest:
	rm -f .venv-latest/.installed
	$(MAKE) test VENV=.venv-latest DEPENDENCIES=latest
	.venv-latest/bin/python -m pip list --format=freeze > .venv-latest/versions.txt
	@echo "tested against the releases in .venv-latest/versions.txt"

# pip-tools in a throwaway venv; the lock holds every extra the suite and the benches need.
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet pip-tools
	.venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links --extra test --extra bench --upgrade --output-file $(LOCK) pyproject.toml
	rm -rf .venv-lock

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
	rm -rf $(VENV) .venv-latest output bench/out .pytest_cache .mypy_cache .ruff_cache .state
