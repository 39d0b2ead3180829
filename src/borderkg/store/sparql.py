"""SPARQL and N-Triples helpers shared by every store backend (no backend imported here)."""

from __future__ import annotations

from collections.abc import Iterable

from borderkg.vocab import BKG, DCT

DOCUMENT_HASHES = (f"SELECT ?id ?sha WHERE {{ GRAPH ?g {{ ?d <{DCT}identifier> ?id ; "
                   f"<{BKG}sha256> ?sha }} }}")
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def iri(value: str) -> str:
    """An IRI in SPARQL text, checked by pyoxigraph so that it cannot break out.

    >>> iri("urn:g")
    '<urn:g>'
    >>> iri("urn:g> } ; DROP ALL ; #")
    Traceback (most recent call last):
    ...
    ValueError: Invalid IRI code point '>'
    """
    from pyoxigraph import NamedNode

    return str(NamedNode(value))


def replace_update(graph: str, ntriples: bytes, merge: tuple[str, bytes] | None = None) -> str:
    """One SPARQL update replacing ``graph`` by ``ntriples`` and adding ``merge``'s triples to
    its graph: applied whole or not at all.

    >>> print(replace_update("urn:g", b'<urn:s> <urn:p> "o" .\\n', ("urn:shared", b'<urn:s> <urn:q> "r" .\\n')))
    DROP SILENT GRAPH <urn:g> ;
    INSERT DATA { GRAPH <urn:g> {
    <urn:s> <urn:p> "o" .
    }
    GRAPH <urn:shared> {
    <urn:s> <urn:q> "r" .
    } }
    """
    parts = [f"GRAPH {iri(graph)} {{\n{ntriples.decode('utf-8')}}}"]
    if merge is not None and merge[1].strip():
        parts.append(f"GRAPH {iri(merge[0])} {{\n{merge[1].decode('utf-8')}}}")
    return f"DROP SILENT GRAPH {iri(graph)} ;\nINSERT DATA {{ " + "\n".join(parts) + " }"


def prefix_lines(prefixes: dict[str, str] | None) -> str:
    """SPARQL ``PREFIX`` declarations to put before a query; its own declarations come later
    and so take precedence, as with pyoxigraph's ``prefixes`` argument.

    >>> prefix_lines({"schema": "http://schema.org/"})
    'PREFIX schema: <http://schema.org/>\\n'
    """
    return "".join(f"PREFIX {name}: <{value}>\n" for name, value in (prefixes or {}).items())


def graph_triples(graph: str, quads: Iterable) -> list:
    """The triples of ``quads``, every one of which must be in ``graph`` (or be a triple).

    >>> from pyoxigraph import NamedNode, Quad
    >>> s, p = NamedNode("urn:s"), NamedNode("urn:p")
    >>> graph_triples("urn:g", [Quad(s, p, s, NamedNode("urn:g"))])
    [<Triple subject=<NamedNode value=urn:s> predicate=<NamedNode value=urn:p> object=<NamedNode value=urn:s>>]
    >>> graph_triples("urn:g", [Quad(s, p, s, NamedNode("urn:other"))])
    Traceback (most recent call last):
    ...
    ValueError: a quad of graph <urn:other> was given to replace_graph(<urn:g>)
    """
    from pyoxigraph import NamedNode, Quad

    node = NamedNode(graph)
    triples = []
    for quad in quads:
        if isinstance(quad, Quad):
            if quad.graph_name != node:
                raise ValueError(f"a quad of graph {quad.graph_name} was given to replace_graph({node})")
            quad = quad.triple
        triples.append(quad)
    return triples


def serialize_ntriples(triples: list) -> bytes:
    """Triples as N-Triples bytes (empty for none)."""
    from pyoxigraph import RdfFormat, serialize

    return serialize(triples, format=RdfFormat.N_TRIPLES) or b""

