"""A build relinks every document when the pipeline changes: its code, an upgrade, the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from borderkg.ingest import fingerprint
from borderkg.ingest import build
from borderkg.ingest.fingerprint import pipeline_code, pipeline_fingerprint
from borderkg.store import OxigraphStore

from conftest import report_text


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(report_text(), encoding="utf-8")
    (folder / "b.txt").write_text(
        report_text(title="Отчет о мероприятиях в международной сфере в III квартале 2025 года"), encoding="utf-8")
    return folder


@pytest.fixture
def code(tmp_path, monkeypatch):
    """A copy of the installed package's sources, hashed in their place."""
    copy = tmp_path / "borderkg"
    shutil.copytree(fingerprint.CODE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "CODE_ROOT", copy)
    return copy


def test_an_edited_linking_rule_relinks_every_document(reports, code, extractor):
    store = OxigraphStore.in_memory()
    assert len(build([reports], store, extractor).stored) == 2
    assert len(build([reports], store, extractor).unchanged) == 2
    rule = code / "link" / "resolve.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a linking rule changed\n", encoding="utf-8")
    again = build([reports], store, extractor)
    assert (len(again.stored), again.unchanged) == (2, [])


def test_the_fingerprint_follows_the_stages_not_the_surfaces(code, extractor):
    before = pipeline_fingerprint(extractor)
    view = code / "views" / "cards.py"
    view.write_text(view.read_text(encoding="utf-8") + "\n# a view changed\n", encoding="utf-8")
    assert pipeline_fingerprint(extractor) == before  # the views only read the graph
    for stage in ("read/text.py", "extract/event.py", "rdf.py", "parse.py"):
        assert code / stage in pipeline_code(), stage
        path = code / stage
        path.write_bytes(path.read_bytes() + b"\n")
        changed = pipeline_fingerprint(extractor)
        assert changed != before, stage
        before = changed


def test_an_upgrade_changes_the_fingerprint(monkeypatch, extractor):
    before = pipeline_fingerprint(extractor)
    monkeypatch.setattr("borderkg.__version__", "99.0")
    assert pipeline_fingerprint(extractor) != before


def _entity_lines(store) -> set[str]:
    from borderkg.vocab import ENTITIES_GRAPH

    return {str(t) for t in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} }}")}


def test_a_partial_build_after_a_change_keeps_the_other_documents_and_relinks_them_later(code, extractor,
                                                                                          tmp_path):
    from borderkg.ingest.fingerprint import stored_fingerprint

    with_organisation = [("Муниципальное образование «Руднянский муниципальный округ» Смоленской области", [
        ("1.", "Выставка", "г. Лиозно, Витебская область, Республика Беларусь", "5 мая 2025 года",
         "Обмен опытом", "Сотрудники государственного учреждения культуры «Лиозненский районный центр культуры»")])]
    reports, only = tmp_path / "reports", tmp_path / "only"
    reports.mkdir(), only.mkdir()
    (reports / "a.txt").write_text(report_text(), encoding="utf-8")
    (reports / "b.txt").write_text(report_text(with_organisation), encoding="utf-8")
    shutil.copy(reports / "a.txt", only / "a.txt")
    store = OxigraphStore.in_memory()
    build([reports], store, extractor)
    entities, former = _entity_lines(store), stored_fingerprint(store)
    assert any("Лиозненский районный центр культуры" in line for line in entities)
    rule = code / "link" / "resolve.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a linking rule changed\n", encoding="utf-8")
    partial = build([only], store, extractor)
    assert ([Path(p).name for p in partial.stored], partial.stale) == (["a.txt"], ["b.txt"])
    assert entities <= _entity_lines(store)  # b.txt still refers to them: none was dropped
    assert stored_fingerprint(store) == former  # so that the next build relinks b.txt too
    whole = build([reports], store, extractor)
    assert (sorted(Path(p).name for p in whole.stored), whole.stale) == (["a.txt", "b.txt"], [])
    assert stored_fingerprint(store) == pipeline_fingerprint(extractor) != former
    assert len(build([reports], store, extractor).unchanged) == 2
