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
import re
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from borderkg.paths import QUERIES
from borderkg.vocab import BKG, ENTITIES_GRAPH, GAZETTEER_GRAPH, ID, META_GRAPH, ONTOLOGY_GRAPH

DERIVED = QUERIES / "derived"


class Scope(Enum):
    """What a derived layer is recomputed from after a change of some documents."""

    DOCUMENT = "one graph per document, over that document alone: recomputed for the changed documents"
    PAIRS = "the partnerships layer: recomputed for the partnerships the changed documents touch"
    BY_PARTNERSHIP = "read from the partnerships layer by partnership: recomputed for the touched ones"
    WHOLE = "recomputed whole"


class Layer(NamedTuple):
    """A derived graph (for a document layer, the prefix of its graphs), the CONSTRUCT that
    computes it and how a change recomputes it."""

    graph: str
    query: Path
    scope: Scope = Scope.WHOLE


def _layer(name: str, scope: Scope = Scope.WHOLE) -> Layer:
    """The layer ``graph/NAME`` computed by ``queries/derived/NAME.rq``."""
    return Layer(ID + f"graph/{name}", DERIVED / f"{name}.rq", scope)


# Document layers: evaluated over one document's graph, with the gazetteer and the shared
# entities, and ?sourceGraph bound to the document's graph. The graph of document
# ``ID graph/DOC`` is ``PREFIX/DOC``: a document's own graph never has a «/» after ``graph/``
# (file names are percent-encoded), so the two never meet.
DOCUMENT_LAYERS = (_layer("calendar", Scope.DOCUMENT),)
# The other layers in the order they are recomputed: a layer may read those before it (the
# activity layer counts partnerships and agreements, the ranks read the activity), never itself.
TALLIES = _layer("tallies")
LAYERS = (_layer("partnerships", Scope.PAIRS), _layer("partnership-firsts", Scope.BY_PARTNERSHIP),
          _layer("twins"), _layer("agreements"), _layer("agreement-figures"), TALLIES,
          _layer("oblast-tallies"), _layer("activity"), _layer("organisation-ranks"),
          _layer("organisation-listing"), _layer("partnership-years", Scope.BY_PARTNERSHIP),
          _layer("latest-dates"), _layer("partner-places"))
TALLIES_GRAPH = TALLIES.graph
DOCUMENT_GRAPH_PREFIX = ID + "graph/"
LAYERS_GRAPH = ID + "graph/layers"  # the digest of the layers' queries they were computed by


# An entity description (organisation, settlement outside the gazetteer) stays while some
# document still refers to it: after a removal or a re-extraction the others go. The derived
# layers refer to entities too (the activity of an organisation) but keep none alive: they
# are recomputed from the documents right after.
DERIVED_GRAPHS = tuple(layer.graph for layer in LAYERS)


def _in_document_layer(graph: str) -> bool:
    return any(graph.startswith(layer.graph + "/") for layer in DOCUMENT_LAYERS)


# The store's own graphs (gazetteer, ontology, shared entities, build metadata) and the derived
# ones (for a document layer, the prefix of its graphs): no document's graph is one of these.
OWN_GRAPHS = frozenset({GAZETTEER_GRAPH, ONTOLOGY_GRAPH, ENTITIES_GRAPH, META_GRAPH, LAYERS_GRAPH, *DERIVED_GRAPHS,
                        *(layer.graph for layer in DOCUMENT_LAYERS)})


def document_graphs(store) -> set[str]:
    """The named graphs of source documents: all but :data:`OWN_GRAPHS` and the document
    layers' graphs."""
    return {graph for graph in store.graphs() if graph not in OWN_GRAPHS and not _in_document_layer(graph)}


def document_layer_graph(prefix: str, document_graph: str) -> str:
    """The graph of one document's layer.

    >>> document_layer_graph(ID + "graph/calendar", ID + "graph/r1.txt")
    'https://w3id.org/borderkg/id/graph/calendar/r1.txt'
    """
    if not document_graph.startswith(DOCUMENT_GRAPH_PREFIX):
        raise ValueError(f"not a document graph: <{document_graph}>")
    return f"{prefix}/{document_graph[len(DOCUMENT_GRAPH_PREFIX):]}"
def _kept_entities() -> str:
    """The shared descriptions some document (not a derived layer) refers to."""
    from pyoxigraph import Literal

    others = ", ".join(f"<{g}>" for g in DERIVED_GRAPHS)
    prefixes = "".join(f" && !STRSTARTS(STR(?g), {Literal(layer.graph + '/')})" for layer in DOCUMENT_LAYERS)
    return f"""
CONSTRUCT {{ ?s ?p ?o }}
WHERE {{
  GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }}
  FILTER EXISTS {{ GRAPH ?g {{ ?referrer ?link ?s }}
                  FILTER (?g NOT IN (<{ENTITIES_GRAPH}>, {others}){prefixes}) }}
}}"""


def prune_entities(store) -> int:
    """Drop the shared descriptions no stored document refers to any longer (the graph is
    rewritten whole, which every backend can do); returns how many triples were dropped."""
    from pyoxigraph import NamedNode, Quad

    graph = NamedNode(ENTITIES_GRAPH)
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} }}"
    before = int(next(iter(store.query(count)))["n"].value)
    kept = [Quad(t.subject, t.predicate, t.object, graph) for t in store.query(_kept_entities())]
    if len(kept) != before:
        store.replace_graph(ENTITIES_GRAPH, kept)
    return before - len(kept)


def layers_digest() -> str:
    """The digest of every derived layer's query: layers computed by other queries are stale."""
    digest = hashlib.sha256()
    for layer in (*DOCUMENT_LAYERS, *LAYERS):
        digest.update(layer.query.name.encode() + b"\0" + layer.query.read_bytes() + b"\0")
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


def derive_layers(store, changes: DocumentChanges | None = None, threads: int = 1) -> None:
    """Recompute the derived layers (after a build or a removal).

    With ``changes`` (begun before the documents were written) each layer is recomputed as its
    :class:`Scope` says: the document layers of the documents written or removed, the
    partnerships those touch, the rest whole; without, or after a build that did not finish,
    or with layers computed by other queries, everything whole. With ``threads`` > 1 that
    many layers are computed at once, each after those it waits for (:func:`waits_for`)."""
    from borderkg.schedule import Task, run_tasks

    if not store.parallel_writes:
        threads = 1  # a server may not take concurrent updates without deadlocks
    digest = layers_digest()
    scoped = changes is not None and changes.mark is not None and _stored_digest(store) == changes.mark
    tasks = []
    # Scoped, the layers read by partnership are recomputed with the partnerships, in one task.
    pairs = next(layer for layer in LAYERS if layer.scope is Scope.PAIRS)
    task_of = {layer: pairs if scoped and layer.scope is Scope.BY_PARTNERSHIP else layer for layer in LAYERS}
    waits: dict[Layer, set[Layer]] = {}
    for layer, after in waits_for(LAYERS).items():
        waits.setdefault(task_of[layer], set()).update(task_of[other] for other in after)
    for layer in LAYERS:
        after = frozenset(waits.get(layer, set()) - {layer})
        if not scoped or layer.scope is Scope.WHOLE:
            tasks.append(Task(layer, lambda layer=layer: _derive(store, layer.graph, layer.query), after))
        elif layer.scope is Scope.PAIRS:
            tasks.append(Task(layer, lambda layer=layer: _derive_touched(store, layer, changes.graphs, changes.replaced),
                              after))
    # The document layers read no other layer and none reads them (a test says so): they
    # fill the threads while the chain of the others waits.
    if scoped:
        for doc in sorted(changes.graphs):
            present = _has_graph(store, doc)
            for layer in DOCUMENT_LAYERS:
                graph = document_layer_graph(layer.graph, doc)
                run = (lambda graph=graph, query=layer.query, doc=doc: _derive(store, graph, query, source=doc)) \
                    if present else (lambda graph=graph: store.remove_graph(graph))
                tasks.append(Task(graph, run))
    else:
        documents = document_graphs(store)
        held = {graph for graph in store.graphs() if _in_document_layer(graph)}
        wanted = {document_layer_graph(layer.graph, doc): (doc, layer.query)
                  for layer in DOCUMENT_LAYERS for doc in documents}
        for graph in held - set(wanted):
            store.remove_graph(graph)
        for layer in DOCUMENT_LAYERS:
            store.remove_graph(layer.graph)  # a store derived before document layers kept it whole
        for graph, (doc, query) in sorted(wanted.items()):
            tasks.append(Task(graph, lambda graph=graph, query=query, doc=doc: _derive(store, graph, query, source=doc)))
    run_tasks(tasks, threads)
    if _stored_digest(store) != digest:
        _store_digest(store, digest)


def layer_terms(query: str) -> tuple[frozenset[str], frozenset[str]]:
    """The ``bkg:`` terms a layer's CONSTRUCT writes (in its template) and those it reads
    (after it), comments left out.

    >>> layer_terms("# bkg:Old\\nCONSTRUCT { ?p bkg:eventCount ?n } WHERE { ?e bkg:partnerPlace ?p }")
    (frozenset({'bkg:eventCount'}), frozenset({'bkg:partnerPlace'}))
    """
    lines = [line.split("#", 1)[0] if "<" not in line.split("#", 1)[0] else line for line in query.splitlines()]
    text = "\n".join(lines)
    opened = text.index("{", text.index("CONSTRUCT"))
    depth, closed = 0, opened
    for closed in range(opened, len(text)):
        depth += {"{": 1, "}": -1}.get(text[closed], 0)
        if depth == 0:
            break
    return frozenset(_TERM.findall(text[opened:closed])), frozenset(_TERM.findall(text[closed:]))


_TERM = re.compile(r"\bbkg:[A-Za-z]\w*")


def waits_for(layers: tuple[Layer, ...]) -> dict[Layer, frozenset[Layer]]:
    """For each layer, the earlier ones it must wait for when layers are computed at once: one
    whose output it may read, and one that may read its output (which, one after the other,
    read it as it was before). Found from the terms of their queries (:func:`layer_terms`),
    so a new layer needs no list kept by hand; a shared term is enough, whatever the node."""
    terms = {layer: layer_terms(layer.query.read_text(encoding="utf-8")) for layer in layers}
    return {layer: frozenset(other for other in layers[:i]
                             if terms[other][0] & terms[layer][1] or terms[layer][0] & terms[other][1])
            for i, layer in enumerate(layers)}


def _has_graph(store, graph: str) -> bool:
    from borderkg.store.sparql import iri

    return bool(list(store.query(f"SELECT ?s WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }} LIMIT 1")))


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


def _derive_touched(store, pairs: Layer, documents: set[str], replaced: bool) -> None:
    """The partnerships a change of ``documents`` touches and the layers read by partnership
    (:attr:`Scope.BY_PARTNERSHIP`), recomputed for those partnerships alone (:mod:`borderkg.scoped`)."""
    from borderkg.scoped import for_nodes, node_triples, partnership_changes

    query = pairs.query.read_text(encoding="utf-8")
    nodes, wanted = partnership_changes(store, pairs.graph, query, documents, replaced)
    _patch_nodes(store, pairs.graph, _lines(wanted), _lines(node_triples(store, pairs.graph, nodes)))
    for layer in LAYERS:
        if layer.scope is Scope.BY_PARTNERSHIP:
            found = (store.query(for_nodes(layer.query.read_text(encoding="utf-8"), "partnership", nodes),
                                 use_default_graph_as_union=True) if nodes else [])
            _patch_nodes(store, layer.graph, _lines(found), _lines(node_triples(store, layer.graph, nodes)))


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
