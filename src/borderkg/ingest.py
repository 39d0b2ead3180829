"""Build: read every source file, extract its events, and store each document's graph.

A failing document is reported with its reason while every other one is stored. A file
whose content is unchanged since the last build is skipped; a changed one replaces its own
named graph and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from borderkg.derive import derive_partnerships
from borderkg.errors import BadInputError, BorderkgError
from borderkg.read import is_supported, read_document
from borderkg.vocab import BKG, GAZETTEER_GRAPH, ID, ONTOLOGY_GRAPH, SCHEMA

META_GRAPH = ID + "graph/meta"


@dataclass
class BuildReport:
    """What a build did, and the store's totals afterwards."""

    stored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed


def source_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to ingest: files as given, directories expanded to their supported files.

    A named file of an unsupported kind is kept, so that the build reports it.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_supported(p)))
        else:
            files.append(path)
    return files


def build(paths: Iterable[str | Path], store, extractor=None,
          progress: Callable[[Iterable], Iterable] = lambda it: it) -> BuildReport:
    """Ingest the given files and directories into ``store``."""
    from borderkg.rdf import document_quads, gazetteer_quads, graph_iri

    report = BuildReport()
    if extractor is None:
        from borderkg.extract import Extractor

        extractor = Extractor()
    gazetteer = extractor.index.gazetteer
    fingerprint = pipeline_fingerprint(extractor)
    if stored_fingerprint(store) != fingerprint:
        # The gazetteer, the curation or the code changed: every document is linked anew.
        store.replace_graph(GAZETTEER_GRAPH, gazetteer_quads(gazetteer))
        store.replace_graph(ONTOLOGY_GRAPH, ontology_quads())
        known = {}
    else:
        known = store.document_hashes()
    for path in progress(source_files(paths)):
        try:
            document = read_document(path)
            if known.get(document.doc_id) == document.sha256:
                report.unchanged.append(str(path))
                continue
            extractions = extractor.extract(document)
            store.replace_graph(graph_iri(document.doc_id).value,
                                document_quads(document, extractions, gazetteer))
            report.stored.append(str(path))
        except BadInputError as exc:
            report.failed.append((str(path), exc.reason))
        except BorderkgError as exc:
            report.failed.append((str(path), str(exc)))
        except Exception as exc:  # one bad document must not stop the others
            report.failed.append((str(path), f"unexpected {type(exc).__name__}: {exc}"))
    store.replace_graph(META_GRAPH, _meta_quads(fingerprint))
    derive_partnerships(store)
    store.flush()
    report.totals = totals(store)
    return report


ONTOLOGY_FILES = ("borderkg.ttl", "categories.ttl")


def ontology_quads():
    """The ontology and the SKOS category scheme, so that queries and views find labels."""
    import pyoxigraph

    from borderkg.paths import ONTOLOGY

    graph = pyoxigraph.NamedNode(ONTOLOGY_GRAPH)
    skolem: dict[str, pyoxigraph.NamedNode] = {}

    def stable(term):
        # Blank nodes get IRIs numbered in parse order, so two builds give the same quads.
        if isinstance(term, pyoxigraph.BlankNode):
            return skolem.setdefault(term.value, pyoxigraph.NamedNode(
                f"{ONTOLOGY_GRAPH}/.well-known/genid/{len(skolem) + 1}"))
        return term

    quads = []
    for name in ONTOLOGY_FILES:
        path = ONTOLOGY / name
        if path.exists():
            for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
                quads.append(pyoxigraph.Quad(stable(quad.subject), quad.predicate, stable(quad.object), graph))
    return quads


def pipeline_fingerprint(extractor) -> str:
    """What, besides a document's own content, decides its triples: the gazetteer files,
    the curation files and the code's version."""
    import hashlib

    from borderkg import __version__
    from borderkg.paths import GAZETTEER

    digest = hashlib.sha256(__version__.encode())
    from borderkg.paths import ONTOLOGY

    for path in sorted(GAZETTEER.glob("*.tsv")) + [ONTOLOGY / n for n in ONTOLOGY_FILES]:
        if path.exists():
            digest.update(path.name.encode() + path.read_bytes())
    digest.update(extractor.curation.digest.encode())
    return digest.hexdigest()


def stored_fingerprint(store) -> str | None:
    rows = list(store.query(f"SELECT ?f WHERE {{ GRAPH <{META_GRAPH}> {{ ?b <{BKG}pipelineFingerprint> ?f }} }}"))
    return rows[0]["f"].value if rows else None


def _meta_quads(fingerprint: str):
    from pyoxigraph import Literal, NamedNode, Quad

    build = NamedNode(META_GRAPH + "/build")
    return [Quad(build, NamedNode(f"{BKG}pipelineFingerprint"), Literal(fingerprint), NamedNode(META_GRAPH))]


def remove_document(store, doc_id: str) -> bool:
    """Take one document (by file name) out of the store; False when it was not there."""
    from borderkg.rdf import graph_iri

    graph = graph_iri(doc_id).value
    if graph not in store.graphs():
        return False
    store.remove_graph(graph)
    derive_partnerships(store)
    store.flush()
    return True


def totals(store) -> dict[str, int]:
    """Documents, events, municipalities, Belarusian partner places, partnerships and triples."""
    query = f"""
    SELECT (COUNT(DISTINCT ?doc) AS ?documents) (COUNT(DISTINCT ?event) AS ?events)
           (COUNT(DISTINCT ?muni) AS ?municipalities) (COUNT(DISTINCT ?place) AS ?places)
           (COUNT(DISTINCT ?partnership) AS ?partnerships)
    WHERE {{
      {{ GRAPH ?g {{ ?doc <{BKG}sha256> ?sha }} }}
      UNION {{ GRAPH ?g {{ ?event a <{SCHEMA}Event> }} }}
      UNION {{ GRAPH ?g {{ ?e <{BKG}reportingMunicipality> ?muni }} }}
      UNION {{ GRAPH ?g {{ ?e <{BKG}partnerPlace> ?place }} }}
      UNION {{ GRAPH ?g {{ ?partnership a <{BKG}Partnership> }} }}
    }}"""
    row = next(iter(store.query(query)))
    return {
        "documents": int(row["documents"].value), "events": int(row["events"].value),
        "municipalities": int(row["municipalities"].value),
        "belarusian_places": int(row["places"].value),
        "partnerships": int(row["partnerships"].value), "triples": store.triple_count(),
    }
