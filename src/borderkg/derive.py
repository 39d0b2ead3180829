"""Derived layers: graphs computed from the stored documents by SPARQL kept in the repo.

The partnerships layer (``queries/derived/partnerships.rq``) summarises every pair of a
Smolensk municipality and a Belarusian raion, city or oblast; the tallies
(``queries/derived/tallies.rq``) count events per municipality, quarter, category and
country for the saved queries that summarise the whole graph; the activity layer
(``queries/derived/activity.rq``) holds the figures of each municipality, partner and
organisation that the build summary, the views and the exports show. All are recomputed
after every build and every removal, so they always agree with the documents.
"""

from __future__ import annotations

from pathlib import Path

from borderkg.paths import QUERIES
from borderkg.vocab import ENTITIES_GRAPH, ID

PARTNERSHIPS_GRAPH = ID + "graph/partnerships"
PARTNERSHIPS_QUERY = QUERIES / "derived" / "partnerships.rq"
TALLIES_GRAPH = ID + "graph/tallies"
TALLIES_QUERY = QUERIES / "derived" / "tallies.rq"
ACTIVITY_GRAPH = ID + "graph/activity"
ACTIVITY_QUERY = QUERIES / "derived" / "activity.rq"
TWINS_GRAPH = ID + "graph/twins"
CALENDAR_GRAPH = ID + "graph/calendar"
AGREEMENTS_GRAPH = ID + "graph/agreements"
DERIVED = QUERIES / "derived"


# An entity description (organisation, settlement outside the gazetteer) stays while some
# document still refers to it: after a removal or a re-extraction the others go. The derived
# layers refer to entities too (the activity of an organisation) but keep none alive: they
# are recomputed from the documents right after.
DERIVED_GRAPHS = (PARTNERSHIPS_GRAPH, TALLIES_GRAPH, ACTIVITY_GRAPH, TWINS_GRAPH, AGREEMENTS_GRAPH,
                  CALENDAR_GRAPH)
KEPT_ENTITIES = f"""
CONSTRUCT {{ ?s ?p ?o }}
WHERE {{
  GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }}
  FILTER EXISTS {{ GRAPH ?g {{ ?referrer ?link ?s }}
                  FILTER (?g NOT IN (<{ENTITIES_GRAPH}>, {", ".join(f"<{g}>" for g in DERIVED_GRAPHS)})) }}
}}"""


def prune_entities(store) -> int:
    """Drop the shared descriptions no stored document refers to any longer (the graph is
    rewritten whole, which every backend can do); returns how many triples were dropped."""
    from pyoxigraph import NamedNode, Quad

    graph = NamedNode(ENTITIES_GRAPH)
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} }}"
    before = int(next(iter(store.query(count)))["n"].value)
    kept = [Quad(t.subject, t.predicate, t.object, graph) for t in store.query(KEPT_ENTITIES)]
    if len(kept) != before:
        store.replace_graph(ENTITIES_GRAPH, kept)
    return before - len(kept)


# Each derived graph and the CONSTRUCTs that compute it, in the order they are recomputed
# (the activity layer counts the partnerships and agreements of the layers before it; a later CONSTRUCT of a
# graph reads what the earlier ones put in it).
LAYERS = ((PARTNERSHIPS_GRAPH, (PARTNERSHIPS_QUERY, DERIVED / "partnership-firsts.rq")), (TWINS_GRAPH, (DERIVED / "twins.rq",)),
          (AGREEMENTS_GRAPH, (DERIVED / "agreements.rq", DERIVED / "agreement-figures.rq")),
          (CALENDAR_GRAPH, (DERIVED / "calendar.rq",)), (TALLIES_GRAPH, (TALLIES_QUERY, DERIVED / "oblast-tallies.rq")), (ACTIVITY_GRAPH, (ACTIVITY_QUERY, DERIVED / "organisation-ranks.rq")))


def derive_layers(store) -> dict[str, int]:
    """Recompute every derived layer (after a build or a removal); returns the number of
    nodes (partnerships, tallies) in each graph."""
    return {graph: _derive(store, graph, queries) for graph, queries in LAYERS}


def _derive(store, graph_name: str, query_paths: tuple[Path, ...]) -> int:
    """Replace one derived graph by what its CONSTRUCTs give over the other graphs (each
    after the first also over what the earlier ones gave)."""
    from pyoxigraph import NamedNode, Quad

    graph = NamedNode(graph_name)
    store.remove_graph(graph_name)  # a derived layer never feeds itself
    quads: list = []
    for query_path in query_paths:
        triples = store.query(query_path.read_text(encoding="utf-8"), use_default_graph_as_union=True)
        quads += [Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        store.replace_graph(graph_name, quads)
    return len({q.subject for q in quads})
