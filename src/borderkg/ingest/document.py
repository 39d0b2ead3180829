"""One source file's way into the build: read, fingerprint, extract, and its graph serialised
as N-Triples (:class:`Outcome`), in whichever process extracts it (:mod:`.workers`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from borderkg.errors import BadInputError, BorderkgError
from borderkg.identity import content_fingerprint
from borderkg.read import read_document
from borderkg.vocab import BKG

FINGERPRINT = f"{BKG}textFingerprint"  # of a document's content, stored in its own graph


@dataclass
class Outcome:
    """What became of one file: stored (with its graph as N-Triples), unchanged, or failed."""

    path: str
    status: str  # "stored" | "unchanged" | "failed"
    doc_id: str = ""
    fingerprint: str = ""  # of the content (:func:`~borderkg.identity.content_fingerprint`)
    graph: str = ""
    ntriples: bytes = b""
    shared: bytes = b""  # N-Triples for the shared entities graph
    reason: str = ""
    warnings: list[str] = field(default_factory=list)


def process_file(path: Path, known: dict[str, str], extractor) -> Outcome:
    """Read and extract one file into its graph; every error becomes a failed outcome."""
    import pyoxigraph

    from borderkg.parse import parse_report
    from borderkg.rdf import document_iri, document_quads, graph_iri

    try:
        document = read_document(path)
        fingerprint = content_fingerprint(document)
        if known.get(document.doc_id) == document.sha256:
            return Outcome(str(path), "unchanged", document.doc_id, fingerprint)
        report = parse_report(document)  # once: the extractor and the warnings share it
        quads = document_quads(document, extractor.extract_parsed(document, report))
        graph = graph_iri(document.doc_id)
        own = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == graph]
        own.append(pyoxigraph.Triple(document_iri(document.doc_id), pyoxigraph.NamedNode(FINGERPRINT),
                                     pyoxigraph.Literal(fingerprint)))
        shared = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name != graph]
        return Outcome(str(path), "stored", document.doc_id, fingerprint, graph.value, _ntriples(own),
                       _ntriples(shared), warnings=report.warnings if report else [])
    except BadInputError as exc:
        return Outcome(str(path), "failed", reason=exc.reason)
    except BorderkgError as exc:
        return Outcome(str(path), "failed", reason=str(exc))
    except Exception as exc:  # one bad document must not stop the others
        return Outcome(str(path), "failed", reason=f"unexpected {type(exc).__name__}: {exc}")


def _ntriples(triples: list) -> bytes:
    import pyoxigraph

    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""




