"""Build: bad files are named and skipped, the rest is stored; re-builds are idempotent."""

from __future__ import annotations

import multiprocessing
import shutil

import pytest

from borderkg.extract import Extractor
from borderkg.ingest import build, remove_document
from borderkg.store import OxigraphStore

from conftest import REPORTS, ROWS, report_text


def nquads(store) -> list[str]:
    return sorted(str(q) for q in store.native)


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.txt").write_text(report_text(), encoding="utf-8")
    shutil.copy(REPORTS / "004_2e546239e9f184f4.txt", folder)
    return folder


def test_bad_files_are_named_and_the_rest_is_stored(tmp_path, sources, extractor):
    (sources / "empty.txt").write_bytes(b"")
    (sources / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (sources / "truncated.docx").write_bytes(b"PK\x03\x04\x14\x00" + b"\x00" * 30)
    store = OxigraphStore(tmp_path / "store")
    report = build([sources], store, extractor)
    failed = {path.split("/")[-1]: reason for path, reason in report.failed}
    assert set(failed) == {"empty.txt", "binary.txt", "truncated.docx"}
    assert "empty" in failed["empty.txt"] and "binary" in failed["binary.txt"]
    assert "docx" in failed["truncated.docx"]
    assert not report.ok
    # 004 is a document with no Smolensk municipality: its event counts as «elsewhere»
    assert report.totals["documents"] == 2 and (report.totals["events"], report.totals["events_elsewhere"]) == (3, 1)
    # the store stays usable
    assert store.triple_count() == report.totals["triples"] > 0


def test_second_build_changes_nothing_and_an_edit_replaces_only_its_graph(tmp_path, sources, extractor):
    store = OxigraphStore(tmp_path / "store")
    build([sources], store, extractor)
    first = nquads(store)
    again = build([sources], store, extractor)
    assert again.stored == [] and len(again.unchanged) == 2
    assert nquads(store) == first
    other_graph = [q for q in first if "004_2e546239e9f184f4" in q.rsplit(" ", 2)[-2]]
    path = sources / "report.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Телемост «Дружба без границ»", "Телемост «Мир»"),
                    encoding="utf-8")
    edited = build([sources], store, extractor)
    assert [p.split("/")[-1] for p in edited.stored] == ["report.txt"]
    now = nquads(store)
    assert [q for q in now if "004_2e546239e9f184f4" in q.rsplit(" ", 2)[-2]] == other_graph
    assert any("Телемост «Мир»" in q for q in now) and not any("Дружба без границ" in q for q in now)


def test_remove_takes_out_one_document(tmp_path, sources, extractor):
    store = OxigraphStore(tmp_path / "store")
    build([sources], store, extractor)
    assert remove_document(store, "report.txt")
    assert not remove_document(store, "report.txt")
    assert not any("report.txt" in q for q in nquads(store) if "/graph/report.txt" in q)
    assert build([sources], store, extractor).stored  # it comes back on the next build


def test_two_writers_cannot_open_the_store(tmp_path):
    from borderkg.errors import StoreError

    first = OxigraphStore(tmp_path / "store")
    with pytest.raises(StoreError, match="in use"):
        OxigraphStore(tmp_path / "store")
    first.close()


def test_two_workers_store_exactly_what_one_does(tmp_path, sources, extractor):
    (sources / "empty.txt").write_bytes(b"")
    one, two = OxigraphStore(tmp_path / "one"), OxigraphStore(tmp_path / "two")
    serial = build([sources], one, extractor)
    parallel = build([sources], two, extractor, workers=2)
    assert multiprocessing.active_children() == []  # the workers exited before the build returned
    assert nquads(one) == nquads(two)
    assert sorted(serial.stored) == sorted(parallel.stored)
    assert [p.split("/")[-1] for p, _ in parallel.failed] == ["empty.txt"]


def test_workers_stop_when_the_store_fails_before_the_first_document(tmp_path, sources, extractor, monkeypatch):
    # The workers start before the gazetteer is written; a write that fails must not leave
    # them running.
    from borderkg.errors import StoreError

    store = OxigraphStore(tmp_path / "store")

    def failing(graph, quads):
        raise StoreError("disk full")

    monkeypatch.setattr(store, "replace_graph", failing)
    with pytest.raises(StoreError, match="disk full"):
        build([sources], store, extractor, workers=2)
    assert multiprocessing.active_children() == []
    assert store.graphs() == []


ENTITY_TRIPLES = """SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s <https://schema.org/name> ?o ;
                                   a <http://www.w3.org/ns/org#Organization> } }"""


def organisation_names(store) -> list[tuple[str, str]]:
    return sorted((row["g"].value.rsplit("/", 1)[-1], row["o"].value) for row in store.query(ENTITY_TRIPLES))


def attended(store, doc_id: str) -> set[str]:
    """The organisations the events of one document's graph name."""
    from borderkg.rdf import graph_iri

    query = f"SELECT ?org WHERE {{ GRAPH {graph_iri(doc_id)} {{ ?event <https://schema.org/attendee> ?org }} }}"
    return {row["org"].value for row in store.query(query)}


def test_an_organisation_named_by_two_reports_is_described_once(tmp_path, sources, extractor):
    """Descriptions of organisations live in the shared entities graph: the union of the
    graphs holds each once however many reports name them (else every join on them grows
    with the number of reports), and they go when no document names them any more."""
    rows = [(ROWS[0][0], [("1.", "Совместный концерт", "г. Лиозно", "12 мая 2025 года", "Концерт",
                            "ГУО «Средняя школа № 1 г. Лиозно», отдел культуры Лиозненского районного "
                            "исполнительного комитета")])]
    (sources / "report.txt").write_text(report_text(rows), encoding="utf-8")
    # another report naming the same organisations (an exact copy would be stored once)
    (sources / "copy.txt").write_text(report_text(rows).replace("12 мая", "13 мая"), encoding="utf-8")
    store = OxigraphStore(tmp_path / "store")
    build([sources], store, extractor)
    names = organisation_names(store)
    assert names and {graph for graph, _ in names} == {"entities"}
    assert len(names) == len(set(names))
    with_copy = nquads(store)
    assert remove_document(store, "copy.txt")
    assert organisation_names(store) == names  # still named by report.txt
    only_in_report = attended(store, "report.txt") - attended(store, "004_2e546239e9f184f4.txt")
    assert only_in_report  # else the next lines test nothing
    assert remove_document(store, "report.txt")
    described = {row["s"].value for row in store.query(ENTITY_TRIPLES)}
    assert described == attended(store, "004_2e546239e9f184f4.txt")
    build([sources], store, extractor)
    assert nquads(store) == with_copy


def test_a_build_writes_each_shared_description_once(tmp_path, sources, extractor):
    # Every report restates the organisations it names; the build sends each line of their
    # descriptions to the shared graph once, and the graph still holds all of them.
    rows = [(ROWS[0][0], [("1.", "Совместный концерт", "г. Лиозно", "12 мая 2025 года", "Концерт",
                            "ГУО «Средняя школа № 1 г. Лиозно»")])]
    for day in (12, 13, 14):
        (sources / f"r{day}.txt").write_text(report_text(rows).replace("12 мая", f"{day} мая"), encoding="utf-8")
    store = OxigraphStore(tmp_path / "store")
    sent = []
    replace = store.replace_graph_ntriples

    def spy(graph, ntriples, merge=None):
        if merge is not None:  # a document's graph (the gazetteer and ontology come without)
            sent.append(merge[1].splitlines())
        replace(graph, ntriples, merge)

    store.replace_graph_ntriples = spy
    build([sources], store, extractor)
    lines = [line for merge in sent for line in merge]
    assert len(sent) == 5 and len(lines) == len(set(lines))
    assert sum(1 for merge in sent if merge) < len(sent)  # the reports after the first add nothing
    described = {row["s"].value for row in store.query(ENTITY_TRIPLES)}
    documents = ["report.txt", "004_2e546239e9f184f4.txt", "r12.txt", "r13.txt", "r14.txt"]
    assert described == set().union(*(attended(store, name) for name in documents))


def test_a_long_build_flushes_as_it_goes(tmp_path, sources, extractor, monkeypatch):
    """Oxigraph holds unflushed writes in memory: the build flushes every so many bytes
    (bench/run.py measures the memory this keeps flat)."""
    import borderkg.ingest as ingest

    store = OxigraphStore(tmp_path / "store")
    flushes = []
    flush = store.flush
    monkeypatch.setattr(store, "flush", lambda: (flushes.append(1), flush())[1])
    monkeypatch.setattr(ingest, "FLUSH_EVERY_BYTES", 1)
    build([sources], store, extractor)
    assert len(flushes) >= 2 + 1  # after each of the two documents, then at the end


def test_a_failed_write_stops_the_build_with_its_error_and_keeps_what_was_written(tmp_path, sources, extractor):
    # Documents are written on a thread of their own while the next is extracted: the error of
    # a write must still reach the caller, and the documents written before it stay stored.
    shutil.copy(REPORTS / "003_896a61d3b8a214c2.txt", sources)
    store = OxigraphStore(tmp_path / "store")
    written = []
    replace = store.replace_graph_ntriples

    def failing(graph, *args):
        if len(written) == 1:
            raise OSError("disk full")
        replace(graph, *args)
        written.append(graph)

    store.replace_graph_ntriples = failing
    with pytest.raises(OSError, match="disk full"):
        build([sources], store, extractor)
    assert len(written) == 1 and written[0] in store.graphs()
