"""SHACL validation: the graph built from the shipped reports conforms, a small valid graph
conforms, and each kind of broken graph is caught with its own message."""

from __future__ import annotations

from pathlib import Path

import pytest

from borderkg.validate import validate

ROOT = Path(__file__).resolve().parents[1]
BKG = "https://w3id.org/borderkg/ontology#"

PREFIXES = """
PREFIX bkg: <https://w3id.org/borderkg/ontology#>
PREFIX id: <https://w3id.org/borderkg/id/>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX wd: <http://www.wikidata.org/entity/>
"""

# One event of the Q2 2025 report (row 61) in the shape rdf.py gives it, in two named
# graphs as in the store: the gazetteer's and the document's.
VALID = PREFIXES + """
GRAPH id:graph\\/gazetteer {
  id:municipality\\/rudnyansky a bkg:Municipality ;
      schema:name "Руднянский муниципальный округ"@ru ; bkg:country id:country\\/RU ;
      bkg:hasName id:municipality\\/rudnyansky\\/name\\/0 , id:municipality\\/rudnyansky\\/name\\/1 ;
      geo:hasGeometry id:municipality\\/rudnyansky\\/geometry .
  id:municipality\\/rudnyansky\\/geometry geo:asWKT "POINT(31.09 54.94)"^^geo:wktLiteral .
  id:municipality\\/rudnyansky\\/name\\/0 a bkg:NameInTime ; bkg:nameValue "Руднянский район"@ru ;
      bkg:supersededBy id:municipality\\/rudnyansky\\/name\\/1 .
  id:municipality\\/rudnyansky\\/name\\/1 a bkg:NameInTime ; bkg:nameValue "Руднянский муниципальный округ"@ru .
  id:country\\/RU a bkg:Country ; schema:name "Россия"@ru ; bkg:iso2 "RU" .
  id:country\\/BY a bkg:Country ; schema:name "Беларусь"@ru ; bkg:iso2 "BY" .
  id:place\\/by-vitebsk-oblast a bkg:Oblast ; schema:name "Витебская область"@ru ; bkg:country id:country\\/BY .
  id:place\\/by-liozno-raion a bkg:Raion ; schema:name "Лиозненский район"@ru ; bkg:country id:country\\/BY ;
      bkg:inOblast id:place\\/by-vitebsk-oblast ; owl:sameAs wd:Q2293836 .
  id:place\\/by-dobromysli a bkg:Settlement ; schema:name "Добромысли"@ru ; bkg:settlementKind "agrotown" ;
      bkg:inRaion id:place\\/by-liozno-raion ; bkg:inOblast id:place\\/by-vitebsk-oblast ; bkg:country id:country\\/BY .
}
GRAPH id:graph\\/report.txt {
  id:document\\/report.txt a bkg:SourceDocument , bkg:QuarterlyReport ; dct:title "Отчет"@ru ;
      dct:identifier "report.txt" ; dct:format "text/plain" ; bkg:reportYear 2025 ; bkg:reportQuarter 2 ;
      bkg:sha256 "45ed5970b9d67dd361ab1126a760181d8b07e3ad19c9eafbb3c5bcd8e8d5f962" .
  id:row\\/report.txt\\/61 a bkg:ReportRow ; bkg:rowNumber 61 ; dct:isPartOf id:document\\/report.txt ;
      bkg:section "Муниципальное образование «Руднянский муниципальный округ» Смоленской области"@ru ;
      bkg:placeText "Агрогородок Добромысли, Лиозненский район"@ru .
  id:event\\/report.txt\\/61 a schema:Event ;
      schema:name "Участие в районном фестивале-конкурсе «Танцевальная феерия 2025»"@ru ;
      prov:wasDerivedFrom id:row\\/report.txt\\/61 ; bkg:reportingMunicipality id:municipality\\/rudnyansky ;
      schema:startDate "2025-03-22"^^xsd:date ; schema:endDate "2025-03-22"^^xsd:date ;
      schema:eventAttendanceMode schema:OfflineEventAttendanceMode ;
      bkg:partnerPlace id:place\\/by-dobromysli ; bkg:involvesCountry id:country\\/BY ;
      bkg:category id:category\\/culture ; schema:attendee id:org\\/cks ;
      bkg:hasMention id:event\\/report.txt\\/61\\/mention\\/0-place ;
      bkg:twinLink id:event\\/report.txt\\/61\\/twin\\/by-liozno-raion ;
      bkg:agreement id:event\\/report.txt\\/61\\/agreement\\/1 .
  id:event\\/report.txt\\/61\\/mention\\/0-place a bkg:Mention ; bkg:refersTo id:place\\/by-dobromysli ;
      bkg:mentionText "Агрогородок Добромысли"@ru ; bkg:inField "place" ;
      bkg:startOffset 0 ; bkg:endOffset 22 ; bkg:extractor "gazetteer-name" ; bkg:confidence 1.0 ;
      prov:wasDerivedFrom id:row\\/report.txt\\/61 .
  id:municipality\\/rudnyansky bkg:twinnedWith id:place\\/by-liozno-raion .
  id:place\\/by-liozno-raion bkg:twinnedWith id:municipality\\/rudnyansky .
  id:event\\/report.txt\\/61\\/twin\\/by-liozno-raion a bkg:TwinLink ;
      bkg:russianSide id:municipality\\/rudnyansky ; bkg:belarusianSide id:place\\/by-liozno-raion ;
      bkg:statedOn "2025-03-22"^^xsd:date ; prov:wasDerivedFrom id:row\\/report.txt\\/61 .
  id:event\\/report.txt\\/61\\/agreement\\/1 a bkg:Agreement ; bkg:agreementKind "agreement" ;
      bkg:partyName "Администрация Руднянского муниципального округа"@ru ; prov:wasDerivedFrom id:row\\/report.txt\\/61 .
  id:org\\/cks a org:Organization ; schema:name "МБУК «Руднянская ЦКС»"@ru ;
      bkg:orgType id:org-type\\/culture_house ; bkg:country id:country\\/RU ;
      schema:location id:municipality\\/rudnyansky ; prov:wasDerivedFrom id:row\\/report.txt\\/61 .
}
"""

EVENT = "<https://w3id.org/borderkg/id/event/report.txt/61>"
MENTION = "<https://w3id.org/borderkg/id/event/report.txt/61/mention/0-place>"


def graph_store(update: str = ""):
    """The valid example in an in-memory store, changed by a SPARQL update."""
    from pyoxigraph import RdfFormat, Store

    store = Store()
    store.load(VALID, format=RdfFormat.TRIG)
    if update:
        store.update(PREFIXES + update)
    return store


def set_value(subject: str, predicate: str, value: str) -> str:
    """A SPARQL update replacing the values of one property, in whatever graph they are."""
    return (f"DELETE {{ GRAPH ?g {{ {subject} {predicate} ?old }} }} "
            f"INSERT {{ GRAPH ?g {{ {subject} {predicate} {value} }} }} "
            f"WHERE {{ GRAPH ?g {{ {subject} {predicate} ?old }} }}")


def delete(subject: str, predicate: str) -> str:
    return f"DELETE WHERE {{ GRAPH ?g {{ {subject} {predicate} ?old }} }}"


def test_the_example_graph_conforms():
    report = validate(graph_store())
    assert report.conforms, report.summary()
    assert report.violations == []


@pytest.mark.parametrize("update", [
    # A month and a day of that month: neither is before the other at the month's precision.
    set_value(EVENT, "schema:startDate", '"2025-03"^^xsd:gYearMonth'),
    # An event from free text (its row has no section) may have no reporting municipality.
    delete("<https://w3id.org/borderkg/id/row/report.txt/61>", "bkg:section") + " ; "
    + delete(EVENT, "bkg:reportingMunicipality"),
    set_value(EVENT, "schema:startDate", '"2025"^^xsd:gYear') + " ; "
    + set_value(EVENT, "schema:endDate", '"2025-04"^^xsd:gYearMonth'),
    set_value("<https://w3id.org/borderkg/id/event/report.txt/61/agreement/1>", "bkg:agreementKind", '"memorandum"'),
    set_value(EVENT, "bkg:partnerPlace", "id:place\\/by-vitebsk-oblast"),
])
def test_variants_that_conform(update):
    report = validate(graph_store(update))
    assert report.conforms, report.summary()


@pytest.mark.parametrize("update, message", [
    (delete(EVENT, "schema:name"), "an event needs a schema:name"),
    (set_value(MENTION, "bkg:startOffset", "30"), "bkg:startOffset must be less than bkg:endOffset"),
    ("INSERT DATA { GRAPH id:graph\\/gazetteer { id:place\\/by-nowhere a bkg:Settlement ; "
     "schema:name \"Нигде\"@ru ; bkg:settlementKind \"village\" } }; "
     + set_value(EVENT, "bkg:partnerPlace", "id:place\\/by-nowhere"),
     "a bkg:partnerPlace must have a bkg:inRaion or a bkg:inOblast, or be a bkg:Oblast or bkg:Capital"),
    (delete(EVENT, "bkg:reportingMunicipality"),
     "an event from a report's table (its row has a bkg:section) needs a bkg:reportingMunicipality"),
    (set_value(EVENT, "schema:startDate", '"2025-04"^^xsd:gYearMonth'),
     "schema:startDate is after schema:endDate"),
    (set_value(EVENT, "schema:startDate", '"22 марта 2025 года"'),
     "schema:startDate must be one xsd:date, xsd:gYearMonth or xsd:gYear"),
    (delete(EVENT, "prov:wasDerivedFrom"), "an event needs prov:wasDerivedFrom a bkg:ReportRow"),
    (delete("<https://w3id.org/borderkg/id/row/report.txt/61>", "dct:isPartOf"),
     "a bkg:ReportRow needs dct:isPartOf exactly one bkg:SourceDocument"),
    (delete("<https://w3id.org/borderkg/id/row/report.txt/61>", "bkg:rowNumber"),
     "a bkg:ReportRow needs exactly one bkg:rowNumber, an integer of 1 or more"),
    (set_value(MENTION, "bkg:confidence", "1.5"),
     "a bkg:Mention needs exactly one bkg:confidence, an xsd:decimal in [0, 1]"),
    (delete(MENTION, "bkg:extractor"), "a bkg:Mention needs exactly one bkg:extractor"),
    (delete(MENTION, "bkg:mentionText"), "a bkg:Mention needs exactly one non-empty bkg:mentionText"),
    (delete("<https://w3id.org/borderkg/id/event/report.txt/61/twin/by-liozno-raion>", "bkg:belarusianSide"),
     "a bkg:TwinLink needs exactly one bkg:belarusianSide"),
    (delete("id:place\\/by-liozno-raion", "bkg:twinnedWith"),
     "bkg:twinnedWith is symmetric: the inverse triple is missing"),
    (set_value("<https://w3id.org/borderkg/id/event/report.txt/61/agreement/1>", "bkg:agreementKind", '"treaty"'),
     "a bkg:Agreement needs exactly one bkg:agreementKind: agreement, memorandum or protocol"),
    (delete("id:municipality\\/rudnyansky", "bkg:hasName"),
     "a bkg:Municipality needs at least one bkg:hasName, a bkg:NameInTime"),
    (delete("id:municipality\\/rudnyansky\\/name\\/0", "bkg:supersededBy"),
     "a bkg:Municipality has more than one current name (bkg:NameInTime with neither bkg:validUntil nor bkg:supersededBy)"),
    (set_value(EVENT, "bkg:category", "id:category\\/cooking"),
     "bkg:category must be a concept of the category scheme (ontology/categories.ttl)"),
    (set_value("id:org\\/cks", "bkg:orgType", "id:org-type\\/bakery"),
     "an org:Organization needs exactly one bkg:orgType from the org-type scheme (ontology/borderkg.ttl)"),
])
def test_broken_graphs_do_not_conform(update, message):
    report = validate(graph_store(update))
    assert not report.conforms
    assert message in {v.message for v in report.violations}, report.summary()
    assert message in report.summary()


def test_a_violation_names_its_focus_node_and_path():
    report = validate(graph_store(set_value(MENTION, "bkg:startOffset", "30")))
    (violation,) = report.violations
    assert violation.focus == "id:event/report.txt/61/mention/0-place"
    assert violation.path == "bkg:startOffset"
    assert violation.value == "30"


def test_cli_exit_codes(tmp_path):
    from click.testing import CliRunner
    from pyoxigraph import RdfFormat

    from borderkg.commands.validate import validate as command
    from borderkg.store import OxigraphStore

    for name, update, code in (("good", "", 0), ("bad", delete(EVENT, "schema:name"), 1)):
        store = OxigraphStore(tmp_path / name)
        store.native.load(VALID, format=RdfFormat.TRIG)
        if update:
            store.native.update(PREFIXES + update)
        store.close()
        result = CliRunner().invoke(command, ["--store", str(tmp_path / name)])
        assert result.exit_code == code, result.output
        assert ("conforms" if code == 0 else "an event needs a schema:name") in result.output


@pytest.fixture(scope="module")
def shipped_store():
    """The store built from every shipped report (in memory; about half a minute)."""
    from borderkg.ingest import build
    from borderkg.store import OxigraphStore

    store = OxigraphStore.in_memory()
    report = build([ROOT / "data" / "reports"], store)
    assert report.ok, report.failed
    return store


def test_the_shipped_reports_conform(shipped_store):
    report = validate(shipped_store)
    assert report.conforms, report.summary()
    # The union: a triple stated in two named graphs counts once.
    distinct = next(iter(shipped_store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")))
    assert report.triples == int(distinct["n"].value)


def test_the_ontology_declares_every_bkg_term_the_graph_uses(shipped_store):
    import rdflib

    ontology = rdflib.Graph().parse(ROOT / "ontology" / "borderkg.ttl")
    used = {row["term"].value for row in shipped_store.query(
        f"SELECT DISTINCT ?term WHERE {{ {{ ?s ?term ?o }} UNION {{ ?s a ?term }} "
        f"FILTER STRSTARTS(STR(?term), \"{BKG}\") }}", use_default_graph_as_union=True)}
    assert len(used) > 40
    for term in sorted(used):
        node = rdflib.URIRef(term)
        assert (node, rdflib.RDF.type, None) in ontology, f"{term} is not declared"
        for predicate in (rdflib.RDFS.label, rdflib.RDFS.comment):
            languages = {o.language for o in ontology.objects(node, predicate)}
            assert {"ru", "en"} <= languages, f"{term} lacks a Russian or English {predicate}"
