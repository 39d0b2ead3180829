"""Curation: a person's link corrections survive every rebuild."""

from __future__ import annotations

import pytest

from borderkg.curation import CurationError, load_curation
from borderkg.document import Document, TableRow
from borderkg.extract import Extractor
from borderkg.extract.record import to_gold_record
from borderkg.ingest import build
from borderkg.store import OxigraphStore

HEADER = "doc\tmention\taction\ttarget\tnote\n"
PLACES = "id\tname_ru\tkind\traion_id\toblast_id\tlat\tlon\talt_names_ru\tnote\n"


def row_document(participants: str) -> Document:
    blocks = [TableRow(("Город Смоленск",)),
              TableRow(("1.", "Конкурс", "г. Смоленск", "1 мая 2025 года", "Дружба", participants)),
              TableRow(("2.", "-", "-", "-", "-", "-"))]
    return Document("t.txt", "t.txt", "0", "Отчет во II квартале 2025 года", blocks)


@pytest.fixture
def curation_dir(tmp_path):
    folder = tmp_path / "curation"
    folder.mkdir()
    (folder / "places.tsv").write_text(
        PLACES + "cur-yasenka\tЯсенка\tagrotown\tby-vitsiebsk-raion\tby-vitebsk-oblast\t\t\t\tnot in the gazetteer (under 100 people in 2009)\n",
        encoding="utf-8")
    (folder / "links.tsv").write_text(
        "# comment lines are skipped\n" + HEADER +
        "*\tЯсенка\tlink\tcur-yasenka\tagrotown of Витебский район\n"
        "t.txt\tМинска\tignore\t\ta test of ignore\n", encoding="utf-8")
    return folder


def test_link_and_ignore_rules_apply(curation_dir):
    extractor = Extractor(curation=load_curation(curation_dir))
    event = extractor.extract(row_document("Обучающиеся школ г. Ясенки и г. Минска (Республика Беларусь)"))[0]
    record = to_gold_record(event, extractor.gazetteer)
    assert [p["name"] for p in record.by_places] == ["Ясенка"]
    assert record.by_places[0]["raion"] == "Витебский район"


def test_without_curation_the_place_is_not_found():
    extractor = Extractor(curation=load_curation(__import__("pathlib").Path("/nonexistent")))
    event = extractor.extract(row_document("Обучающиеся школ г. Ясенки (Республика Беларусь)"))[0]
    record = to_gold_record(event, extractor.gazetteer)
    assert record.by_places == []


def test_corrections_survive_rebuilds(tmp_path, curation_dir):
    reports = tmp_path / "reports"
    reports.mkdir()
    text = ("Отчет во II квартале 2025 года\n\n\t№\n\tНаименование\n\tМесто\n\tСроки\n\tЦель\n\tУчастники\n\n"
            "\tГород Смоленск\n\n\t1.\n\tКонкурс\n\tг. Смоленск\n\t1 мая 2025 года\n\tДружба\n"
            "\tОбучающиеся г. Ясенки (Республика Беларусь)\n")
    (reports / "r.txt").write_text(text, encoding="utf-8")
    store = OxigraphStore(tmp_path / "store")
    for _ in range(2):
        build([reports], store, Extractor(curation=load_curation(curation_dir)))
        names = {row["n"].value for row in store.query(
            "SELECT ?n WHERE { GRAPH ?g { ?e <https://w3id.org/borderkg/ontology#partnerPlace> ?p } "
            "GRAPH ?h { ?p <https://schema.org/name> ?n } }")}
        assert names == {"Ясенка"}


def test_a_malformed_rule_names_the_file_and_the_line(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "links.tsv").write_text(HEADER + "*\tОрша\tdelete\t\t\n", encoding="utf-8")
    with pytest.raises(CurationError, match=r"links.tsv: rule 2"):
        load_curation(folder)


def test_a_curated_place_in_an_unknown_raion_is_refused(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "places.tsv").write_text(PLACES + "x\tИкс\tvillage\tby-nowhere-raion\t\t\t\t\t\n", encoding="utf-8")
    with pytest.raises(CurationError, match="by-nowhere-raion"):
        Extractor(curation=load_curation(folder)).index
