# The two commands: `make run` and `make test`. Both create .venv and install on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: install run test lint bench mutate clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(INSTALLED)

## Create .venv and install the bot and its dependencies (again when pyproject.toml changed).
install: $(INSTALLED)

## Build the store if missing or stale, then start the bot (Discord with DISCORD_TOKEN, else the playground).
run: $(INSTALLED)
	$(PY) -m bot run

## Lint, then the whole test suite.
test: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m pytest -q

lint: $(INSTALLED)
	$(PY) -m ruff check .

## Benchmarks (not part of the test suite); numbers go to docs/benchmarks.md.
bench: $(INSTALLED)
	$(PY) -m bench

## Named breakages of the code, each applied, tested and undone; reports survivors (not part of `make test`).
mutate: $(INSTALLED)
	$(PY) tools/mutate.py

clean:
	rm -rf $(VENV) data/briefing.db data/briefing.db-wal data/briefing.db-shm data/playground
