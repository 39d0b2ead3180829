"""The partnerships a change of documents touches, recomputed alone.

The partnerships layer (``queries/derived/partnerships.rq``) summarises each pair's events
over the whole corpus: a full pass reads every event (3–4 s at 25,000 events). A pair's
node depends only on its own events (it lists them by ``prov:wasDerivedFrom``), on the
places they name and on the municipality's twin links, so after a change only the pairs
with an event in a changed document, or with one that is gone, and those whose twin
status a changed document may change need computing. They are found from the layer as it
was and the documents as they are; the layer's query then runs with its event scans kept to
those pairs' events (every ``# scope: ?VAR`` line of the query becomes ``VALUES ?VAR { … }``),
and only its nodes of those pairs are kept: another pair that shares an event comes out with
part of its events and is left as it was, which is right, as none of its events changed.
Layers that read the partnerships layer by partnership (the first contacts) are then
recomputed for those nodes alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from borderkg.query import bind_values, values_block
from borderkg.store.sparql import iri
from borderkg.vocab import BKG, PROV, RDF

SCOPE_LINE = re.compile(r"^(\s*)# scope: \?(\w+)\s*$", re.MULTILINE)
DERIVED_FROM = f"<{PROV}wasDerivedFrom>"


def values(var: str, nodes: Iterable[str]) -> str:
    """A VALUES block of IRIs (sorted, so that the same nodes give the same query).

    >>> values("e", ["urn:b", "urn:a"])
    'VALUES (?e) { (<urn:a>) (<urn:b>) }'
    """
    from pyoxigraph import NamedNode

    return values_block([var], [[NamedNode(node)] for node in sorted(nodes)])


def scope(query: str, events: Iterable[str]) -> str:
    """``query`` with each ``# scope: ?VAR`` line made a VALUES block of ``events``.

    >>> print(scope("SELECT * {\\n  # scope: ?e\\n  ?e ?p ?o }", ["urn:e1"]))
    SELECT * {
      VALUES (?e) { (<urn:e1>) }
      ?e ?p ?o }
    """
    events = sorted(events)
    if not SCOPE_LINE.search(query):
        raise ValueError("the query has no `# scope: ?VAR` line to restrict")
    return SCOPE_LINE.sub(lambda m: m.group(1) + values(m.group(2), events), query)


def for_nodes(query: str, var: str, nodes: Iterable[str]) -> str:
    """``query`` with ``?VAR`` bound to ``nodes`` by a VALUES block opening its WHERE clause.

    >>> for_nodes("CONSTRUCT { ?p ?x ?y } WHERE { ?p ?x ?y }", "p", ["urn:p"])
    'CONSTRUCT { ?p ?x ?y } WHERE { VALUES (?p) { (<urn:p>) }\\n ?p ?x ?y }'
    """
    from pyoxigraph import NamedNode

    return bind_values(query, [var], [[NamedNode(node)] for node in sorted(nodes)], "derived layer")


def _column(store, sparql: str, name: str, **kwargs) -> set[str]:
    return {row[name].value for row in store.query(sparql, **kwargs)}


def partnership_changes(store, graph: str, query: str, documents: Iterable[str], replaced: bool = True):
    """(the partnership nodes a change touches, their triples as the query gives them now):
    ``graph`` is the partnerships layer as it was before ``documents`` (graph IRIs) were
    written or removed; ``replaced``: some of them were in the store before, so events the
    layer lists may be gone (looked for only then: a pass over the layer)."""
    layer = iri(graph)
    seed: set[str] = set()  # the events that changed: those of the documents, and those gone
    twins: set[str] = set()  # the pairs whose twin status may have changed
    for document in documents:
        seed |= _column(store, f"SELECT ?e {{ GRAPH {iri(document)} {{ ?e <{BKG}reportingMunicipality> ?m }} }}", "e")
        twins |= _column(store, f"""SELECT ?p {{ GRAPH {iri(document)} {{ ?m <{BKG}twinnedWith> ?t }}
            GRAPH {layer} {{ ?p <{BKG}russianSide> ?m ; <{BKG}belarusianSide> ?u }}
            FILTER (?t = ?u || EXISTS {{ ?t <{BKG}inRaion> ?u }}) }}""", "p", use_default_graph_as_union=True)
    if replaced:
        seed |= _column(store, f"SELECT DISTINCT ?e {{ GRAPH {layer} {{ ?p {DERIVED_FROM} ?e }} "
                               f"FILTER NOT EXISTS {{ ?e <{BKG}reportingMunicipality> ?m }} }}", "e",
                        use_default_graph_as_union=True)
    # twinned, but no twin link left (a document that stated it was removed or rewritten)
    twins |= _column(store, f"""SELECT ?p {{ GRAPH {layer} {{ ?p <{BKG}twinned> true ; <{BKG}russianSide> ?m ;
            <{BKG}belarusianSide> ?u }}
        FILTER NOT EXISTS {{ ?m <{BKG}twinnedWith> ?t . {{ FILTER (?t = ?u) }} UNION {{ ?t <{BKG}inRaion> ?u }} }} }}""",
                     "p", use_default_graph_as_union=True)
    nodes = set(twins)
    if seed:  # the pairs of the changed events: as the layer had them, and new ones
        nodes |= _column(store, f"SELECT ?p {{ GRAPH {layer} {{ {values('e', seed)} ?p {DERIVED_FROM} ?e }} }}", "p")
        nodes |= {t.subject.value for t in store.query(scope(query, seed), use_default_graph_as_union=True)
                  if t.predicate.value == RDF + "type"}
    if not nodes:
        return nodes, []
    # every event the layer gave those pairs, so that their figures come out whole
    events = seed | _column(store, f"SELECT ?e {{ GRAPH {layer} {{ {values('p', nodes)} ?p {DERIVED_FROM} ?e }} }}", "e")
    triples = store.query(scope(query, events), use_default_graph_as_union=True)
    return nodes, [t for t in triples if t.subject.value in nodes]


def node_triples(store, graph: str, nodes: Iterable[str]) -> list:
    """The triples of ``graph`` whose subject is one of ``nodes``."""
    nodes = list(nodes)
    if not nodes:
        return []
    return list(store.query(f"CONSTRUCT {{ ?p ?x ?y }} WHERE {{ GRAPH {iri(graph)} {{ {values('p', nodes)} ?p ?x ?y }} }}"))
