"""SPARQL and N-Triples helpers shared by every store backend (no backend imported here)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from borderkg.vocab import BKG, DCT

DOCUMENT_HASHES = (f"SELECT ?id ?sha WHERE {{ GRAPH ?g {{ ?d <{DCT}identifier> ?id ; "
                   f"<{BKG}sha256> ?sha }} }}")
# Triples in one INSERT DATA: Virtuoso 7's SPARQL parser runs out of stack ("SP030 ... memory
# exhausted") near 5,000 (the gazetteer's 5,400 failed, 4,900 passed); 2,000 leaves a margin.
INSERT_DATA_TRIPLES = 2000
QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b(?!\s*:)", re.IGNORECASE)


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


def as_nquads(graph: str, ntriples: bytes) -> bytes | None:
    """N-Triples lines (each ending `` .``) as N-Quads in ``graph``, or None when a line does
    not end so. A literal cannot hold a raw line break in N-Triples, so `` .`` before one ends
    a statement.

    >>> as_nquads("urn:g", b'<urn:s> <urn:p> "a .b" .\\n')
    b'<urn:s> <urn:p> "a .b" <urn:g> .\\n'
    >>> as_nquads("urn:g", b'<urn:s> <urn:p> <urn:o>.\\n') is None
    True
    """
    if ntriples.count(b"\n") != ntriples.count(b" .\n") or (ntriples and not ntriples.endswith(b"\n")):
        return None
    return ntriples.replace(b" .\n", b" " + iri(graph).encode("utf-8") + b" .\n")


def replace_update(graph: str, ntriples: bytes, merge: tuple[str, bytes] | None = None) -> str:
    """One SPARQL update replacing ``graph`` by ``ntriples`` and adding ``merge``'s triples to
    its graph: applied whole or not at all (one request), however many ``INSERT DATA``
    operations of at most :data:`INSERT_DATA_TRIPLES` triples it takes.

    >>> print(replace_update("urn:g", b'<urn:s> <urn:p> "o" .\\n', ("urn:shared", b'<urn:s> <urn:q> "r" .\\n')))
    DROP SILENT GRAPH <urn:g> ;
    INSERT DATA { GRAPH <urn:g> {
    <urn:s> <urn:p> "o" .
    } } ;
    INSERT DATA { GRAPH <urn:shared> {
    <urn:s> <urn:q> "r" .
    } }
    >>> many = b"".join(b'<urn:s> <urn:p> "%d" .\\n' % n for n in range(INSERT_DATA_TRIPLES + 1))
    >>> replace_update("urn:g", many).count("INSERT DATA")
    2
    >>> replace_update("urn:g", b"")
    'DROP SILENT GRAPH <urn:g>'
    """
    operations = [f"DROP SILENT GRAPH {iri(graph)}"]
    for name, data in ((graph, ntriples), merge or ("", b"")):
        # no empty GRAPH block: SPARQL allows one, Virtuoso 7 rejects it (syntax error at '}')
        lines = data.decode("utf-8").splitlines(keepends=True)
        for start in range(0, len(lines), INSERT_DATA_TRIPLES):
            block = "".join(lines[start:start + INSERT_DATA_TRIPLES])
            operations.append(f"INSERT DATA {{ GRAPH {iri(name)} {{\n{block}}} }}")
    return " ;\n".join(operations)


def patch_update(graph: str, removed: bytes, added: bytes) -> str:
    """One SPARQL update taking the N-Triples ``removed`` out of ``graph`` and putting
    ``added`` in: applied whole or not at all (what a derived layer changes, not all of it),
    in operations of at most :data:`INSERT_DATA_TRIPLES` triples and with no empty block.

    >>> print(patch_update("urn:g", b'<urn:s> <urn:p> "o" .\\n', b'<urn:s> <urn:p> "n" .\\n'))
    DELETE DATA { GRAPH <urn:g> {
    <urn:s> <urn:p> "o" .
    } } ;
    INSERT DATA { GRAPH <urn:g> {
    <urn:s> <urn:p> "n" .
    } }
    >>> patch_update("urn:g", b"", b"")
    ''
    """
    operations = []
    for verb, data in (("DELETE", removed), ("INSERT", added)):
        lines = data.decode("utf-8").splitlines(keepends=True)
        for start in range(0, len(lines), INSERT_DATA_TRIPLES):
            block = "".join(lines[start:start + INSERT_DATA_TRIPLES])
            operations.append(f"{verb} DATA {{ GRAPH {iri(graph)} {{\n{block}}} }}")
    return " ;\n".join(operations)


def query_form(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first form keyword after the
    prologue, whose only other words are ``PREFIX``/``BASE`` with IRIs (taken out, with
    comments, first); ``SELECT`` when none is found (the server will say what is wrong).

    >>> query_form("PREFIX ask: <http://e/#select>\\n# describe it\\nconstruct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    >>> query_form("ASK { ?s ?p ?o }"), query_form("SELECT * {}")
    ('ASK', 'SELECT')
    """
    prologue = re.sub(r"#[^\n]*", " ", re.sub(r"<[^>\s]*>", " ", sparql))
    found = QUERY_FORM.search(prologue)
    return found.group(1).upper() if found else "SELECT"


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

