# The two commands of the README: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN    := $(VENV)/.installed-run
TEST   := $(VENV)/.installed-test

.PHONY: demo test lint format bench chromium install clean

demo: $(RUN)
	$(BIN)/article-archive demo

test: $(TEST) chromium
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/pytest

install: $(RUN)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "python3 -m venv failed: install python3-venv" >&2; exit 1; fi; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN): $(VENV)/bin/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST): $(RUN)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Browser tests drive Debian's chromium through Playwright (Playwright's own download cannot work here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need /usr/bin/chromium: sudo apt-get install chromium" >&2; exit 1; fi; \
	fi

lint: $(TEST)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

format: $(TEST)
	$(BIN)/ruff check --fix src tests bench scripts
	$(BIN)/ruff format src tests bench scripts

bench: $(TEST)
	$(BIN)/python bench/speed_extract.py
	$(BIN)/python bench/eval_spip.py
	$(BIN)/python bench/search_latency.py
	$(BIN)/python bench/real_archive.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache demo.db demo.db-*
