"""SHACL validation of the graph with pySHACL.

The store keeps one named graph per source document and one for the gazetteer; events
point into the gazetteer graph, so the shapes are checked on the union of all of them,
loaded as one rdflib graph. The ontology and the category scheme are mixed in: the shapes
check categories and organisation types against their concept schemes, and ``sh:class``
follows the ontology's ``rdfs:subClassOf``. No inference is run (``inference="none"``):
rdf.py asserts every type it relies on, and validating the shipped reports takes seconds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from borderkg.paths import ONTOLOGY, ONTOLOGY_FILES
from borderkg.vocab import PREFIXES

SHAPES = ONTOLOGY / "shapes.ttl"
SH = "http://www.w3.org/ns/shacl#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Violation:
    """One SHACL result, its nodes written with the project's prefixes."""

    focus: str
    message: str
    path: str = ""
    value: str = ""
    severity: str = "Violation"
    shape: str = ""

    def where(self) -> str:
        """The focus node, the path and the value, without the message.

        >>> Violation("id:mention/1", "…", "bkg:startOffset", "12").where()
        'id:mention/1  bkg:startOffset = 12'
        """
        path = f"  {self.path}" if self.path else ""
        value = f" = {self.value}" if self.value else ""
        return f"{self.focus}{path}{value}"

    def line(self) -> str:
        """One readable line.

        >>> Violation("id:event/x/1", "an event needs a schema:name", "schema:name").line()
        'id:event/x/1  schema:name: an event needs a schema:name'
        """
        return f"{self.where()}: {self.message}"


@dataclass
class ValidationReport:
    """Whether the graph conforms, pySHACL's own text, and the results one by one."""

    conforms: bool
    text: str
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0

    def summary(self, examples: int = 5) -> str:
        """The results grouped by message, most frequent first, with a few focus nodes each.

        >>> ValidationReport(True, "", triples=3).summary()
        'conforms: 3 triples checked'
        """
        if self.conforms:
            return f"conforms: {self.triples} triples checked"
        lines = [f"does not conform: {len(self.violations)} result(s) in {self.triples} triples"]
        by_message = Counter(v.message for v in self.violations)
        for message, count in by_message.most_common():
            lines.append(f"{count:5d} × {message}")
            group = [v for v in self.violations if v.message == message]
            for violation in group[:examples]:
                lines.append(f"        {violation.where()}")
            if len(group) > examples:
                lines.append(f"        … and {len(group) - examples} more")
        return "\n".join(lines)


def shorten(iri: str) -> str:
    """An IRI with the project's prefixes.

    >>> shorten("https://w3id.org/borderkg/ontology#inRaion")
    'bkg:inRaion'
    >>> shorten("https://w3id.org/borderkg/id/place/by-orsha")
    'id:place/by-orsha'
    """
    best = max(((p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns)),
               key=lambda item: len(item[1]), default=None)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else iri


def _rdflib_term(node):
    """A pyoxigraph term as the rdflib term pySHACL works on."""
    import rdflib

    kind = type(node).__name__
    if kind == "NamedNode":
        return rdflib.URIRef(node.value)
    if kind == "BlankNode":
        return rdflib.BNode(node.value)
    if kind == "Literal":
        if node.language:
            return rdflib.Literal(node.value, lang=node.language)
        if node.datatype.value == XSD_STRING:  # a simple literal: rdflib tells the two apart
            return rdflib.Literal(node.value)
        return rdflib.Literal(node.value, datatype=rdflib.URIRef(node.datatype.value))
    raise TypeError(f"expected a pyoxigraph NamedNode, BlankNode or Literal, got {kind}")


def union_graph(store_or_quads):
    """Every triple of every graph as one rdflib Graph.

    Takes a store (:class:`~borderkg.store.GraphStore`: its ``quads()``), a
    ``pyoxigraph.Store``, an rdflib Graph or Dataset, or an iterable of pyoxigraph quads or
    triples.

    >>> from pyoxigraph import Literal, NamedNode, Quad
    >>> s, p = NamedNode("http://example.org/s"), NamedNode("http://example.org/p")
    >>> quads = [Quad(s, p, Literal("a"), NamedNode("http://example.org/g1")),
    ...          Quad(s, p, Literal("a"), NamedNode("http://example.org/g2"))]
    >>> len(union_graph(quads))
    1
    """
    import rdflib

    source = store_or_quads
    graph = _caching_graph()
    if isinstance(source, rdflib.Graph):
        triples = (quad[:3] for quad in source.quads((None, None, None, None))) \
            if isinstance(source, rdflib.ConjunctiveGraph) else iter(source)
        for triple in triples:
            graph.add(triple)
        return graph
    if hasattr(source, "quads_for_pattern"):
        source = source.quads_for_pattern(None, None, None, None)
    elif callable(getattr(source, "quads", None)):
        source = source.quads()
    for quad in source:
        graph.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)))
    return graph


def _caching_graph():
    """An rdflib Graph that parses each SPARQL text once.

    pySHACL runs a SPARQL constraint once per focus node, with the same text and ``$this``
    bound by ``initBindings``; rdflib would parse that text every time (0.1 s each, most of
    a validation). Prepared queries are kept by text and prefixes instead.
    """
    import rdflib
    from rdflib.plugins.sparql import prepareQuery

    class CachingGraph(rdflib.Graph):
        def __init__(self) -> None:
            super().__init__()
            self._prepared: dict = {}

        def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # noqa: N803
                  initBindings=None, use_store_provided=True, **kwargs):  # noqa: N803
            if isinstance(query_object, str) and processor == "sparql":
                key = (query_object, tuple(sorted((initNs or {}).items())))
                if key not in self._prepared:
                    self._prepared[key] = prepareQuery(query_object, initNs=initNs or {})
                query_object = self._prepared[key]
            return super().query(query_object, processor, result, initNs, initBindings,
                                 use_store_provided, **kwargs)

    return CachingGraph()


def _load(paths: Iterable[str | Path]):
    import rdflib

    graph = rdflib.Graph()
    for path in paths:
        graph.parse(str(path), format="turtle")
    return graph


def validate(store_or_quads, shapes: str | Path = SHAPES,
             ontology: Iterable[str | Path] = ONTOLOGY_FILES, inference: str = "none") -> ValidationReport:
    """Check the union of the store's graphs against ``ontology/shapes.ttl``.

    ``inference`` is pySHACL's: ``"none"`` (the default, fast) or ``"rdfs"``.
    """
    import pyshacl

    data = union_graph(store_or_quads)
    triples = len(data)
    # Mixed in by hand: pySHACL mixes ``ont_graph`` in only when it runs inference.
    data += _load(ontology)
    conforms, results, text = pyshacl.validate(
        data, shacl_graph=_load([shapes]), inference=inference, inplace=True,
        abort_on_first=False, allow_warnings=False, meta_shacl=False, advanced=False)
    return ValidationReport(bool(conforms), text, _violations(results), triples)


def _violations(results) -> list[Violation]:
    import rdflib

    sh = rdflib.Namespace(SH)

    def one(result, predicate) -> str:
        node = results.value(result, predicate)
        if node is None:
            return ""
        return shorten(str(node)) if isinstance(node, rdflib.URIRef) else str(node)

    found = [Violation(focus=one(r, sh.focusNode), message=one(r, sh.resultMessage),
                       path=one(r, sh.resultPath), value=one(r, sh.value),
                       severity=one(r, sh.resultSeverity).removeprefix(SH).split(":")[-1],
                       shape=one(r, sh.sourceShape))
             for r in results.subjects(rdflib.RDF.type, sh.ValidationResult)]
    return sorted(found, key=lambda v: (v.message, v.focus, v.path, v.value))


__all__ = ["ONTOLOGY_FILES", "SHAPES", "ValidationReport", "Violation", "shorten",
           "union_graph", "validate"]
