# The two commands of the README:
#   make run   - create .venv, install borderkg, build the graph from data/reports/ and data/news/ and print a summary
#   make test  - create .venv if needed and run the test suite
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: run test install clean-store

run: $(VENV)/.installed
	$(BIN)/borderkg build data/reports data/news
	$(BIN)/borderkg views

test: $(VENV)/.installed
	$(BIN)/pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

clean-store:
	rm -rf data/store
