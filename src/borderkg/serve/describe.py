"""What ``GET /sparql`` without a query answers: a SPARQL 1.1 Service Description of the
endpoint with a VoID description of its dataset (triples, named graphs, the largest class and
property partitions), in the RDF syntax the client's ``Accept`` names (Turtle by default).

The figures are counted by the engine once per generation served.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, serialize

from borderkg.vocab import BKG, DCT, ID, PREFIXES, RDF, XSD

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
SH = "http://www.w3.org/ns/shacl#"
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                  "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")
SYNTAXES = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES,
            "application/rdf+xml": RdfFormat.RDF_XML, "application/ld+json": RdfFormat.JSON_LD}
PARTITIONS = 10   # class and property partitions described

# The counts, each one SELECT the engine answers (over the union of the graphs).
COUNTS = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "classes": (f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c }} GROUP BY ?c "
                f"ORDER BY DESC(?n) ?c LIMIT {PARTITIONS}"),
    "properties": (f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} GROUP BY ?p "
                   f"ORDER BY DESC(?n) ?p LIMIT {PARTITIONS}"),
}


def syntax_for(accept: str) -> tuple[str, RdfFormat]:
    """The media type and syntax of the description for an ``Accept`` header.

    >>> syntax_for("application/rdf+xml;q=0.9, */*;q=0.1")[0]
    'application/rdf+xml'
    >>> syntax_for("*/*")[0]
    'text/turtle'
    """
    for part in accept.split(","):
        kind = part.split(";")[0].strip().lower()
        if kind in SYNTAXES:
            return kind, SYNTAXES[kind]
    return "text/turtle", RdfFormat.TURTLE


def description(endpoint: str, counts: dict[str, list[dict]], syntax: RdfFormat) -> bytes:
    """The Service Description of ``endpoint`` with the dataset's VoID figures ``counts``
    (rows of the :data:`COUNTS` queries, as ``{"g": iri, "n": number}``; empty when they could
    not be counted).

    >>> text = description("http://127.0.0.1:7878/sparql", {"triples": [{"n": "12"}],
    ...     "graphs": [{"g": "https://w3id.org/borderkg/id/graph/gazetteer", "n": "10"}],
    ...     "classes": [], "properties": []}, RdfFormat.N_TRIPLES).decode()
    >>> "<http://www.w3.org/ns/sparql-service-description#endpoint> <http://127.0.0.1:7878/sparql>" in text
    True
    >>> '<http://rdfs.org/ns/void#triples> "12"^^' in text
    True
    """
    quads: list[Quad] = []

    def add(subject, predicate: str, obj) -> None:
        quads.append(Quad(subject, NamedNode(predicate), obj))

    def number(value) -> Literal:
        return Literal(str(value), datatype=NamedNode(XSD + "integer"))

    service, dataset, default = NamedNode(endpoint), BlankNode(), BlankNode()
    add(service, RDF + "type", NamedNode(SD + "Service"))
    add(service, SD + "endpoint", service)
    add(service, SD + "supportedLanguage", NamedNode(SD + "SPARQL11Query"))
    add(service, SD + "feature", NamedNode(SD + "UnionDefaultGraph"))
    for name in RESULT_FORMATS:
        add(service, SD + "resultFormat", NamedNode(FORMATS_NS + name))
    add(service, SD + "defaultDataset", dataset)
    add(dataset, RDF + "type", NamedNode(SD + "Dataset"))
    add(dataset, SD + "defaultGraph", default)
    add(default, RDF + "type", NamedNode(SD + "Graph"))
    add(default, RDF + "type", NamedNode(VOID + "Dataset"))
    add(default, DCT + "title", Literal("borderkg: cross-border cooperation of the Smolensk region and Belarus"))
    add(default, VOID + "sparqlEndpoint", service)
    add(default, VOID + "uriSpace", Literal(ID))
    add(default, VOID + "vocabulary", NamedNode(BKG))
    for name, iri in PREFIXES.items():
        binding = BlankNode()
        add(default, SH + "declare", binding)  # the predeclared prefixes, as SHACL writes them
        add(binding, SH + "prefix", Literal(name))
        add(binding, SH + "namespace", Literal(iri, datatype=NamedNode(XSD + "anyURI")))
    for row in counts.get("triples", [])[:1]:  # no figures: nothing said (not a 0)
        add(default, VOID + "triples", number(row["n"]))
    for row in counts.get("classes", []):
        part = BlankNode()
        add(default, VOID + "classPartition", part)
        add(part, VOID + "class", NamedNode(row["c"]))
        add(part, VOID + "entities", number(row["n"]))
    for row in counts.get("properties", []):
        part = BlankNode()
        add(default, VOID + "propertyPartition", part)
        add(part, VOID + "property", NamedNode(row["p"]))
        add(part, VOID + "triples", number(row["n"]))
    for row in counts.get("graphs", []):
        named, graph = BlankNode(), BlankNode()
        add(dataset, SD + "namedGraph", named)
        add(named, SD + "name", NamedNode(row["g"]))
        add(named, SD + "graph", graph)
        add(graph, RDF + "type", NamedNode(VOID + "Dataset"))
        add(graph, VOID + "triples", number(row["n"]))
    prefixes = {"sd": SD, "void": VOID, "formats": FORMATS_NS, "dct": DCT, "bkg": BKG,
                "xsd": XSD, "rdf": RDF, "sh": SH}
    triples_only = [q.triple for q in quads]
    if syntax in (RdfFormat.TURTLE, RdfFormat.RDF_XML):
        return serialize(triples_only, format=syntax, prefixes=prefixes)
    return serialize(triples_only, format=syntax)
