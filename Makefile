# The two commands of the README:
#   make run   - create .venv, install borderkg, build the graph from data/reports/ and data/news/ and print a summary
#   make test  - create .venv if needed and run the test suite
#   make fuseki - fetch Apache Jena Fuseki (Maven) into .cache/fuseki for the shared-store tests
#   (install also installs Debian's virtuoso-opensource, a second SPARQL server for those tests)
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: run test install clean-store system-packages vendor-yasgui fuseki virtuoso

# The readers of .doc/.odt/.rtf (LibreOffice, a Cyrillic font to print PDFs) and of scans (Tesseract
# with Russian) need Debian packages: installed when missing (as root, or with sudo).
READER_PACKAGES = libreoffice-writer-nogui tesseract-ocr tesseract-ocr-rus fonts-dejavu-core
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

run: $(VENV)/.installed
	$(BIN)/borderkg build data/reports data/news
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

system-packages:
	@if ! command -v soffice >/dev/null 2>&1 || ! command -v tesseract >/dev/null 2>&1 \
	    || ! tesseract --list-langs 2>/dev/null | grep -qx rus; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    --no-install-recommends $(READER_PACKAGES); \
	fi

$(VENV)/.installed: pyproject.toml | system-packages
	@ldconfig -p | grep -q 'libseccomp\.so\.2' || apt-get install -y -qq libseccomp2 \
	  || { echo "borderkg serve needs libseccomp: apt-get install libseccomp2"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

clean-store:
	rm -rf data/store

# Refresh the query page's YASGUI from npm (the built files are committed: pip needs no npm).
YASGUI_VERSION ?= 4.6.2
YASGUI_DIR = src/borderkg/serve/static/vendor
vendor-yasgui:
	rm -rf .yasgui && mkdir .yasgui
	cd .yasgui && npm pack --silent @zazuko/yasgui@$(YASGUI_VERSION) && tar xzf zazuko-yasgui-$(YASGUI_VERSION).tgz
	cp .yasgui/package/build/yasgui.min.css $(YASGUI_DIR)/
	sed '$$ s|^//# sourceMappingURL=.*$$||' .yasgui/package/build/yasgui.min.js > $(YASGUI_DIR)/yasgui.min.js
	rm -rf .yasgui
	@echo "YASGUI $(YASGUI_VERSION) in $(YASGUI_DIR): update the version in $(YASGUI_DIR)/VENDORED.md"
