"""The typed extraction model: entities, not display strings; the graph writes what it holds."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from pyoxigraph import Literal, NamedNode

from borderkg.dates import Precision
from borderkg.document import Document, TableRow
from borderkg.extract import Extractor
from borderkg.extract.model import Agreement, AgreementParty, Attendance, TwinLink
from borderkg.extract.record import to_gold_record
from borderkg.gazetteer import Municipality, Place
from borderkg.rdf import document_quads, event_iri, municipality_iri, place_iri
from borderkg.vocab import BKG, CAT, SCHEMA

DOC = "t.txt"


def row(place="г. Смоленск", dates="1 мая 2025 года", content="Дружба", participants="Гости",
        name="Концерт", section="Город Десногорск") -> Document:
    blocks = [TableRow((section,)), TableRow(("1.", name, place, dates, content, participants)),
              TableRow(("2.", "-", "-", "-", "-", "-"))]
    return Document(DOC, DOC, "0", "Отчет во II квартале 2025 года", blocks)


@pytest.fixture(scope="module")
def plain():
    """An extractor without NER (the rules here do not need it): fast."""
    return Extractor(tagger=lambda text: [])


def triples(extraction) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in document_quads(extraction.document, [extraction])}


def objects(extraction, subject, predicate: str) -> set:
    """The objects of ``subject``'s ``predicate`` (a bkg: local name or a full IRI)."""
    iri = NamedNode(predicate if "://" in predicate else BKG + predicate)
    return {o for s, p, o in triples(extraction) if s == subject and p == iri}


def test_partners_are_places_with_their_mention_and_the_linkers_confidence(plain):
    event = plain.extract(row(participants="делегация Оршанского района и жители Лиозно"))[0]
    assert [p.place.id for p in event.partners] == ["by-orsha-raion", "by-s-liozno"]
    cell = next(c for c in event.cells if c.field == "participants")
    for partner in event.partners:
        assert partner.field == "participants" and cell.text[partner.start:partner.end] == partner.text
    link = next(l for l in cell.links if l.mention.text == "Лиозно")
    assert event.partners[1].confidence == link.confidence == 0.9  # a bare name: the linker said so
    assert event.municipality.id == "desnogorsk"


def test_dates_keep_month_precision_in_the_model_the_record_and_the_graph(plain):
    event = plain.extract(row(dates="Март – апрель 2025 года"))[0]
    assert (event.dates.start_precision, event.dates.end_precision) == (Precision.MONTH, Precision.MONTH)
    record = to_gold_record(event, plain.gazetteer)
    assert (record.date_start, record.date_end) == ("2025-03", "2025-04")
    [start] = objects(event, event_iri(DOC, 1), SCHEMA + "startDate")
    assert start.value == "2025-03" and start.datatype.value.endswith("#gYearMonth")


def test_twin_links_and_agreement_parties_are_entities(plain):
    event = plain.extract(row(content="Подписано соглашение о сотрудничестве с Островецким районом. "
                                      "Делегация из города-побратима г. Чаусы Могилевской области"))[0]
    [twin] = event.twins
    assert (twin.municipality.id, twin.place.id) == ("desnogorsk", "by-s-chausy")
    assert twin.stated_on == event.dates
    [agreement] = event.agreements
    assert agreement.kind == "agreement" and agreement.stated_on == event.dates
    assert [(p.name, p.entity.id) for p in agreement.parties] == [("Островецкий район", "by-astraviets-raion")]
    assert isinstance(agreement.parties[0].entity, Place)
    node = NamedNode(event_iri(DOC, 1).value + "/agreement/1")
    assert objects(event, node, "party") == {place_iri("by-astraviets-raion")}
    assert objects(event, node, "partyName") == {Literal("Островецкий район", language="ru")}
    record = to_gold_record(event, plain.gazetteer)
    assert record.twins == [{"ru": "город Десногорск", "by": "Чаусы"}]
    assert record.agreements == [{"kind": "agreement", "parties": ["Островецкий район"]}]


def test_the_graph_writes_what_extraction_decided(plain):
    """No categorising, no looking entities up again by name while writing the graph: a twin
    link whose place no cell names is still written, the categories are the extraction's."""
    event = plain.extract(row(name="Концерт"))[0]
    assert event.categories == ("culture",)
    gazetteer = plain.gazetteer
    desnogorsk: Municipality = gazetteer.municipalities["desnogorsk"]
    chausy: Place = gazetteer.places["by-s-chausy"]
    decided = replace(event, categories=("sport",), twins=(TwinLink(desnogorsk, chausy),),
                      agreements=(Agreement("memorandum", (AgreementParty("Десногорск", desnogorsk),)),))
    subject = event_iri(DOC, 1)
    assert objects(decided, subject, "category") == {NamedNode(CAT + "sport")}
    assert (municipality_iri("desnogorsk"), NamedNode(BKG + "twinnedWith"), place_iri("by-s-chausy")) \
        in triples(decided)
    assert objects(decided, NamedNode(subject.value + "/agreement/1"), "party") == {municipality_iri("desnogorsk")}


def test_venue_and_attendance(plain):
    event = plain.extract(row(place="г. Орша"))[0]
    assert event.venue.id == "by-s-orsha" and event.attendance is Attendance.OFFLINE
    assert objects(event, event_iri(DOC, 1), SCHEMA + "location") == {place_iri("by-s-orsha")}
    assert to_gold_record(event, plain.gazetteer).venue["country"] == "BY"
    online = plain.extract(row(place="В дистанционном формате"))[0]
    assert online.venue is None and online.online
    mixed = plain.extract(row(place="В очном (г. Смоленск) и дистанционном форматах"))[0]
    assert mixed.attendance is Attendance.MIXED and not mixed.online
    assert objects(mixed, event_iri(DOC, 1), SCHEMA + "eventAttendanceMode") == \
        {NamedNode(SCHEMA + "MixedEventAttendanceMode")}


def test_the_gold_record_is_one_json_line_in_the_guides_order(plain):
    record = to_gold_record(plain.extract(row(participants="делегация г. Кричева"))[0], plain.gazetteer)
    data = json.loads(record.to_json())
    assert list(data)[:5] == ["doc", "n", "municipality", "date_start", "date_end"]
    assert data["municipality"] == "город Десногорск"
    assert data["by_places"] == [{"name": "Кричев", "kind": "town", "raion": "Кричевский район",
                                  "oblast": "Могилевская область"}]
    assert data["countries"] == ["BY"] and data["by_country_mentioned"]


def test_free_text_names_its_municipalities_as_entities(plain):
    from borderkg.document import Paragraph

    document = Document("n.txt", "n.txt", "0", "Новости", [
        Paragraph("Гости из г. Рудня и Сафоновского района выступили в Смоленске, в Смоленске же прошёл бал.")])
    [event] = plain.extract(document)
    assert event.municipality.id == "smolensk" and event.row is None
    assert [m.id for m in event.ru_municipalities] == ["rudnyansky", "safonovsky", "smolensk"]
    assert objects(event, event_iri("n.txt", 1), "namesMunicipality") == \
        {municipality_iri(m) for m in ("rudnyansky", "safonovsky", "smolensk")}
    assert to_gold_record(event, plain.gazetteer).ru_municipalities == \
        ["Руднянский муниципальный округ", "Сафоновский муниципальный округ", "город Смоленск"]
