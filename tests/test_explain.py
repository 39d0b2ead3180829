"""explain quotes the source of an event, a partner link and a twin link."""

from __future__ import annotations

import pytest

from borderkg.errors import QueryError
from borderkg.explain import explain
from borderkg.ingest import build
from borderkg.store import OxigraphStore

from conftest import HEADINGS, report_text

TWIN_ROWS = [("Муниципальное образование «город Десногорск» Смоленской области", [
    ("85.", "Телемост между городами-побратимами (г. Чаусы, Республика Беларусь и г. Десногорск)",
     "В дистанционном формате", "1 апреля 2025 года",
     "Обмен опытом организаций культуры", "Представители Чаусского районного исполнительного комитета"),
])]


@pytest.fixture(scope="module")
def store(tmp_path_factory, extractor):
    folder = tmp_path_factory.mktemp("reports")
    (folder / "twins.txt").write_text(report_text(TWIN_ROWS, HEADINGS), encoding="utf-8")
    store = OxigraphStore.in_memory()
    build([folder], store, extractor)
    return store


def test_event_is_explained_with_its_source_row_and_mentions(store):
    text = "\n".join(explain(store, "id:event/twins.txt/85"))
    assert "source: twins.txt, row 85" in text
    assert "dates: 2025-04-01 – 2025-04-01 (from «1 апреля 2025 года»)" in text
    assert "[Чаусского] районного исполнительного комитета" in text


def test_partner_link_quotes_its_cell(store):
    mention = next(iter(store.query(
        "SELECT ?m WHERE { GRAPH ?g { ?m <https://w3id.org/borderkg/ontology#mentionText> \"Чаусы\"@ru } }")))["m"].value
    lines = explain(store, mention)
    assert lines[0].startswith("partner link: «Чаусы» → Чаусы")
    assert "name cell" in lines[1] and "(г. [Чаусы], Республика Беларусь" in lines[2]


def test_twin_link_quotes_the_sentence(store):
    twin = next(iter(store.query(
        "SELECT ?t WHERE { GRAPH ?g { ?t a <https://w3id.org/borderkg/ontology#TwinLink> } }")))["t"].value
    lines = explain(store, twin)
    assert lines[0] == "twin link: город Десногорск ↔ Чаусы"
    assert any("городами-побратимами" in line for line in lines)


def test_unknown_iri_is_a_clear_error(store):
    with pytest.raises(QueryError, match="not in the graph"):
        explain(store, "id:event/none/1")
