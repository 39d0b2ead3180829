"""Derived layers: graphs computed from the stored documents by SPARQL kept in the repo.

The partnerships layer (``queries/derived/partnerships.rq``) summarises every pair of a
Smolensk municipality and a Belarusian raion, city or oblast; it is recomputed after every
build and every removal, so it always agrees with the documents.
"""

from __future__ import annotations

from pathlib import Path

from borderkg.paths import QUERIES
from borderkg.vocab import ID

PARTNERSHIPS_GRAPH = ID + "graph/partnerships"
PARTNERSHIPS_QUERY = QUERIES / "derived" / "partnerships.rq"


def derive_partnerships(store, query_path: Path = PARTNERSHIPS_QUERY) -> int:
    """Recompute the partnerships graph; returns the number of partnerships."""
    from pyoxigraph import NamedNode, Quad

    graph = NamedNode(PARTNERSHIPS_GRAPH)
    store.remove_graph(PARTNERSHIPS_GRAPH)
    triples = list(store.query(query_path.read_text(encoding="utf-8"), use_default_graph_as_union=True))
    store.replace_graph(PARTNERSHIPS_GRAPH, [Quad(t.subject, t.predicate, t.object, graph) for t in triples])
    return len({t.subject for t in triples})
