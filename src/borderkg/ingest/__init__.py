"""Build: read every source file, extract its events, and store each document's graph.

A failing document is reported with its reason while every other one is stored; a report
table read only in part is stored with a warning naming the rows. A file whose content is
unchanged since the last build is skipped; a changed one replaces its own named graph and
nothing else.

A build killed at any point leaves a consistent store: each graph is replaced in one update,
the pipeline fingerprint is cleared before the first graph changes and written back last (so
a half-done re-linking is redone whole), and readers in other processes see only what a
finished build published (:meth:`~borderkg.store.GraphStore.publish`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from borderkg.derive import DocumentChanges, derive_layers, prune_entities
from borderkg.identity import Claims
from borderkg.ingest.document import FINGERPRINT, Outcome, process_file
from borderkg.ingest.fingerprint import meta_quads, pipeline_fingerprint, stored_fingerprint
from borderkg.ingest.workers import Workers
from borderkg.ingest.writes import SharedLines, Writer
from borderkg.sources import Sources, find_sources
from borderkg.vocab import DCT, ENTITIES_GRAPH, GAZETTEER_GRAPH, META_GRAPH, ONTOLOGY_GRAPH


@dataclass
class BuildReport:
    """What a build did, and the store's totals afterwards."""

    stored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (entry, why it is not read)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file, what was not read)
    # stored documents extracted by a former pipeline (code, gazetteer, curation) that this
    # build did not read again: they keep what that pipeline made of them
    stale: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed


def source_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to ingest (:func:`borderkg.sources.find_sources`): files as given,
    directories expanded to their supported files.

    A named file of an unsupported kind is kept, so that the build reports it.
    """
    return find_sources(paths).files


FLUSH_EVERY_BYTES = 16 << 20  # of N-Triples written


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it).

    >>> usable_cores() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build(paths: Iterable[str | Path] | Sources, store, extractor=None,
          progress: Callable[[Iterable], Iterable] = lambda it: it, workers: int = 1,
          follow_symlinks: bool = False) -> BuildReport:
    """Ingest the given files and directories (or the :class:`~borderkg.sources.Sources`
    found from them) into ``store``. Entries that are not read are in the report's
    ``skipped`` or ``failed``; the same report twice is stored once
    (:mod:`borderkg.identity`).

    With ``workers > 1`` documents are read and extracted in that many processes (each loads
    the models once, while this process writes the gazetteer); this process alone writes to
    the store, one graph at a time. The derived layers are then recomputed on as many threads
    as there are workers or usable cores, whichever is more
    (:func:`borderkg.derive.derive_layers`). With any number of workers a document is
    written on a thread of its own while the next one is extracted (:class:`~borderkg.ingest.writes.Writer`).
    """
    from borderkg.rdf import gazetteer_quads

    report = BuildReport()
    if extractor is None:
        from borderkg.extract import Extractor

        extractor = Extractor()
    gazetteer = extractor.gazetteer
    fingerprint = pipeline_fingerprint(extractor)
    # When the gazetteer, the curation or the code changed, every document is linked anew.
    former = stored_fingerprint(store)
    relink = former != fingerprint
    hashes = store.document_hashes()  # of the documents already in the store
    known = {} if relink else hashes
    sources = paths if isinstance(paths, Sources) else find_sources(paths, follow_symlinks)
    report.failed.extend(sources.refused)
    report.skipped.extend(sources.skipped)
    files = sources.files
    if relink:
        # Stored documents this build does not read keep their extraction and the shared
        # descriptions they refer to, and the store keeps the former fingerprint, so that the
        # next build of them relinks them.
        report.stale = sorted(set(hashes) - {path.name for path in files})
    writer = Writer()
    shared = SharedLines()
    if workers > 1 and len(files) > 1:
        # The workers start now: they load their models while this process writes below.
        outcomes = Workers(files, known, workers, extractor)
    else:
        outcomes = (process_file(path, known, extractor) for path in files)
    try:
        if relink:
            # The old fingerprint goes first: a build killed from here on is redone whole.
            store.remove_graph(META_GRAPH)
            if not report.stale:
                store.remove_graph(ENTITIES_GRAPH)
            store.replace_graph(GAZETTEER_GRAPH, gazetteer_quads(gazetteer))
            store.replace_graph(ONTOLOGY_GRAPH, ontology_quads())
        stored = stored_fingerprints(store)
        claims = Claims.from_store(stored, {path.name for path in files})
        present = set(stored) | set(hashes)  # documents already in the store
        changes = DocumentChanges.begin(store)  # the graphs written or removed, for the document layers
        unflushed = 0
        for outcome in progress(outcomes):
            for graph in _record(outcome, store, report, claims, writer, shared):
                changes.add(graph, existed=outcome.doc_id in present)
            # Oxigraph keeps writes in memory until flushed: without this its memory grows with
            # every document (about 4 MB a report), with it the build's memory stays flat.
            unflushed += len(outcome.ntriples) + len(outcome.shared)
            if unflushed >= FLUSH_EVERY_BYTES:
                writer(store.flush)
                unflushed = 0
    finally:
        try:
            writer.close()  # the last write is done (or its error raised) before anything else
        finally:
            outcomes.close()
    try:
        if not report.stale:
            store.replace_graph(META_GRAPH, meta_quads(fingerprint))
        elif former is not None:
            store.replace_graph(META_GRAPH, meta_quads(former))
        prune_entities(store)
        # Nothing else runs now: every core the process may use computes layers at once.
        derive_layers(store, changes, threads=max(workers, usable_cores()))
        store.flush()
        store.publish()  # readers in other processes (`borderkg serve`) see the store as it is now
        report.totals = totals(store)
    finally:
        if isinstance(outcomes, Workers):
            outcomes.join()  # no worker outlives the build (after a failed write they end on their own)
    return report


def stored_fingerprints(store) -> dict[str, str]:
    """File name → text fingerprint of every stored document that has one."""
    query = (f"SELECT ?id ?fp WHERE {{ GRAPH ?g {{ ?d <{DCT}identifier> ?id ; <{FINGERPRINT}> ?fp }} }}")
    return {row["id"].value: row["fp"].value for row in store.query(query)}


def _record(outcome: Outcome, store, report: BuildReport, claims: Claims, write: Writer,
            shared: SharedLines) -> set[str]:
    """Store one outcome through ``write`` (or say why not), with the lines of its shared
    entities that ``shared`` has not seen yet; returns the document graphs written or removed."""
    if outcome.status == "failed":
        report.failed.append((outcome.path, outcome.reason))
        return set()
    refused = claims.check(outcome.doc_id, outcome.path, outcome.fingerprint)
    if refused is not None:
        kind, reason = refused
        if kind == "duplicate" and outcome.doc_id not in claims.names:
            # a copy an earlier build may have stored goes (removing a graph not there is a no-op)
            from borderkg.rdf import graph_iri

            write(store.remove_graph, graph_iri(outcome.doc_id).value)
            (report.failed if kind == "clash" else report.skipped).append((outcome.path, reason))
            return {graph_iri(outcome.doc_id).value}
        (report.failed if kind == "clash" else report.skipped).append((outcome.path, reason))
    elif outcome.status == "unchanged":
        report.unchanged.append(outcome.path)
    else:
        write(store.replace_graph_ntriples, outcome.graph, outcome.ntriples,
              (ENTITIES_GRAPH, shared.new(outcome.shared)))
        report.stored.append(outcome.path)
        report.warnings.extend((outcome.path, warning) for warning in outcome.warnings)
        return {outcome.graph}
    return set()


def ontology_quads():
    """The ontology and the SKOS category scheme, so that queries and views find labels."""
    import pyoxigraph

    from borderkg.paths import ONTOLOGY_FILES

    graph = pyoxigraph.NamedNode(ONTOLOGY_GRAPH)
    skolem: dict[str, pyoxigraph.NamedNode] = {}

    def stable(term):
        # Blank nodes get IRIs numbered in parse order, so two builds give the same quads.
        if isinstance(term, pyoxigraph.BlankNode):
            return skolem.setdefault(term.value, pyoxigraph.NamedNode(
                f"{ONTOLOGY_GRAPH}/.well-known/genid/{len(skolem) + 1}"))
        return term

    quads = []
    for path in ONTOLOGY_FILES:
        if path.exists():
            for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
                quads.append(pyoxigraph.Quad(stable(quad.subject), quad.predicate, stable(quad.object), graph))
    return quads


def remove_document(store, doc_id: str) -> bool:
    """Take one document (by file name) out of the store; False when it was not there."""
    from borderkg.rdf import graph_iri

    graph = graph_iri(doc_id).value
    if graph not in store.graphs():
        return False
    changes = DocumentChanges.begin(store)
    store.remove_graph(graph)
    changes.add(graph)
    prune_entities(store)
    derive_layers(store, changes, threads=usable_cores())
    store.flush()
    store.publish()
    return True


def totals(store) -> dict[str, int]:
    """The build summary: the graph's figures as every surface shows them
    (``borderkg.figures.totals``, defined in ``queries/README.md``), and the triples."""
    from borderkg.figures import totals as figures

    return {**figures(store), "triples": store.triple_count()}
