# The two commands of the README:
#   make run   - create .venv, install borderkg, build the graph from data/reports/ and print a summary
#   make test  - create .venv if needed and run the test suite
#   make fuseki - fetch Apache Jena Fuseki (Maven) into .cache/fuseki for the shared-store tests
#   (install also installs Debian's virtuoso-opensource, a second SPARQL server for those tests)
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: run test install clean-store fuseki virtuoso

run: $(VENV)/.installed
	$(BIN)/borderkg build data/reports
	$(BIN)/borderkg views

test: $(VENV)/.installed
	$(BIN)/pytest

install: $(VENV)/.installed virtuoso

# OpenLink Virtuoso 7 (Debian package) for the remote-store tests; skipped when present.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends virtuoso-opensource; }

fuseki:
	bash .ci/fuseki.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

clean-store:
	rm -rf data/store
