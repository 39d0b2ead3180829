"""Ingest benchmarks, each in a fresh Python process so that no model is loaded beforehand.

    .venv/bin/python bench/ingest.py build CORPUS STORE [--workers N]   # borderkg.ingest.build
    .venv/bin/python bench/ingest.py natasha CORPUS [--mode doc|map]    # bare natasha NER
    .venv/bin/python bench/ingest.py add STORE REPORT [--copy-to DIR]   # one more report
    .venv/bin/python bench/ingest.py write STORE SCRATCH                # the writes alone

Both print one JSON object. ``build`` times the library call (models load inside it) and
stamps every document as its graph goes to the writing thread (the write before it done), so
that the steady rate (after the first document, whose time includes loading the models) can
be told from the total. ``natasha`` runs the NER alone
over the same texts the pipeline tags: the name, place, content and participants cells of
every report row, and the paragraphs of the free-text documents. ``doc`` is natasha's
documented usage (``Doc(text).segment(Segmenter()); doc.tag_ner(NewsNERTagger(emb))`` per
text); ``map`` is slovnet's batched ``tagger.map(texts)``, the call borderkg's NER uses.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
HERE = Path(__file__).resolve().parent
ROW_TEXTS = ("name", "place", "content", "participants")


def stopwatch(module, name: str) -> list[float]:
    """Replace ``module.name`` by the same function with a stopwatch; returns the list its
    calls' durations (s) are appended to."""
    function, times = getattr(module, name), []

    def timed(*args, **kwargs):
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            times.append(time.perf_counter() - began)

    setattr(module, name, timed)
    return times


def timed_build(corpus: Path, store_path: Path, workers: int) -> dict:
    """Build ``corpus`` into a fresh store at ``store_path`` and time it; the derived
    layers (recomputed at the end of every build) are timed on their own too."""
    import borderkg.ingest as ingest
    from borderkg.ingest import build, source_files
    from borderkg.store import OxigraphStore

    imported = time.perf_counter()
    store = OxigraphStore(store_path)
    stamps: list[float] = []
    cpu: list[float] = []  # this process's CPU time (all its threads) at each stamp
    derive_s = stopwatch(ingest, "derive_layers")

    def progress(outcomes):
        for outcome in outcomes:
            yield outcome
            stamps.append(time.perf_counter())  # the graph handed to the writer
            cpu.append(time.process_time())

    began = time.perf_counter()
    report = build([corpus], store, progress=progress, workers=workers)
    ended = time.perf_counter()
    store.close()
    docs = len(stamps)
    steady = (stamps[-1] - stamps[0]) / (docs - 1) if docs > 1 else None
    return {"workers": workers, "files": len(source_files([corpus])), "stored": len(report.stored),
            "failed": report.failed, "import_s": round(imported - STARTED, 3),
            "build_s": round(ended - began, 3), "first_doc_s": round(stamps[0] - began, 3) if stamps else None,
            "last_doc_s": round(stamps[-1] - began, 3) if stamps else None,
            "finish_s": round(ended - stamps[-1], 3) if stamps else None,
            "steady_s_per_doc": round(steady, 4) if steady else None,
            # with one worker, the extraction's and the writing thread's CPU together
            "steady_cpu_s_per_doc": round((cpu[-1] - cpu[0]) / (docs - 1), 4) if docs > 1 else None,
            "derive_s": round(sum(derive_s), 3),
            "totals": report.totals}


def timed_add(store_path: Path, report: Path, copy_to: Path | None = None) -> dict:
    """Add one report to a built store (``borderkg build REPORT`` on it, models loaded inside
    the call, derived layers included), on a copy when ``copy_to`` is given so that the store
    can be measured again; the derived layers are timed on their own too."""
    import shutil

    if copy_to is not None:
        shutil.rmtree(copy_to, ignore_errors=True)
        shutil.copytree(store_path, copy_to)
        store_path = copy_to
    import borderkg.ingest as ingest
    from borderkg.store import OxigraphStore

    store = OxigraphStore(store_path)
    documents = len(store.document_hashes())
    derive_s = stopwatch(ingest, "derive_layers")
    began = time.perf_counter()
    built = ingest.build([report], store)
    ended = time.perf_counter()
    triples = store.triple_count()
    store.close()
    return {"documents_before": documents, "stored": len(built.stored), "failed": built.failed,
            "add_s": round(ended - began, 3), "derive_s": round(sum(derive_s), 3), "triples": triples}


def timed_writes(store_path: Path, scratch: Path) -> dict:
    """The build's writes alone: the document graphs of a built store, as N-Triples, written
    again one graph at a time into fresh stores under ``scratch``, as the build writes them
    (one ``load`` of N-Quads, a transaction, a flush every 16 MB) and by ``bulk_load`` (not
    atomic), in CPU time of every thread (RocksDB compacts on threads of its own)."""
    import shutil

    import pyoxigraph

    from borderkg.ingest import FLUSH_EVERY_BYTES
    from borderkg.rdf import graph_iri
    from borderkg.store import OxigraphStore
    from borderkg.store.sparql import as_nquads

    source = OxigraphStore(store_path, read_only=True)
    documents = []
    for doc_id in sorted(source.document_hashes()):
        graph = graph_iri(doc_id)
        triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object)
                   for q in source.native.quads_for_pattern(None, None, None, graph)]
        documents.append(as_nquads(graph.value, pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)))
    source.close()
    result = {"documents": len(documents), "quads_per_doc": round(sum(d.count(b"\n") for d in documents) / len(documents))}
    for method in ("load", "bulk_load"):
        target = scratch / method
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        store, unflushed = pyoxigraph.Store(str(target)), 0
        cpu, wall = time.process_time(), time.perf_counter()
        for nquads in documents:
            getattr(store, method)(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
            unflushed += len(nquads)
            if unflushed >= FLUSH_EVERY_BYTES:
                store.flush()
                unflushed = 0
        store.flush()
        result[method] = {"cpu_s_per_doc": round((time.process_time() - cpu) / len(documents), 4),
                          "wall_s_per_doc": round((time.perf_counter() - wall) / len(documents), 4)}
        del store
        shutil.rmtree(target, ignore_errors=True)
    return result


def texts_of(corpus: Path) -> list[list[str]]:
    """Per document, the texts the pipeline gives to NER (report cells, else paragraphs)."""
    from borderkg.document import Paragraph, TableRow
    from borderkg.ingest import source_files
    from borderkg.parse import Column, parse_report
    from borderkg.read import read_document

    columns = [Column(name) for name in ROW_TEXTS]
    documents = []
    for path in source_files([corpus]):
        document = read_document(path)
        report = parse_report(document)
        if report is not None:
            texts = [row.cell(column) for row in report.rows for column in columns]
        else:
            texts = [b.text if isinstance(b, Paragraph) else "\t".join(b.cells)
                     for b in document.blocks if isinstance(b, (Paragraph, TableRow))]
        documents.append([text for text in texts if text.strip()])
    return documents


def timed_natasha(corpus: Path, mode: str) -> dict:
    """natasha's NER alone over the corpus texts (reading and parsing not counted)."""
    began = time.perf_counter()
    documents = texts_of(corpus)
    read = time.perf_counter()
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())
    loaded, loaded_cpu = time.perf_counter(), time.process_time()
    spans = 0
    for texts in documents:
        if mode == "doc":
            for text in texts:
                doc = Doc(text)
                doc.segment(segmenter)
                doc.tag_ner(tagger)
                spans += len(doc.spans)
        else:
            spans += sum(len(markup.spans) for markup in tagger.map(texts))
    ended = time.perf_counter()
    return {"mode": mode, "files": len(documents), "texts": sum(map(len, documents)),
            "characters": sum(len(t) for texts in documents for t in texts), "spans": spans,
            "read_parse_s": round(read - began, 3), "load_s": round(loaded - read, 3),
            "ner_s": round(ended - loaded, 3), "ner_cpu_s": round(time.process_time() - loaded_cpu, 3),
            "total_s": round(ended - read, 3),
            "import_s": round(began - STARTED, 3)}


def child_env() -> dict:
    """The environment of a child, without a BLAS thread count a user may have set: the
    bench measures borderkg (which picks one thread itself) and natasha as installed."""
    from borderkg.ner import BLAS_THREAD_VARIABLES

    return {name: value for name, value in os.environ.items() if name not in BLAS_THREAD_VARIABLES}


def run_child(*args: str, timeout: float) -> dict:
    """Run this module in a fresh interpreter and return the JSON it prints."""
    done = subprocess.run([sys.executable, str(HERE / "ingest.py"), *args], capture_output=True,
                          text=True, timeout=timeout, env=child_env())
    if done.returncode != 0:
        raise RuntimeError(f"bench/ingest.py {' '.join(args)} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cli_build_with_memory(corpus: Path, store_path: Path, workers: int, timeout: float) -> dict:
    """``borderkg build --workers N --quiet`` as a subprocess, its process tree sampled."""
    from memory import TreeSampler

    command = [str(Path(sys.executable).parent / "borderkg"), "build", "--workers", str(workers),
               "--quiet", "--store", str(store_path), str(corpus)]
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=child_env())
    sampler = TreeSampler(process.pid).start()
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        err += f"\n(stopped after {timeout:.0f} s)"
    wall = time.perf_counter() - began
    sampler.stop()
    return {"command": " ".join(command), "returncode": process.returncode, "wall_s": round(wall, 2),
            "stdout": out[-1500:], "stderr": err[-1500:], **sampler.summary(),
            "rss_timeline": sampler.timeline[:: max(1, len(sampler.timeline) // 60)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    build_args = sub.add_parser("build")
    build_args.add_argument("corpus", type=Path)
    build_args.add_argument("store", type=Path)
    build_args.add_argument("--workers", type=int, default=1)
    natasha_args = sub.add_parser("natasha")
    natasha_args.add_argument("corpus", type=Path)
    natasha_args.add_argument("--mode", choices=("doc", "map"), default="doc")
    add_args = sub.add_parser("add")
    add_args.add_argument("store", type=Path)
    add_args.add_argument("report", type=Path)
    add_args.add_argument("--copy-to", type=Path)
    write_args = sub.add_parser("write")
    write_args.add_argument("store", type=Path)
    write_args.add_argument("scratch", type=Path)
    args = parser.parse_args()
    if args.what == "build":
        result = timed_build(args.corpus, args.store, args.workers)
    elif args.what == "add":
        result = timed_add(args.store, args.report, args.copy_to)
    elif args.what == "write":
        result = timed_writes(args.store, args.scratch)
    else:
        result = timed_natasha(args.corpus, args.mode)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
