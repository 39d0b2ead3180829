"""Document identity: two files never map to one graph, and the same report twice (two
formats, or a new name) is stored once, the user told which file was kept."""

from __future__ import annotations

import os
import shutil
from urllib.parse import unquote

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderkg.identity import content_fingerprint
from borderkg.ingest import META_GRAPH, build
from borderkg.rdf import event_iri, graph_iri, slug
from borderkg.read import read_document
from borderkg.store import OxigraphStore

from conftest import Q2_2025, REPORTS, report_docx, report_text

FREE_TEXT = REPORTS / "003_896a61d3b8a214c2.txt"
OTHER_FREE_TEXT = REPORTS / "004_2e546239e9f184f4.txt"
DCT_IDENTIFIER = "http://purl.org/dc/terms/identifier"


def graphs_of(store) -> dict[str, str]:
    """Graph IRI → the dct:identifier in it, for every document graph."""
    rows = store.query(f"SELECT ?g ?id WHERE {{ GRAPH ?g {{ ?d <{DCT_IDENTIFIER}> ?id }} }}")
    return {row["g"].value: row["id"].value for row in rows}


def basenames(paths) -> list[str]:
    return sorted(os.path.basename(p) for p in paths)


def test_plain_names_keep_their_iris_and_no_two_names_share_one():
    assert graph_iri("001_5746b6576caafdfe.txt").value == \
        "https://w3id.org/borderkg/id/graph/001_5746b6576caafdfe.txt"
    assert event_iri("001_5746b6576caafdfe.txt", 85).value == \
        "https://w3id.org/borderkg/id/event/001_5746b6576caafdfe.txt/85"
    names = ["with space.txt", "with_space.txt", "with%20space.txt", "a/b.txt", "a_b.txt",
             "Отчёт (1).docx", "Отчёт _1_.docx", "Отчёт_1_.docx", "x", "x~", "x-", "x.", "\u00e9.txt", "e\u0301.txt"]
    assert len({slug(name) for name in names}) == len(names)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_the_iri_of_a_name_gives_the_name_back(name):
    """Injective: the name is read back from its IRI segment, which is a valid IRI."""
    assert unquote(slug(name)) == name
    assert pyoxigraph.NamedNode(graph_iri(name).value).value.endswith(slug(name))


def test_two_names_the_old_slug_merged_are_two_documents(tmp_path, extractor):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FREE_TEXT, folder / "with space.txt")
    shutil.copy(OTHER_FREE_TEXT, folder / "with_space.txt")
    store = OxigraphStore(tmp_path / "store")
    for _ in range(2):  # a rebuild changes nothing
        build([folder], store, extractor)
        assert sorted(graphs_of(store).values()) == ["with space.txt", "with_space.txt"]
        assert store.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?e a "
                           "<https://schema.org/Event> } }").__next__()["n"].value == "2"
    store.close()


def test_the_same_name_in_two_folders_is_refused_by_name(tmp_path, extractor):
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    shutil.copy(FREE_TEXT, folder / "a" / "report.txt")
    shutil.copy(OTHER_FREE_TEXT, folder / "b" / "report.txt")
    store = OxigraphStore(tmp_path / "store")
    for rebuild in (False, True):
        report = build([folder], store, extractor)
        assert report.failed == [(str(folder / "b" / "report.txt"),
                                  f"another file of this build, {folder / 'a' / 'report.txt'}, has the name "
                                  "'report.txt': a document is known by its file name, so only the first is "
                                  "stored (rename one to store both)")]
        assert (report.unchanged if rebuild else report.stored) == [str(folder / "a" / "report.txt")]
        assert list(graphs_of(store).values()) == ["report.txt"]
        assert store.document_hashes()["report.txt"] == read_document(folder / "a" / "report.txt").sha256
    store.close()


def test_the_same_report_in_two_formats_or_names_is_stored_once(tmp_path, extractor):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "q2.txt").write_text(report_text(), encoding="utf-8")
    report_docx(folder / "q2.docx")
    # re-sent under a new name, re-typed: other spacing and line breaks, the same text
    (folder / "q2_resent.txt").write_text(report_text().replace("\t", "\t ").replace("\n", "\r\n"),
                                            encoding="cp1251")
    (folder / "q3.txt").write_text(report_text(title="Отчет о мероприятиях в III квартале 2025 года"),
                                   encoding="utf-8")  # the same rows for another quarter: another report
    store = OxigraphStore(tmp_path / "store")
    report = build([folder], store, extractor)
    assert basenames(report.stored) == ["q2.docx", "q3.txt"] and report.ok
    kept = f"the same report as {folder / 'q2.docx'} (the same text), which is kept"
    assert report.skipped == [(str(folder / "q2.txt"), kept), (str(folder / "q2_resent.txt"), kept)]
    assert report.totals["documents"] == 2 and report.totals["events"] == 6

    # a later build given only a re-sent copy: recognised against the store
    resent = tmp_path / "Отчёт за II квартал.txt"
    resent.write_text(report_text(), encoding="utf-8")
    report = build([resent], store, extractor)
    assert report.stored == [] and report.skipped == [
        (str(resent), "the same report as the stored document 'q2.docx' (the same text), which is kept")]
    assert report.totals["documents"] == 2
    store.close()


@pytest.mark.parametrize("relink", [False, True])
def test_a_stored_copy_becomes_a_duplicate_once_the_first_file_is_given(tmp_path, extractor, relink):
    """A duplicate stored before (given alone) is taken out when the file kept is read,
    also when the pipeline changed and every document is linked anew."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "b.txt").write_text(report_text(), encoding="utf-8")
    store = OxigraphStore(tmp_path / "store")
    build([folder / "b.txt"], store, extractor)
    if relink:
        store.remove_graph(META_GRAPH)  # as when the gazetteer or the code changed
    (folder / "a.txt").write_text(report_text(), encoding="utf-8")
    report = build([folder], store, extractor)
    assert basenames(report.stored) == ["a.txt"]
    assert report.skipped == [(str(folder / "b.txt"),
                               f"the same report as {folder / 'a.txt'} (the same text), which is kept")]
    assert list(graphs_of(store).values()) == ["a.txt"]
    store.close()


@pytest.mark.parametrize("change", [
    lambda text: text.replace("22 марта", "23 марта"),
    lambda text: text.replace("II квартале", "III квартале"),
])
def test_the_fingerprint_is_the_words_of_the_table(tmp_path, change):
    txt, docx = tmp_path / "a.txt", report_docx(tmp_path / "a.docx")
    txt.write_text(report_text(), encoding="utf-8")
    assert content_fingerprint(read_document(txt)) == content_fingerprint(read_document(docx))
    txt.write_text(change(report_text()), encoding="utf-8")
    assert content_fingerprint(read_document(txt)) != content_fingerprint(read_document(docx))
    assert content_fingerprint(read_document(Q2_2025)) != content_fingerprint(read_document(FREE_TEXT))
