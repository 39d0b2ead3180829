"""IRIs of the vocabularies the graph uses, as plain strings (no RDF library at import)."""

BKG = "https://w3id.org/borderkg/ontology#"
ID = "https://w3id.org/borderkg/id/"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
GEO = "http://www.opengis.net/ont/geosparql#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
WD = "http://www.wikidata.org/entity/"
CAT = ID + "category/"

PREFIXES = {
    "bkg": BKG, "id": ID, "schema": SCHEMA, "org": ORG, "prov": PROV, "geo": GEO,
    "skos": SKOS, "dct": DCT, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "wd": WD,
}

GAZETTEER_GRAPH = ID + "graph/gazetteer"
ONTOLOGY_GRAPH = ID + "graph/ontology"
# Descriptions shared by documents (an organisation's name, type and place; a settlement the
# gazetteer lacks): written once here, not once per document, so that the union of the graphs
# holds each such triple once however many reports name the entity.
ENTITIES_GRAPH = ID + "graph/entities"
META_GRAPH = ID + "graph/meta"  # the fingerprint of the pipeline that built the documents


def sparql_prefixes() -> str:
    """PREFIX lines for every vocabulary, to put in front of a query.

    >>> "PREFIX bkg: <https://w3id.org/borderkg/ontology#>" in sparql_prefixes()
    True
    """
    return "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n"
