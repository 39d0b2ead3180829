"""RDF for extracted events and for the gazetteer, as pyoxigraph quads.

Every event lives in the named graph of its source document; the gazetteer has a graph of
its own. IRIs are stable: places and municipalities by their gazetteer id, events by the
document's file name and row number, so a rebuild gives the same IRIs.
"""

from __future__ import annotations

import hashlib
import re

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad

from borderkg.document import OCR, Document
from borderkg.extract import Extraction
from borderkg.gazetteer import Gazetteer, Place
from borderkg.categories import categorize
from borderkg.vocab import BKG, CAT, DCT, ENTITIES_GRAPH, GAZETTEER_GRAPH, GEO, ID, ORG, OWL, PROV, RDF, RDFS, SCHEMA, WD, XSD

A = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")
NAME = NamedNode(SCHEMA + "name")


def _p(ns: str, local: str) -> NamedNode:
    return NamedNode(ns + local)


def slug(text: str) -> str:
    """A readable, IRI-safe slug of a file name or a name.

    >>> slug("001_5746b6576caafdfe.txt")
    '001_5746b6576caafdfe.txt'
    >>> slug("Отчёт 2020 (итог).docx")
    'Отчёт_2020_итог_.docx'
    """
    return re.sub(r"[^\w.\-]+", "_", text).strip("_") or hashlib.sha1(text.encode()).hexdigest()[:12]


def document_iri(doc_id: str) -> NamedNode:
    return NamedNode(f"{ID}document/{slug(doc_id)}")


def graph_iri(doc_id: str) -> NamedNode:
    """The named graph of one source document (by file name: a changed file replaces it)."""
    return NamedNode(f"{ID}graph/{slug(doc_id)}")


def event_iri(doc_id: str, n: int) -> NamedNode:
    return NamedNode(f"{ID}event/{slug(doc_id)}/{n}")


def row_iri(doc_id: str, n: int) -> NamedNode:
    return NamedNode(f"{ID}row/{slug(doc_id)}/{n}")


def place_iri(place_id: str) -> NamedNode:
    return NamedNode(f"{ID}place/{place_id}")


def municipality_iri(municipality_id: str) -> NamedNode:
    return NamedNode(f"{ID}municipality/{municipality_id}")


def org_iri(name: str, where: str = "") -> NamedNode:
    """An organisation is its name where it is: «ДШИ» of Смоленск is not «ДШИ» of Орша."""
    key = re.sub(r"\W+", " ", name.lower()).strip() + (f"|{where}" if where else "")
    return NamedNode(f"{ID}org/{hashlib.sha1(key.encode()).hexdigest()[:16]}")


def _date(value: str) -> Literal:
    """ISO day, month or year as xsd:date, xsd:gYearMonth or xsd:gYear: no invented days."""
    kind = {10: "date", 7: "gYearMonth", 4: "gYear"}[len(value)]
    return Literal(value, datatype=NamedNode(XSD + kind))


def _ru(text: str) -> Literal:
    return Literal(text, language="ru")


def document_quads(document: Document, extractions: list[Extraction], gazetteer: Gazetteer) -> list[Quad]:
    """All the triples one document contributes: in its own named graph, except the
    descriptions of organisations and of settlements the gazetteer lacks, which go to the
    shared :data:`~borderkg.vocab.ENTITIES_GRAPH` (their links to the document's events and
    rows stay in the document's graph)."""
    g = graph_iri(document.doc_id)
    shared = NamedNode(ENTITIES_GRAPH)
    doc = document_iri(document.doc_id)
    out: list[Quad] = []

    def add(s, p, o, graph=g):
        out.append(Quad(s, p, o, graph))

    def share(s, p, o):
        add(s, p, o, shared)

    add(doc, A, _p(BKG, "SourceDocument"))
    add(doc, _p(DCT, "title"), _ru(document.title or document.doc_id))
    add(doc, _p(DCT, "identifier"), Literal(document.doc_id))
    add(doc, _p(BKG, "sha256"), Literal(document.sha256))
    add(doc, _p(DCT, "format"), Literal(document.media_type))
    if document.period:
        add(doc, _p(BKG, "reportYear"), Literal(document.period.year))
        if document.period.quarter:
            add(doc, _p(BKG, "reportQuarter"), Literal(document.period.quarter))
        add(doc, A, _p(BKG, "QuarterlyReport"))
    for extraction in extractions:
        _event_quads(extraction, add, share, gazetteer)
    return out + ocr_provenance_quads(document, extractions)


def ocr_provenance_quads(document: Document, extractions: list[Extraction]) -> list[Quad]:
    """For a document read by OCR: ``bkg:extractionMethod "ocr"`` and ``bkg:ocrConfidence``
    (the mean confidence 0-1 of the words read) on the document and on each event's row, so
    that ``explain`` can say which events to check against the scan. Nothing otherwise."""
    if document.extraction_method != OCR:
        return []
    graph, method = graph_iri(document.doc_id), _p(BKG, "extractionMethod")
    decimal, confidence = NamedNode(XSD + "decimal"), _p(BKG, "ocrConfidence")
    out = []
    rows = [(document_iri(document.doc_id), document.ocr_confidence)]
    for extraction in extractions:
        block = document.blocks[extraction.row.block_index] if extraction.row else None
        rows.append((row_iri(document.doc_id, extraction.record.n),
                     getattr(block, "ocr_confidence", None) or document.ocr_confidence))
    for node, value in rows:
        out.append(Quad(node, method, Literal(OCR), graph))
        if value is not None:
            out.append(Quad(node, confidence, Literal(f"{value:.3f}", datatype=decimal), graph))
    return out


def _event_quads(extraction: Extraction, add, share, gazetteer: Gazetteer) -> None:
    record = extraction.record
    doc_id = extraction.document.doc_id
    event = event_iri(doc_id, record.n)
    row = row_iri(doc_id, record.n)
    add(event, A, _p(SCHEMA, "Event"))
    add(event, NAME, _ru(" ".join((extraction.title or extraction.document.title or f"Событие {record.n}").split())))
    add(event, _p(PROV, "wasDerivedFrom"), row)
    add(row, A, _p(BKG, "ReportRow"))
    add(row, _p(BKG, "rowNumber"), Literal(record.n))
    add(row, _p(DCT, "isPartOf"), document_iri(doc_id))
    if extraction.section:
        add(row, _p(BKG, "section"), _ru(extraction.section))
    for cell in extraction.cells:
        if cell.field != "paragraph" and cell.text:
            add(row, _p(BKG, f"{cell.field}Text"), _ru(cell.text))
    if extraction.dates_text:
        add(row, _p(BKG, "datesText"), _ru(extraction.dates_text))
    if extraction.municipality:
        add(event, _p(BKG, "reportingMunicipality"), municipality_iri(extraction.municipality.id))
    if record.date_start:
        add(event, _p(SCHEMA, "startDate"), _date(record.date_start))
    if record.date_end:
        add(event, _p(SCHEMA, "endDate"), _date(record.date_end))
    mode = "OnlineEventAttendanceMode" if record.online else (
        "MixedEventAttendanceMode" if extraction.mixed_attendance else "OfflineEventAttendanceMode")
    add(event, _p(SCHEMA, "eventAttendanceMode"), _p(SCHEMA, mode))
    texts = {cell.field: cell.text for cell in extraction.cells}
    # Free text gets title-only categories: a whole article would fire nearly every one.
    for category in categorize(extraction.title or extraction.document.title or "",
                               texts.get("content", ""), texts.get("participants", "")):
        add(event, _p(BKG, "category"), NamedNode(CAT + category))
    for iso in record.countries:
        add(event, _p(BKG, "involvesCountry"), NamedNode(f"{ID}country/{iso}"))
    _link_quads(extraction, event, row, add, share)
    for org in extraction.organisations:
        _org_quads(org, event, row, add, share)
    for twin in record.twins:
        _twin_quads(twin, extraction, event, row, add, gazetteer)
    for i, agreement in enumerate(record.agreements, 1):
        node = NamedNode(f"{event.value}/agreement/{i}")
        add(node, A, _p(BKG, "Agreement"))
        add(node, _p(BKG, "agreementKind"), Literal(agreement["kind"]))
        add(node, _p(PROV, "wasDerivedFrom"), row)
        add(event, _p(BKG, "agreement"), node)
        for party in agreement["parties"]:
            add(node, _p(BKG, "partyName"), _ru(party))


def _org_quads(org, event, row, add, share) -> None:
    """An organisation with its type, country and location (shared); the event's attendee
    and the row it was found in (the document's)."""
    location, where = org.location, ""
    if location is not None:
        where = location.target.id if location.target.kind == "municipality" else (
            location.place.id if location.place is not None else "")
    node = org_iri(org.name, where or org.country or "")
    add(event, _p(SCHEMA, "attendee"), node)
    share(node, A, _p(ORG, "Organization"))
    share(node, NAME, _ru(org.name))
    share(node, _p(BKG, "orgType"), NamedNode(f"{ID}org-type/{org.type}"))
    if org.country:
        share(node, _p(BKG, "country"), NamedNode(f"{ID}country/{org.country}"))
    if location is not None:
        if location.target.kind == "municipality":
            share(node, _p(SCHEMA, "location"), municipality_iri(location.target.id))
        elif location.place is not None:
            share(node, _p(SCHEMA, "location"), place_iri(location.place.id))
    add(node, _p(PROV, "wasDerivedFrom"), row)


def _link_quads(extraction: Extraction, event, row, add, share) -> None:
    """Partner places and the mention each comes from (text, offsets, extractor)."""
    partners = {link.place.id for link, _ in extraction.partners}
    for place_id in sorted(partners):
        add(event, _p(BKG, "partnerPlace"), place_iri(place_id))
    for link, place in _by_place_links(extraction):
        node = place_iri(place.id)
        if not place.in_gazetteer:
            _new_place_quads(place, share)
        mention = NamedNode(f"{event.value}/mention/{link.mention.start}-{link.cell_field}")
        add(mention, A, _p(BKG, "Mention"))
        add(mention, _p(BKG, "refersTo"), node)
        add(mention, _p(BKG, "mentionText"), _ru(link.mention.text))
        add(mention, _p(BKG, "inField"), Literal(link.cell_field))
        add(mention, _p(BKG, "startOffset"), Literal(link.mention.start))
        add(mention, _p(BKG, "endOffset"), Literal(link.mention.end))
        add(mention, _p(BKG, "extractor"), Literal(f"gazetteer-{link.mention.rule}"))
        add(mention, _p(BKG, "confidence"), Literal(link.confidence, datatype=NamedNode(XSD + "decimal")))
        add(mention, _p(PROV, "wasDerivedFrom"), row)
        add(event, _p(BKG, "hasMention"), mention)


class _CellLink:
    __slots__ = ("mention", "cell_field", "confidence")

    def __init__(self, mention, cell_field, confidence):
        self.mention, self.cell_field, self.confidence = mention, cell_field, confidence


def _by_place_links(extraction: Extraction):
    for cell in extraction.cells:
        for link in cell.links:
            if link.place is not None and link.place.country == "BY":
                yield _CellLink(link.mention, cell.field, str(link.confidence)), link.place


def _new_place_quads(place: Place, add) -> None:
    node = place_iri(place.id)
    add(node, A, _p(BKG, "Settlement"))
    add(node, NAME, _ru(place.name))
    add(node, LABEL, _ru(place.name))
    add(node, _p(BKG, "settlementKind"), Literal(place.kind))
    add(node, _p(BKG, "inRaion"), place_iri(place.raion_id))
    add(node, _p(BKG, "fromGazetteer"), Literal(False))


def _twin_quads(twin: dict, extraction: Extraction, event, row, add, gazetteer: Gazetteer) -> None:
    municipality = next((m for m in gazetteer.municipalities.values() if m.name == twin["ru"]), None)
    place = next((l.place for c in extraction.cells for l in c.links
                  if l.place is not None and l.place.name == twin["by"]), None)
    if municipality is None or place is None:
        return
    ru, by = municipality_iri(municipality.id), place_iri(place.id)
    add(ru, _p(BKG, "twinnedWith"), by)
    add(by, _p(BKG, "twinnedWith"), ru)
    node = NamedNode(f"{event.value}/twin/{place.id}")
    add(node, A, _p(BKG, "TwinLink"))
    add(node, _p(BKG, "russianSide"), ru)
    add(node, _p(BKG, "belarusianSide"), by)
    add(node, _p(PROV, "wasDerivedFrom"), row)
    if extraction.record.date_start:
        add(node, _p(BKG, "statedOn"), _date(extraction.record.date_start))
    add(event, _p(BKG, "twinLink"), node)


def gazetteer_quads(gazetteer: Gazetteer) -> list[Quad]:
    """Municipalities (with both names and the period each was in force), Belarusian units
    and settlements, countries: the gazetteer graph."""
    g = NamedNode(GAZETTEER_GRAPH)
    out: list[Quad] = []

    def add(s, p, o):
        out.append(Quad(s, p, o, g))

    classes = {"oblast": "Oblast", "capital": "Capital", "raion": "Raion", "city_district": "CityDistrict"}
    for place in gazetteer.places.values():
        node = place_iri(place.id)
        add(node, A, _p(BKG, classes.get(place.kind, "Settlement")))
        add(node, NAME, _ru(place.name))
        add(node, LABEL, _ru(place.name))
        add(node, _p(BKG, "country"), NamedNode(f"{ID}country/{place.country}"))
        if place.kind not in classes:
            add(node, _p(BKG, "settlementKind"), Literal(place.kind))
        if place.raion_id and place.raion_id != place.id:
            add(node, _p(BKG, "inRaion"), place_iri(place.raion_id))
        if place.oblast_id and place.oblast_id != place.id and place.country == "BY":
            add(node, _p(BKG, "inOblast"), place_iri(place.oblast_id))
        if place.name_be:
            add(node, LABEL, Literal(place.name_be, language="be"))
        if place.wikidata:
            add(node, _p(OWL, "sameAs"), NamedNode(WD + place.wikidata))
        if place.lat is not None and place.lon is not None:
            geometry = NamedNode(node.value + "/geometry")
            add(node, _p(GEO, "hasGeometry"), geometry)
            add(geometry, _p(GEO, "asWKT"),
                Literal(f"POINT({place.lon} {place.lat})", datatype=_p(GEO, "wktLiteral")))
    for municipality in gazetteer.municipalities.values():
        node = municipality_iri(municipality.id)
        add(node, A, _p(BKG, "Municipality"))
        add(node, NAME, _ru(municipality.name))
        add(node, LABEL, _ru(municipality.name))
        add(node, _p(BKG, "country"), NamedNode(f"{ID}country/RU"))
        add(node, _p(BKG, "adminCentre"), _ru(municipality.admin_centre))
        name_nodes = []
        for i, (name, start, end) in enumerate(_names_in_time(municipality)):
            name_node = NamedNode(f"{node.value}/name/{i}")
            name_nodes.append(name_node)
            add(node, _p(BKG, "hasName"), name_node)
            add(name_node, A, _p(BKG, "NameInTime"))
            add(name_node, _p(BKG, "nameValue"), _ru(name))
            if start:
                add(name_node, _p(BKG, "validFrom"), _date(start))
            if end:
                add(name_node, _p(BKG, "validUntil"), _date(end))
        # Without a known date of the renaming the order of the names is still known.
        for former, current in zip(name_nodes, name_nodes[1:]):
            add(former, _p(BKG, "supersededBy"), current)
        if municipality.former_name != municipality.name:
            add(node, _p(SCHEMA, "alternateName"), _ru(municipality.former_name))
        if municipality.lat is not None:
            geometry = NamedNode(node.value + "/geometry")
            add(node, _p(GEO, "hasGeometry"), geometry)
            add(geometry, _p(GEO, "asWKT"),
                Literal(f"POINT({municipality.lon} {municipality.lat})", datatype=_p(GEO, "wktLiteral")))
    for country in gazetteer.countries.values():
        node = NamedNode(f"{ID}country/{country.iso2}")
        add(node, A, _p(BKG, "Country"))
        add(node, NAME, _ru(country.name))
        add(node, _p(BKG, "iso2"), Literal(country.iso2))
    return out


def _names_in_time(municipality) -> list[tuple[str, str | None, str | None]]:
    """(name, valid from, valid until): the former name until the renaming, then the new."""
    if municipality.former_name == municipality.name:
        return [(municipality.name, None, None)]
    changed = municipality.renamed_on
    return [(municipality.former_name, None, changed), (municipality.name, changed, None)]


__all__ = ["document_quads", "gazetteer_quads", "graph_iri", "event_iri", "place_iri",
           "municipality_iri", "BlankNode", "DefaultGraph"]
