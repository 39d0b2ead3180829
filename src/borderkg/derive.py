"""Derived layers: graphs computed from the stored documents by SPARQL kept in the repo.

The partnerships layer (``queries/derived/partnerships.rq``) summarises every pair of a
Smolensk municipality and a Belarusian raion, city or oblast; the tallies
(``queries/derived/tallies.rq``) count events per municipality, quarter, category and
country for the saved queries that summarise the whole graph. Both are recomputed after
every build and every removal, so they always agree with the documents.
"""

from __future__ import annotations

from pathlib import Path

from borderkg.paths import QUERIES
from borderkg.vocab import ENTITIES_GRAPH, ID

PARTNERSHIPS_GRAPH = ID + "graph/partnerships"
PARTNERSHIPS_QUERY = QUERIES / "derived" / "partnerships.rq"
TALLIES_GRAPH = ID + "graph/tallies"
TALLIES_QUERY = QUERIES / "derived" / "tallies.rq"


# An entity description (organisation, settlement outside the gazetteer) stays while some
# document still refers to it: after a removal or a re-extraction the others go.
KEPT_ENTITIES = f"""
CONSTRUCT {{ ?s ?p ?o }}
WHERE {{
  GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }}
  FILTER EXISTS {{ GRAPH ?g {{ ?referrer ?link ?s }} FILTER (?g != <{ENTITIES_GRAPH}>) }}
}}"""


def prune_entities(store) -> int:
    """Drop the shared descriptions no stored document refers to any longer (the graph is
    rewritten whole, which every backend can do); returns how many triples were dropped."""
    from pyoxigraph import NamedNode, Quad

    graph = NamedNode(ENTITIES_GRAPH)
    before = sum(1 for _ in store.query(f"SELECT * WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} }}"))
    kept = [Quad(t.subject, t.predicate, t.object, graph) for t in store.query(KEPT_ENTITIES)]
    if len(kept) != before:
        store.replace_graph(ENTITIES_GRAPH, kept)
    return before - len(kept)


def derive_partnerships(store, query_path: Path = PARTNERSHIPS_QUERY) -> int:
    """Recompute the partnerships graph; returns the number of partnerships."""
    return _derive(store, PARTNERSHIPS_GRAPH, query_path)


def derive_tallies(store, query_path: Path = TALLIES_QUERY) -> int:
    """Recompute the event tallies the summarising saved queries read; returns their number."""
    return _derive(store, TALLIES_GRAPH, query_path)


def derive_layers(store) -> None:
    """Recompute every derived layer (after a build or a removal)."""
    derive_partnerships(store)
    derive_tallies(store)


def _derive(store, graph_name: str, query_path: Path) -> int:
    """Replace one derived graph by what its CONSTRUCT gives over the other graphs."""
    from pyoxigraph import NamedNode, Quad

    graph = NamedNode(graph_name)
    store.remove_graph(graph_name)  # a derived layer never feeds itself
    triples = list(store.query(query_path.read_text(encoding="utf-8"), use_default_graph_as_union=True))
    store.replace_graph(graph_name, [Quad(t.subject, t.predicate, t.object, graph) for t in triples])
    return len({t.subject for t in triples})
