"""Derived layers: graphs computed from the stored documents by SPARQL kept in the repo.

The partnerships layer (``queries/derived/partnerships.rq``) summarises every pair of a
Smolensk municipality and a Belarusian raion, city or oblast; the tallies
(``queries/derived/tallies.rq``) count events per municipality, quarter, category and
country for the saved queries that summarise the whole graph; the activity layer
(``queries/derived/activity.rq``) holds the figures of each municipality, partner and
organisation that the build summary, the views and the exports show. The others keep ready
what a saved query would otherwise summarise over every event: the first day and first
events of each partnership, twin links and agreements as one node each however many reports
state them, oblast tallies and organisation ranks (``queries/README.md`` lists them). All
are recomputed after every build and every removal, so they always agree with the documents;
only the triples that changed are written.

A *document layer* depends on one document alone: the per-quarter calendar of the places of
its events (``queries/derived/calendar.rq``). It is computed over that document's graph (with
the gazetteer and the shared entities, which documents refer to) into
a graph of its own, ``graph/calendar/DOC``, only when the document was written or removed —
so that adding a report costs the report, not the corpus. When the layers' queries change
(their digest is kept in ``graph/layers``), every document's is recomputed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from borderkg.paths import QUERIES
from borderkg.vocab import BKG, ENTITIES_GRAPH, GAZETTEER_GRAPH, ID, META_GRAPH, ONTOLOGY_GRAPH

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
          _layer("agreements"), _layer("agreement-figures"),
          (TALLIES_GRAPH, TALLIES_QUERY), _layer("oblast-tallies"), (ACTIVITY_GRAPH, ACTIVITY_QUERY),
          _layer("organisation-ranks"), _layer("partnership-years"), _layer("latest-dates"),
          _layer("partner-places"))

# Recomputed after a change for the partnerships it touches only (borderkg.scoped): the
# partnerships layer, and the layers that read it by partnership.
BY_PARTNERSHIP = frozenset({ID + "graph/partnership-firsts", ID + "graph/partnership-years"})
TOUCHED = BY_PARTNERSHIP | {PARTNERSHIPS_GRAPH}

# Document layers: (prefix of their graphs, CONSTRUCT evaluated over one document's graph, with
# the gazetteer and the shared entities, and ?sourceGraph bound to the document's graph).
# The graph of document ``ID graph/DOC`` is ``PREFIX/DOC``: a document's own graph never has a
# «/» after ``graph/`` (file names are percent-encoded), so the two never meet.
DOCUMENT_LAYERS = (_layer("calendar"),)
DOCUMENT_GRAPH_PREFIX = ID + "graph/"
LAYERS_GRAPH = ID + "graph/layers"  # the digest of the layers' queries they were computed by


# An entity description (organisation, settlement outside the gazetteer) stays while some
# document still refers to it: after a removal or a re-extraction the others go. The derived
# layers refer to entities too (the activity of an organisation) but keep none alive: they
# are recomputed from the documents right after.
DERIVED_GRAPHS = tuple(graph for graph, _ in LAYERS)


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def document_graphs(store) -> set[str]:
    """The named graphs of source documents: all but the store's own (gazetteer, ontology,
    shared entities, build metadata) and the derived ones."""
    own = {GAZETTEER_GRAPH, ONTOLOGY_GRAPH, ENTITIES_GRAPH, META_GRAPH, LAYERS_GRAPH, *DERIVED_GRAPHS,
           *(prefix for prefix, _ in DOCUMENT_LAYERS)}
    return {graph for graph in store.graphs()
            if graph not in own and not any(graph.startswith(prefix + "/") for prefix, _ in DOCUMENT_LAYERS)}


def document_layer_graph(prefix: str, document_graph: str) -> str:
    """The graph of one document's layer.

    >>> document_layer_graph(ID + "graph/calendar", ID + "graph/r1.txt")
    'https://w3id.org/borderkg/id/graph/calendar/r1.txt'
    """
    if not document_graph.startswith(DOCUMENT_GRAPH_PREFIX):
        raise ValueError(f"not a document graph: <{document_graph}>")
    return f"{prefix}/{document_graph[len(DOCUMENT_GRAPH_PREFIX):]}"
KEPT_ENTITIES = f"""
CONSTRUCT {{ ?s ?p ?o }}
WHERE {{
  GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }}
  FILTER EXISTS {{ GRAPH ?g {{ ?referrer ?link ?s }}
                  FILTER (?g NOT IN (<{ENTITIES_GRAPH}>, {", ".join(f"<{g}>" for g in DERIVED_GRAPHS)})
                          {"".join(f" && !STRSTARTS(STR(?g), {_string(p + '/')})" for p, _ in DOCUMENT_LAYERS)}) }}
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


def layers_digest() -> str:
    """The digest of every derived layer's query: layers computed by other queries are stale."""
    digest = hashlib.sha256()
    for _, query in (*DOCUMENT_LAYERS, *LAYERS):
        digest.update(query.name.encode() + b"\0" + query.read_bytes() + b"\0")
    return digest.hexdigest()


class DocumentChanges:
    """The document graphs a build writes or removes, whose document layers it recomputes.

    Crash-safe: :meth:`begin` replaces the layers' digest by a mark of this build before
    anything is written, and :func:`derive_layers` puts the digest back when it is done. A
    build killed in between leaves its mark, so the next one (whose own mark differs)
    recomputes every document's layers instead of only those it wrote itself.
    """

    def __init__(self, mark: str | None) -> None:
        self.mark = mark  # None: the layers are stale anyway, every document's is recomputed
        self.graphs: set[str] = set()
        self.replaced = False  # whether a graph written or removed was there before

    @classmethod
    def begin(cls, store) -> "DocumentChanges":
        import uuid

        if _stored_digest(store) != layers_digest():
            return cls(None)
        mark = f"writing {uuid.uuid4()}"
        _store_digest(store, mark)
        return cls(mark)

    def add(self, graph: str, existed: bool = True) -> None:
        """Note a document graph written or removed (``existed``: it was in the store before:
        events the layers list may be gone)."""
        self.graphs.add(graph)
        self.replaced |= existed


def derive_layers(store, changes: DocumentChanges | None = None) -> None:
    """Recompute the derived layers (after a build or a removal).

    With ``changes`` (begun before the documents were written) only the document layers of
    the documents written or removed are recomputed, and the partnerships they touch
    (:data:`TOUCHED`); without, or after a build that did not finish, or with layers computed
    by other queries, everything."""
    digest = layers_digest()
    documents = document_graphs(store)
    scoped = changes is not None and changes.mark is not None and _stored_digest(store) == changes.mark
    if not scoped:
        held = {graph for graph in store.graphs()
                if any(graph.startswith(prefix + "/") for prefix, _ in DOCUMENT_LAYERS)}
        wanted = {document_layer_graph(prefix, doc): (doc, query)
                  for prefix, query in DOCUMENT_LAYERS for doc in documents}
        for graph in held - set(wanted):
            store.remove_graph(graph)
        for prefix, _ in DOCUMENT_LAYERS:
            store.remove_graph(prefix)  # a store derived before document layers kept it whole
        for graph, (doc, query) in sorted(wanted.items()):
            _derive(store, graph, query, source=doc)
    else:
        for doc in sorted(changes.graphs):
            for prefix, query in DOCUMENT_LAYERS:
                graph = document_layer_graph(prefix, doc)
                if doc in documents:
                    _derive(store, graph, query, source=doc)
                else:
                    store.remove_graph(graph)
    for graph, query in LAYERS:
        if not scoped or graph not in TOUCHED:
            _derive(store, graph, query)
        elif graph == PARTNERSHIPS_GRAPH:
            _derive_touched(store, changes.graphs, changes.replaced)
    if _stored_digest(store) != digest:
        _store_digest(store, digest)


def _store_digest(store, value: str) -> None:
    from pyoxigraph import Literal, NamedNode, Quad

    layers = NamedNode(LAYERS_GRAPH)
    store.replace_graph(LAYERS_GRAPH, [Quad(layers, NamedNode(BKG + "queryDigest"), Literal(value), layers)])


def _stored_digest(store) -> str | None:
    rows = list(store.query(f"SELECT ?d WHERE {{ GRAPH <{LAYERS_GRAPH}> {{ ?l <{BKG}queryDigest> ?d }} }}"))
    return rows[0]["d"].value if rows else None


def _derive(store, graph_name: str, query_path: Path, source: str | None = None) -> int:
    """Bring one derived graph to what its CONSTRUCT gives over the other graphs (or over the
    graph ``source`` alone). Only the triples that changed are written (one update, whole or
    not at all): a new report changes a few counts and adds its events, while writing a whole
    layer costs more than computing it."""
    text = query_path.read_text(encoding="utf-8")
    if source is None:
        triples = store.query(text, use_default_graph_as_union=True)
    else:
        from pyoxigraph import NamedNode

        from borderkg.query import bind_terms

        triples = store.query(bind_terms(text, {"sourceGraph": NamedNode(source)}),
                              default_graph=[source, GAZETTEER_GRAPH, ENTITIES_GRAPH])
    wanted = {f"{t} .\n" for t in triples}
    _patch(store, graph_name, wanted, _lines(store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_name}> {{ ?s ?p ?o }} }}")),
           lambda: "".join(sorted(wanted)).encode("utf-8"))
    return len({line.split(" ", 1)[0] for line in wanted})


def _derive_touched(store, documents: set[str], replaced: bool) -> None:
    """The partnerships a change of ``documents`` touches and the layers read by partnership
    (:data:`BY_PARTNERSHIP`), recomputed for those partnerships alone (:mod:`borderkg.scoped`)."""
    from borderkg.scoped import for_nodes, node_triples, partnership_changes

    query = PARTNERSHIPS_QUERY.read_text(encoding="utf-8")
    nodes, wanted = partnership_changes(store, PARTNERSHIPS_GRAPH, query, documents, replaced)
    _patch_nodes(store, PARTNERSHIPS_GRAPH, _lines(wanted), _lines(node_triples(store, PARTNERSHIPS_GRAPH, nodes)))
    for graph, path in LAYERS:
        if graph in BY_PARTNERSHIP:
            found = (store.query(for_nodes(path.read_text(encoding="utf-8"), "partnership", nodes),
                                 use_default_graph_as_union=True) if nodes else [])
            _patch_nodes(store, graph, _lines(found), _lines(node_triples(store, graph, nodes)))


def _lines(triples) -> set[str]:
    return {f"{t} .\n" for t in triples}


def _patch_nodes(store, graph: str, wanted: set[str], held: set[str]) -> None:
    """Bring the triples of some nodes of ``graph`` (``held``) to ``wanted``."""
    def whole() -> bytes:  # only for a backend that can only replace a graph
        rest = _lines(store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")) - held
        return "".join(sorted(rest | wanted)).encode("utf-8")

    _patch(store, graph, wanted, held, whole)


def _patch(store, graph: str, wanted: set[str], held: set[str], whole) -> None:
    removed, added = held - wanted, wanted - held
    if removed or added:
        store.patch_graph(graph, "".join(sorted(removed)).encode("utf-8"), "".join(sorted(added)).encode("utf-8"),
                          whole)
