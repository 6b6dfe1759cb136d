# Everything runs from .venv, made from the pinned dependencies in pyproject.toml.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data

.PHONY: install demo test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: install
	$(BIN)/trials demo --data $(DATA)

.PHONY: docs
docs: install  # regenerate docs/data-dictionary.md from the schemas, the SQL and a sample warehouse
	$(BIN)/trials docs

test: install browser
	$(BIN)/python -m pytest -q

# The report's tests drive a real headless Chromium: Debian's package, installed when missing (as root, as CI runs).
.PHONY: browser
browser:
	@test -x /usr/bin/chromium || { test "$$(id -u)" = 0 && DEBIAN_FRONTEND=noninteractive apt-get update -q \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; } \
		|| echo "chromium is missing and cannot be installed here: the report tests will skip (fail in CI)"

# Figures, not pass/fail: see bench/README.md. BENCH_SCALE=0.1 for a quick pass.
bench: $(VENV)/.bench-installed
	$(BIN)/python -m bench.run

$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache
