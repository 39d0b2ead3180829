"""A tiny store for the views' tests: report rows quoted from the Q2 2025 report plus rows
whose names carry markup, quotes and an inline script (which must show as text)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import ROWS, report_text

XSS_NAME = "<script>alert(1)</script> «Тест»"
QUOTES_NAME = 'Фестиваль "Кавычки" & <b>угловые</b> скобки'

VIEW_ROWS = ROWS + [
    ("Муниципальное образование «город Десногорск» Смоленской области", [
        ("85.", XSS_NAME, "г. Чаусы Могилевской области Республики Беларусь", "1 апреля 2025 года",
         "Телемост между городами-побратимами (г. Чаусы, Республика Беларусь и г. Десногорск, "
         "Российская Федерация)", "Делегация г. Десногорска"),
        ("86.", QUOTES_NAME, "г. Орша Витебской области Республики Беларусь", "12 июня 2024 года",
         "Подписан меморандум о сотрудничестве между городом Десногорском и Оршанским районом",
         "Творческие коллективы г. Десногорска"),
    ]),
]


def build_view_store(directory: Path):
    """An in-memory store built from the rows above (the NER tagger stubbed out)."""
    from borderkg.extract import Extractor
    from borderkg.ingest import build
    from borderkg.store import OxigraphStore

    path = directory / "report_q2_2025.txt"
    path.write_text(report_text(VIEW_ROWS), encoding="utf-8")
    store = OxigraphStore.in_memory()
    report = build([path], store, extractor=Extractor(tagger=lambda text: []))
    assert report.ok, report.failed
    return store


def strip_categories(store) -> None:
    """Take every event's categories out (the pipeline gives each event some)."""
    store.native.update("DELETE WHERE { GRAPH ?g { ?e <https://w3id.org/borderkg/ontology#category> ?c } }")


def add_category(store, event_suffix: str, label: str,
                 graph: str = "https://w3id.org/borderkg/id/graph/test-categories"):
    """Give the event whose IRI ends with ``event_suffix`` a category (skos:Concept, prefLabel@ru)."""
    from pyoxigraph import Literal, NamedNode, Quad

    from borderkg.vocab import BKG, CAT, RDF, SKOS

    g = NamedNode(graph)
    concept = NamedNode(CAT + hashlib.sha1(label.encode()).hexdigest()[:8])
    events = [q.subject for q in store.native.quads_for_pattern(None, NamedNode(RDF + "type"),
                                                               NamedNode("https://schema.org/Event"))
              if q.subject.value.endswith(event_suffix)]
    assert events, event_suffix
    store.native.extend([Quad(events[0], NamedNode(BKG + "category"), concept, g),
                         Quad(concept, NamedNode(RDF + "type"), NamedNode(SKOS + "Concept"), g),
                         Quad(concept, NamedNode(SKOS + "prefLabel"), Literal(label, language="ru"), g)])
