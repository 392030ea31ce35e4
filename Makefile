# The two commands of the README: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN    := $(VENV)/.installed-run
TEST   := $(VENV)/.installed-test

.PHONY: demo test lint format bench eval-themes chromium wget pywb spip axe install clean

demo: $(RUN)
	$(BIN)/article-archive demo

test: $(TEST) chromium wget pywb spip axe
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy src
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

# The accessibility audit of the browser tests: axe-core from npm, into .cache/axe (not in git).
axe: $(RUN)
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "The accessibility tests need npm: sudo apt-get install npm" >&2; exit 1; fi; }
	$(BIN)/python scripts/axe_core.py

# tests/test_warc_wget.py imports a WARC written by Debian's wget (--warc-file).
wget:
	@if ! command -v wget >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wget >/dev/null; \
	  else echo "The WARC import test needs wget: sudo apt-get install wget" >&2; exit 1; fi; \
	fi

# tests/test_warc_pywb.py replays exported WARCs in pywb, a real wayback server. It lives in a
# venv of its own: it requires brotlipy, whose `brotli` module would shadow Google's Brotli that
# the fetcher's bounded decoder needs (Decompressor.process with output_buffer_limit).
PYWB := $(VENV)/pywb/bin/wayback
pywb: $(PYWB)
$(PYWB): $(VENV)/bin/python
	$(PYTHON) -m venv $(VENV)/pywb
	$(VENV)/pywb/bin/pip install --quiet 'pywb>=2.8'

# The real-SPIP tests run SPIP 4.4 itself: PHP from Debian, SPIP from Debian's own package
# (scripts/spip_dist.py fetches it from the Debian archive in apt's sources, checks its SHA-256,
# unpacks it in .cache/).
PHP_PACKAGES := php-cli php-sqlite3 php-mbstring php-xml php-zip php-gd php-getid3 \
  php-symfony-dependency-injection php-symfony-deprecation-contracts php-symfony-filesystem
spip: $(RUN)
	@if ! php -m 2>/dev/null | grep -qx pdo_sqlite || [ ! -d /usr/share/php/Symfony/Component/DependencyInjection ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing PHP for the real-SPIP tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PHP_PACKAGES) >/dev/null; \
	  else echo "The real-SPIP tests need PHP: sudo apt-get install $(PHP_PACKAGES)" >&2; exit 1; fi; \
	fi
	$(BIN)/python scripts/spip_dist.py

lint: $(TEST)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy src

format: $(TEST)
	$(BIN)/ruff check --fix src tests bench scripts
	$(BIN)/ruff format src tests bench scripts

bench: $(TEST)
	$(BIN)/python bench/speed_extract.py
	$(BIN)/python bench/eval_spip.py
	$(BIN)/python bench/search_latency.py
	$(BIN)/python bench/datasette_search.py
	$(BIN)/python bench/csv_speed.py
	$(BIN)/python bench/real_archive.py
	$(BIN)/python bench/million_bench.py  # 10k/100k/1M archives, cached in .cache/bench (~30 GB)

# Extraction on real third-party SPIP themes (../shared/spip-themes), written to bench/RESULTS.md;
# a subset, printed only: make eval-themes THEMES=bazar,zesty
eval-themes: $(TEST) spip
	$(BIN)/python bench/eval_themes.py $(if $(THEMES),--themes $(THEMES),--write)

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .mypy_cache demo.db demo.db-*
