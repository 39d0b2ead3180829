"""Paths of the data the project ships, as constants used for default arguments.

The repository layout is ``src/borderkg`` beside ``data/``, ``ontology/`` and ``queries/``;
an installed copy finds them through ``BORDERKG_HOME`` (default: the checkout).
"""

import os
from pathlib import Path

HOME = Path(os.environ.get("BORDERKG_HOME", Path(__file__).resolve().parents[2]))

DATA = HOME / "data"
REPORTS = DATA / "reports"
NEWS = DATA / "news"
DEFAULT_SOURCES = (REPORTS, NEWS)  # what `borderkg build` and `make run` read
GAZETTEER = DATA / "gazetteer"
CURATION = DATA / "curation"
STORE = Path(os.environ.get("BORDERKG_STORE", DATA / "store"))
ONTOLOGY = HOME / "ontology"
ONTOLOGY_FILES = (ONTOLOGY / "borderkg.ttl", ONTOLOGY / "categories.ttl")  # the ontology and its SKOS categories
QUERIES = HOME / "queries"
VIZ = HOME / "viz"
