"""RDF for extracted events and for the gazetteer, as pyoxigraph quads.

Every event lives in the named graph of its source document; the gazetteer has a graph of
its own. IRIs are stable: places and municipalities by their gazetteer id, events by the
document's file name and row number, so a rebuild gives the same IRIs.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad

from borderkg.document import OCR, Document
from borderkg.extract.model import Agreement, Extraction, TwinLink
from borderkg.extract.orgs import Organisation
from borderkg.gazetteer import Country, Gazetteer, Municipality, Place
from borderkg.vocab import BKG, CAT, DCT, ENTITIES_GRAPH, GAZETTEER_GRAPH, GEO, ID, ORG, OWL, PROV, RDF, RDFS, SCHEMA, WD, XSD

A = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")
NAME = NamedNode(SCHEMA + "name")


def _p(ns: str, local: str) -> NamedNode:
    return NamedNode(ns + local)


def slug(text: str) -> str:
    """The IRI path segment of a file name: letters, digits and ``-._~`` as they are, every
    other character percent-encoded, so that two names never give one IRI («with space.txt»
    and «with_space.txt» are two documents) and plain names keep the IRIs they always had.

    >>> slug("001_5746b6576caafdfe.txt")
    '001_5746b6576caafdfe.txt'
    >>> slug("Отчёт 2020 (итог).docx")
    'Отчёт%202020%20%28итог%29.docx'
    >>> slug("with space.txt"), slug("with_space.txt"), slug("a/report%.txt")
    ('with%20space.txt', 'with_space.txt', 'a%2Freport%25.txt')
    """
    return "".join(ch if ch in _IRI_KEPT or (ch.isalnum() and ord(ch) >= 0xA0) else quote(ch, safe="")
                   for ch in text)


_IRI_KEPT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")  # RFC 3987 unreserved


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


def country_iri(iso2: str) -> NamedNode:
    return NamedNode(f"{ID}country/{iso2}")


def org_iri(key: str) -> NamedNode:
    """An organisation's IRI from its identity (:attr:`~borderkg.extract.orgs.Organisation.key`).

    >>> org_iri("гуо гимназия 4|BY").value.startswith("https://w3id.org/borderkg/id/org/")
    True
    """
    return NamedNode(f"{ID}org/{hashlib.sha1(key.encode()).hexdigest()[:16]}")


def _date(value: str) -> Literal:
    """ISO day, month or year as xsd:date, xsd:gYearMonth or xsd:gYear: no invented days."""
    kind = {10: "date", 7: "gYearMonth", 4: "gYear"}[len(value)]
    return Literal(value, datatype=NamedNode(XSD + kind))


def _ru(text: str) -> Literal:
    return Literal(text, language="ru")


def document_quads(document: Document, extractions: list[Extraction]) -> list[Quad]:
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
        _event_quads(extraction, add, share)
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
        rows.append((row_iri(document.doc_id, extraction.n),
                     getattr(block, "ocr_confidence", None) or document.ocr_confidence))
    for node, value in rows:
        out.append(Quad(node, method, Literal(OCR), graph))
        if value is not None:
            out.append(Quad(node, confidence, Literal(f"{value:.3f}", datatype=decimal), graph))
    return out


def _event_quads(extraction: Extraction, add, share) -> None:
    doc_id = extraction.doc_id
    event = event_iri(doc_id, extraction.n)
    row = row_iri(doc_id, extraction.n)
    add(event, A, _p(SCHEMA, "Event"))
    add(event, NAME, _ru(extraction.name))
    add(event, _p(PROV, "wasDerivedFrom"), row)
    add(row, A, _p(BKG, "ReportRow"))
    add(row, _p(BKG, "rowNumber"), Literal(extraction.n))
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
    for named in extraction.ru_municipalities or ():
        add(event, _p(BKG, "namesMunicipality"), municipality_iri(named.id))
    if extraction.dates is not None:
        add(event, _p(SCHEMA, "startDate"), _date(extraction.dates.start_iso()))
        add(event, _p(SCHEMA, "endDate"), _date(extraction.dates.end_iso()))
    add(event, _p(SCHEMA, "eventAttendanceMode"), _p(SCHEMA, extraction.attendance.value))
    if extraction.venue is not None:
        add(event, _p(SCHEMA, "location"), _entity_iri(extraction.venue))
    for category in extraction.categories:
        add(event, _p(BKG, "category"), NamedNode(CAT + category))
    for iso in extraction.countries:
        add(event, _p(BKG, "involvesCountry"), country_iri(iso))
    _link_quads(extraction, event, row, add, share)
    for org in extraction.organisations:
        _org_quads(org, event, row, add, share)
    for twin in extraction.twins:
        _twin_quads(twin, event, row, add)
    for i, agreement in enumerate(extraction.agreements, 1):
        _agreement_quads(agreement, NamedNode(f"{event.value}/agreement/{i}"), event, row, add)


def _org_quads(org: Organisation, event, row, add, share) -> None:
    """An organisation with its type, country and location (shared); the event's attendee
    and the row it was found in (the document's)."""
    node = org_iri(org.key)
    location = org.location
    add(event, _p(SCHEMA, "attendee"), node)
    share(node, A, _p(ORG, "Organization"))
    share(node, NAME, _ru(org.body))  # one name whatever the spelling
    share(node, _p(BKG, "orgType"), NamedNode(f"{ID}org-type/{org.type}"))
    if org.country:
        share(node, _p(BKG, "country"), country_iri(org.country))
    if location is not None:
        if location.target.kind == "municipality":
            share(node, _p(SCHEMA, "location"), municipality_iri(location.target.id))
        elif location.place is not None:
            share(node, _p(SCHEMA, "location"), place_iri(location.place.id))
    add(node, _p(PROV, "wasDerivedFrom"), row)


def _link_quads(extraction: Extraction, event, row, add, share) -> None:
    """Partner places and the mention each comes from (text, offsets, extractor, the
    linker's confidence)."""
    for place_id in sorted({partner.place.id for partner in extraction.partners}):
        add(event, _p(BKG, "partnerPlace"), place_iri(place_id))
    for found in extraction.place_mentions:
        place = found.place
        if not place.in_gazetteer:
            _new_place_quads(place, share)
        mention = NamedNode(f"{event.value}/mention/{found.start}-{found.field}")
        add(mention, A, _p(BKG, "Mention"))
        add(mention, _p(BKG, "refersTo"), place_iri(place.id))
        add(mention, _p(BKG, "mentionText"), _ru(found.text))
        add(mention, _p(BKG, "inField"), Literal(found.field))
        add(mention, _p(BKG, "startOffset"), Literal(found.start))
        add(mention, _p(BKG, "endOffset"), Literal(found.end))
        add(mention, _p(BKG, "extractor"), Literal(found.extractor))
        add(mention, _p(BKG, "confidence"), Literal(str(found.confidence), datatype=NamedNode(XSD + "decimal")))
        add(mention, _p(PROV, "wasDerivedFrom"), row)
        add(event, _p(BKG, "hasMention"), mention)


def _new_place_quads(place: Place, add) -> None:
    node = place_iri(place.id)
    add(node, A, _p(BKG, "Settlement"))
    add(node, NAME, _ru(place.name))
    add(node, LABEL, _ru(place.name))
    add(node, _p(BKG, "settlementKind"), Literal(place.kind))
    add(node, _p(BKG, "inRaion"), place_iri(place.raion_id))
    add(node, _p(BKG, "fromGazetteer"), Literal(False))


def _twin_quads(twin: TwinLink, event, row, add) -> None:
    ru, by = municipality_iri(twin.municipality.id), place_iri(twin.place.id)
    add(ru, _p(BKG, "twinnedWith"), by)
    add(by, _p(BKG, "twinnedWith"), ru)
    node = NamedNode(f"{event.value}/twin/{twin.place.id}")
    add(node, A, _p(BKG, "TwinLink"))
    add(node, _p(BKG, "russianSide"), ru)
    add(node, _p(BKG, "belarusianSide"), by)
    add(node, _p(PROV, "wasDerivedFrom"), row)
    if twin.stated_on is not None:
        add(node, _p(BKG, "statedOn"), _date(twin.stated_on.start_iso()))
    if twin.established_on is not None:
        add(node, _p(BKG, "establishedOn"), _date(twin.established_on.start_iso()))
    add(event, _p(BKG, "twinLink"), node)


def _entity_iri(entity: Organisation | Municipality | Place | Country) -> NamedNode:
    """The IRI of an entity extraction refers to (a venue, a party)."""
    if isinstance(entity, Organisation):
        return org_iri(entity.key)
    if isinstance(entity, Municipality):
        return municipality_iri(entity.id)
    if isinstance(entity, Country):
        return country_iri(entity.iso2)
    return place_iri(entity.id)


def _agreement_quads(agreement: Agreement, node, event, row, add) -> None:
    """An agreement with its kind, date and parties: each by name as written and as the
    entity it is."""
    add(node, A, _p(BKG, "Agreement"))
    add(node, _p(BKG, "agreementKind"), Literal(agreement.kind))
    add(node, _p(PROV, "wasDerivedFrom"), row)
    if agreement.stated_on is not None:
        add(node, _p(BKG, "statedOn"), _date(agreement.stated_on.start_iso()))
    if agreement.signed_on is not None:
        add(node, _p(BKG, "signedOn"), _date(agreement.signed_on.start_iso()))
    add(event, _p(BKG, "agreement"), node)
    for party in agreement.parties:
        add(node, _p(BKG, "partyName"), _ru(party.name))
        add(node, _p(BKG, "party"), _entity_iri(party.entity))


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
        add(node, _p(BKG, "country"), country_iri(place.country))
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
            _point(add, node, place.lat, place.lon)
    for municipality in gazetteer.municipalities.values():
        node = municipality_iri(municipality.id)
        add(node, A, _p(BKG, "Municipality"))
        add(node, NAME, _ru(municipality.name))
        add(node, LABEL, _ru(municipality.name))
        add(node, _p(BKG, "country"), country_iri("RU"))
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
            _point(add, node, municipality.lat, municipality.lon)
    for country in gazetteer.countries.values():
        node = country_iri(country.iso2)
        add(node, A, _p(BKG, "Country"))
        add(node, NAME, _ru(country.name))
        add(node, _p(BKG, "iso2"), Literal(country.iso2))
    return out


def _point(add, node, lat, lon) -> None:
    """A GeoSPARQL point geometry ``NODE/geometry`` of ``node``."""
    geometry = NamedNode(node.value + "/geometry")
    add(node, _p(GEO, "hasGeometry"), geometry)
    add(geometry, _p(GEO, "asWKT"), Literal(f"POINT({lon} {lat})", datatype=_p(GEO, "wktLiteral")))


def _names_in_time(municipality) -> list[tuple[str, str | None, str | None]]:
    """(name, valid from, valid until): the former name until the renaming, then the new."""
    if municipality.former_name == municipality.name:
        return [(municipality.name, None, None)]
    changed = municipality.renamed_on
    return [(municipality.former_name, None, changed), (municipality.name, changed, None)]


__all__ = ["document_quads", "gazetteer_quads", "graph_iri", "event_iri", "place_iri",
           "municipality_iri", "BlankNode", "DefaultGraph"]
