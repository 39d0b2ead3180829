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
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from borderkg.derive import DocumentChanges, derive_layers, prune_entities
from borderkg.errors import BadInputError, BorderkgError
from borderkg.identity import Claims, content_fingerprint
from borderkg.read import read_document
from borderkg.sources import Sources, find_sources
from borderkg.vocab import BKG, DCT, ENTITIES_GRAPH, GAZETTEER_GRAPH, META_GRAPH, ONTOLOGY_GRAPH



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
    written on a thread of its own while the next one is extracted (:class:`_Writer`).
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
    writer = _Writer()
    shared = _SharedLines()
    if workers > 1 and len(files) > 1:
        # The workers start now: they load their models while this process writes below.
        outcomes = _Workers(files, known, workers, extractor)
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
            store.replace_graph(META_GRAPH, _meta_quads(fingerprint))
        elif former is not None:
            store.replace_graph(META_GRAPH, _meta_quads(former))
        prune_entities(store)
        # Nothing else runs now: every core the process may use computes layers at once.
        derive_layers(store, changes, threads=max(workers, usable_cores()))
        store.flush()
        store.publish()  # readers in other processes (`borderkg serve`) see the store as it is now
        report.totals = totals(store)
    finally:
        if isinstance(outcomes, _Workers):
            outcomes.join()  # no worker outlives the build (after a failed write they end on their own)
    return report


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


FINGERPRINT = f"{BKG}textFingerprint"


def stored_fingerprints(store) -> dict[str, str]:
    """File name → text fingerprint of every stored document that has one."""
    query = (f"SELECT ?id ?fp WHERE {{ GRAPH ?g {{ ?d <{DCT}identifier> ?id ; <{FINGERPRINT}> ?fp }} }}")
    return {row["id"].value: row["fp"].value for row in store.query(query)}


def _record(outcome: Outcome, store, report: BuildReport, claims: Claims, write: "_Writer",
            shared: "_SharedLines") -> set[str]:
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


class _SharedLines:
    """The N-Triples lines one build has written to the shared entities graph. Every report
    restates the organisations it names (type, name, country, location): each line is
    written once a build, not once a report. The graph only grows while documents are
    written (it is pruned after them), so a line seen is a line stored.

    >>> shared = _SharedLines()
    >>> shared.new(b'<urn:a> <urn:p> "1" .\\n<urn:b> <urn:p> "2" .\\n')
    b'<urn:a> <urn:p> "1" .\\n<urn:b> <urn:p> "2" .\\n'
    >>> shared.new(b'<urn:b> <urn:p> "2" .\\n<urn:c> <urn:p> "3" .\\n<urn:c> <urn:p> "3" .\\n')
    b'<urn:c> <urn:p> "3" .\\n'
    """

    def __init__(self) -> None:
        self._seen: set[bytes] = set()

    def new(self, ntriples: bytes) -> bytes:
        """The lines of ``ntriples`` not given before (each ends with its line break)."""
        lines = dict.fromkeys(ntriples.splitlines(keepends=True))  # a report restates its own too
        fresh = [line for line in lines if line not in self._seen]
        self._seen.update(fresh)
        return b"".join(fresh)


class _Writer:
    """A build's writes of documents, made one at a time and in order on a thread of their own,
    so that the next document is read and extracted while the last one is written (Oxigraph
    writes without holding the GIL). One write at most is under way: a call waits for the one
    before, and raises its error.

    >>> done = []
    >>> write = _Writer()
    >>> write(done.append, 1); write(done.append, 2); write.close(); done
    [1, 2]
    """

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._thread = ThreadPoolExecutor(1, thread_name_prefix="borderkg-write")
        self._pending = None

    def __call__(self, method: Callable, *args) -> None:
        self.wait()
        self._pending = self._thread.submit(method, *args)

    def wait(self) -> None:
        """Wait for the write under way; raise its error."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self._thread.shutdown(wait=True)


_WORKER_EXTRACTOR = None


def _init_worker(curation) -> None:
    global _WORKER_EXTRACTOR
    import atexit

    from borderkg.extract import Extractor

    _WORKER_EXTRACTOR = Extractor(curation=curation)
    atexit.register(_end_worker)


def _end_worker() -> None:
    """End a worker process without tearing its interpreter down. A worker's last outcome
    is sent before it starts to exit (the pool's result queue writes synchronously), so
    nothing is lost; freeing the models object by object took about 0.4 CPU-s a worker,
    while the building process computes the derived layers on the same cores."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _work(path: Path, known: dict[str, str]) -> Outcome:
    return process_file(path, known, _WORKER_EXTRACTOR)


class _Workers:
    """Outcomes in file order from a pool of worker processes, which start work when this is
    made (a bounded look-ahead keeps memory flat however many files there are)."""

    def __init__(self, files: list[Path], known: dict[str, str], workers: int, extractor) -> None:
        import multiprocessing
        from collections import deque
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")  # no fork of a process holding the store
        self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                         initargs=(extractor.curation,))
        self._known = known
        self._exiting = None  # the thread waiting for the workers to exit (see close)
        self._files = iter(files)
        self._pending = deque()
        for path in self._files:
            self._pending.append(self._pool.submit(_work, path, known))
            if len(self._pending) >= workers * 4:
                break

    def __iter__(self):
        while self._pending:
            outcome = self._pending.popleft().result()
            path = next(self._files, None)
            if path is not None:
                self._pending.append(self._pool.submit(_work, path, self._known))
            yield outcome

    def close(self) -> None:
        """Stop the workers: what is not begun is dropped, what runs is waited for. When every
        outcome was taken, nothing runs: the idle workers exit while the build goes on (their
        interpreters take about half a second to end) instead of before its derived layers."""
        running = bool(self._pending)
        self._pending.clear()
        if running:
            self._pool.shutdown(wait=True, cancel_futures=True)
        else:
            import threading

            self._exiting = threading.Thread(target=self._pool.shutdown, name="borderkg-workers-exit")
            self._exiting.start()

    def join(self) -> None:
        """Wait until the workers have exited (after :meth:`close`)."""
        if self._exiting is not None:
            self._exiting.join()


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


# What decides a document's triples besides its own content. Every file of the installed
# borderkg package is hashed except these, which only read the graph or serve it (so an edit
# of a linking rule, a reader or rdf.py — or an upgrade — relinks every document, while an
# edit of the views does not); a new module is in the fingerprint unless it is added here.
READ_ONLY_CODE = frozenset({"__main__.py", "cli.py", "commands", "evaluate.py", "explain.py",
                            "export.py", "goldens.py", "query.py", "serve", "serve.py",
                            "spreadsheet.py", "store", "validate.py", "views", "__pycache__",
                            "py.typed"})
CODE_ROOT = Path(__file__).resolve().parent  # the installed package
NLP_DISTRIBUTIONS = ("natasha", "slovnet", "navec", "razdel", "yargy", "pymorphy3",
                     "pymorphy3-dicts-ru", "pyoxigraph")


def pipeline_code(root: Path | None = None) -> list[Path]:
    """The source files of the package that decide the graph (see ``READ_ONLY_CODE``)."""
    root = CODE_ROOT if root is None else root
    return sorted(path for path in root.rglob("*") if path.is_file()
                  and not READ_ONLY_CODE.intersection(path.relative_to(root).parts)
                  and path.suffix != ".pyc")


def pipeline_versions() -> list[str]:
    """``name==version`` of borderkg and of the libraries whose output enters the graph."""
    from importlib import metadata

    from borderkg import __version__

    found = [f"borderkg=={__version__}"]
    for name in NLP_DISTRIBUTIONS:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}==absent")
    return found


def pipeline_fingerprint(extractor) -> str:
    """What, besides a document's own content, decides its triples: the package's version
    and the code of its stages (reading, parsing, extraction, linking, rdf), the versions of
    the NLP libraries, the gazetteer and ontology files, and the curation files."""
    import hashlib

    from borderkg.paths import GAZETTEER, ONTOLOGY

    digest = hashlib.sha256("\n".join(pipeline_versions()).encode())
    for path in pipeline_code():
        digest.update(f"\0code {path.relative_to(CODE_ROOT).as_posix()}\0".encode() + path.read_bytes())
    data = [p for p in sorted(GAZETTEER.rglob("*")) if p.is_file()] + [ONTOLOGY / n for n in ONTOLOGY_FILES]
    for path in data:
        if path.exists():
            digest.update(f"\0data {path.name}\0".encode() + path.read_bytes())
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
