"""Derived layers: graphs computed from the stored documents by SPARQL kept in the repo.

The partnerships layer (``queries/derived/partnerships.rq``) summarises every pair of a
Smolensk municipality and a Belarusian raion, city or oblast; the tallies
(``queries/derived/tallies.rq``) count events per municipality, quarter, category and
country for the saved queries that summarise the whole graph; the activity layer
(``queries/derived/activity.rq``) holds the figures of each municipality, partner and
organisation that the build summary, the views and the exports show. The others keep ready
what a saved query would otherwise summarise over every event: the first day and first
events of each partnership, twin links and agreements as one node each however many reports
state them, oblast tallies, organisation ranks and a per-quarter calendar of each place's
events (``queries/README.md`` lists them). All are recomputed after every build and every
removal, so they always agree with the documents; only the triples that changed are written.
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
DERIVED = QUERIES / "derived"


def _layer(name: str, query: str | None = None) -> tuple[str, Path]:
    """A derived graph ``graph/NAME`` and its CONSTRUCT ``queries/derived/QUERY.rq``."""
    return ID + f"graph/{name}", DERIVED / f"{query or name}.rq"


# Each derived graph and the CONSTRUCT that computes it, in the order they are recomputed: a
# layer may read those before it (the activity layer counts partnerships and agreements, the
# ranks read the activity), never itself.
LAYERS = ((PARTNERSHIPS_GRAPH, PARTNERSHIPS_QUERY), _layer("partnership-firsts"), _layer("twins"),
          _layer("agreements"), _layer("agreement-figures"), _layer("calendar"),
          (TALLIES_GRAPH, TALLIES_QUERY), _layer("oblast-tallies"), (ACTIVITY_GRAPH, ACTIVITY_QUERY),
          _layer("organisation-ranks"), _layer("partnership-years"), _layer("latest-dates"),
          _layer("event-names"), _layer("partner-places"))


# An entity description (organisation, settlement outside the gazetteer) stays while some
# document still refers to it: after a removal or a re-extraction the others go. The derived
# layers refer to entities too (the activity of an organisation) but keep none alive: they
# are recomputed from the documents right after.
DERIVED_GRAPHS = tuple(graph for graph, _ in LAYERS)
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


def derive_layers(store) -> dict[str, int]:
    """Recompute every derived layer (after a build or a removal); returns the number of
    nodes (partnerships, tallies) in each graph."""
    return {graph: _derive(store, graph, query) for graph, query in LAYERS}


def _derive(store, graph_name: str, query_path: Path) -> int:
    """Bring one derived graph to what its CONSTRUCT gives over the other graphs. Only the
    triples that changed are written (one update, whole or not at all): a new report changes
    a few counts and adds its events, while writing a whole layer costs more than computing it."""
    triples = store.query(query_path.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    wanted = {f"{t} .\n" for t in triples}
    held = {f"{t} .\n" for t in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_name}> {{ ?s ?p ?o }} }}")}
    removed, added = held - wanted, wanted - held
    if removed or added:
        store.patch_graph(graph_name, "".join(sorted(removed)).encode("utf-8"), "".join(sorted(added)).encode("utf-8"),
                          "".join(sorted(wanted)).encode("utf-8"))
    return len({line.split(" ", 1)[0] for line in wanted})
