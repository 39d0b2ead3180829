"""Saved queries: each answers as its golden file says on the hand-made dataset
(queries/fixtures/small.trig), the shipped build gives sensible answers, headers are
complete, parameters bind as data, and the CLI lists them. Golden files:
``python -m borderkg.goldens`` rewrites them."""

from __future__ import annotations

import re
import time

import pytest
from click.testing import CliRunner

from borderkg.errors import QueryError
from borderkg.goldens import fixture_store, golden_path, golden_text, is_federated, local_queries, reference_store
from borderkg.paths import QUERIES
from borderkg.query import format_results, load_query, run_query, saved_queries
from borderkg.store import OxigraphStore

ALL = saved_queries()
LOCAL = local_queries()
EVIL = 'x" } DROP ALL ; INSERT DATA { <urn:a> <urn:b> "c" } #'


@pytest.fixture(scope="module")
def store():
    """The hand-made dataset with its derived layers, as a build would compute them."""
    return fixture_store()


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """The shipped reports, built once per test session (shared with the export tests)."""
    return reference_store(tmp_path_factory.getbasetemp() / "reference-store")


def test_there_are_enough_saved_queries():
    assert len(ALL) >= 15
    assert len(LOCAL) >= 15


@pytest.mark.parametrize("saved", LOCAL, ids=lambda q: q.name)
def test_query_matches_its_golden_file(store, saved):
    expected = golden_path(saved)
    assert expected.exists(), f"no golden file for {saved.name}: run python -m borderkg.goldens"
    assert golden_text(store, saved) == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("saved", LOCAL, ids=lambda q: q.name)
def test_query_is_fast(shipped, saved):
    start = time.perf_counter()
    format_results(run_query(shipped, saved), "csv")
    assert time.perf_counter() - start < 3.0, f"{saved.name} is slow"


def test_every_golden_file_belongs_to_a_local_query():
    names = {saved.name for saved in LOCAL}
    orphans = [p.name for p in QUERIES.glob("*.expected.csv") if p.name[: -len(".expected.csv")] not in names]
    assert orphans == []


@pytest.mark.parametrize("saved", ALL, ids=lambda q: q.name)
def test_query_header_is_complete(saved):
    assert saved.title and len(saved.title) < 80
    assert len(saved.description) > 30
    assert all(param.default for param in saved.params), "every parameter needs a default (goldens use it)"


@pytest.mark.parametrize("saved", ALL, ids=lambda q: q.name)
def test_query_orders_its_rows(saved):
    body = re.sub(r"(?m)^#.*$", "", saved.text)
    assert re.search(r"\bORDER\s+BY\b", body[body.rfind("}"):], re.IGNORECASE), "no final ORDER BY"


def test_federated_query_is_marked_documented_and_parses():
    from rdflib.plugins.sparql import prepareQuery

    from borderkg.vocab import sparql_prefixes

    federated = [saved for saved in ALL if is_federated(saved)]
    assert [saved.name for saved in federated] == ["wikidata-partners"]
    saved = federated[0]
    assert "SERVICE" in saved.text and "https://query.wikidata.org/sparql" in saved.text
    assert "network" in saved.description
    assert saved not in LOCAL and not golden_path(saved).exists()
    prepareQuery(sparql_prefixes() + saved.text)  # parsing only: tests never touch the network


@pytest.mark.parametrize("saved", [q for q in LOCAL if q.params], ids=lambda q: q.name)
def test_literal_parameters_bind_as_data(store, saved):
    literal = {p.name: EVIL for p in saved.params if p.kind == "literal"}
    before = store.triple_count()
    if literal:
        result = run_query(store, saved, literal)
        assert format_results(result, "csv").count("\n") == 1, "only the header: nothing matches"
    for param in saved.params:
        if param.kind != "literal":
            with pytest.raises(QueryError):
                run_query(store, saved, {param.name: EVIL})
    assert store.triple_count() == before


def test_the_query_readme_lists_every_query():
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    missing = [saved.name for saved in ALL if f"[`{saved.name}`]({saved.name}.rq)" not in readme]
    assert missing == []


def test_cli_lists_every_saved_query():
    from borderkg.cli import cli

    result = CliRunner().invoke(cli, ["queries"])
    assert result.exit_code == 0, result.output
    for saved in ALL:
        assert re.search(rf"^{re.escape(saved.name)}\s+{re.escape(saved.title)}$", result.output, re.MULTILINE)


# --- the shipped build stays sensible (bounds and known facts, not byte-equal answers) -------

def rows(store, name: str, **params) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(answer(store, name, **params))))


def test_shipped_build_counts_are_within_bounds(shipped):
    from borderkg.ingest import totals

    n = totals(shipped)
    assert n["documents"] == 4 and 90 <= n["events"] <= 110 and n["events_elsewhere"] == 2
    assert 50 <= n["joint_events"] <= n["with_belarus"] <= n["events"]
    assert 50 <= n["partnerships"] <= 80 and 40 <= n["belarusian_places"] <= 70
    assert n["twin_links"] >= 2 and n["agreements"] >= 2 and n["municipalities"] >= 12


def test_shipped_build_knows_the_known_facts(shipped):
    twins = {(r["municipality"], r["partner"]) for r in rows(shipped, "twin-links")}
    assert {("город Десногорск", "Чаусы"), ("Сафоновский муниципальный округ", "Толочин")} <= twins
    rudnya = {r["partner"] for r in rows(shipped, "partners-of-municipality")}
    assert {"Лиозненский район", "Добромысли"} <= rudnya
    strength = {(r["municipality"], r["partner"]): int(r["events"]) for r in rows(shipped, "partnership-strength")}
    assert strength[("Руднянский муниципальный округ", "Лиозненский район")] >= 3
    per_muni = {r["municipality"]: int(r["events"]) for r in rows(shipped, "events-per-municipality")}
    assert max(per_muni, key=per_muni.get) == "город Смоленск"
    assert any(r["kind"] == "memorandum" and r["municipality"] == "город Десногорск"
               for r in rows(shipped, "agreements"))
    for name in ("partner-link-sources", "events-in-place-window", "new-partnerships", "top-organisations",
                 "online-share", "names-at-event-dates", "municipality-names", "partners-of-raion"):
        assert rows(shipped, name), f"{name} answers nothing on the shipped data"


def test_partner_link_sources_has_no_repeated_rows(shipped, store):
    # The partner itself used to be matched by a group that only BIND-ed it, which left the
    # place unbound: every partner place of the municipality matched, and some rows twice.
    for s in (shipped, store):
        text = answer(s, "partner-link-sources").splitlines()
        assert len(text) == len(set(text))
    assert "Витебская область" not in answer(store, "partner-link-sources")


def test_partner_link_sources_sums_up_unless_detail_is_asked(store):
    # Checked by hand against queries/fixtures/small.trig: the five joint events of Рудня and
    # Лиозненский район, each with its source row; summed up, one row per way a place was named.
    detail = answer(store, "partner-link-sources", detail="yes")
    assert detail.splitlines()[1:] == [
        "2024-12-28,2024-12-28,Новогодний концерт,Лиозно,,,,,1,1,r2.txt,2",
        "2025-03-22,2025-03-22,Фестиваль «Танцевальная феерия»,Добромысли,Добромысли,place,gazetteer-name,1,1,1,r1.txt,1",
        "2025-03-22,2025-03-22,Фестиваль «Танцевальная феерия»,Лиозненский район,Лиозненский район,place,"
        "gazetteer-name,1,1,1,r1.txt,1",
        "2025-04-10,2025-04-10,Телемост «Дружба»,Лиозно,Лиозно,name,gazetteer-name,0.9,1,1,r1.txt,2",
        "2025-05,2025-05,Турнир по мини-футболу,Лиозненский район,Лиозненского района,participants,"
        "gazetteer-adjective,0.8,1,1,r1.txt,3"]
    summed = rows(store, "partner-link-sources")
    assert {r["event"] + r["document"] + r["row"] for r in summed} == {""}


def test_partner_link_sources_counts_the_events_of_one_way_of_naming():
    store = small_store("""
    id:m a bkg:Municipality ; schema:name "Руднянский муниципальный округ"@ru .
    id:p a bkg:Raion ; schema:name "Лиозненский район"@ru .
    id:d1 dct:identifier "a.txt" . id:d2 dct:identifier "b.txt" .
    id:r1 dct:isPartOf id:d1 ; bkg:rowNumber 1 . id:r2 dct:isPartOf id:d2 ; bkg:rowNumber 4 .
    id:r3 dct:isPartOf id:d2 ; bkg:rowNumber 5 .
    id:e1 a schema:Event ; schema:name "Раз" ; bkg:reportingMunicipality id:m ; bkg:partnerPlace id:p ;
          prov:wasDerivedFrom id:r1 ; schema:startDate "2024-03-01"^^xsd:date ; bkg:hasMention id:m1 .
    id:e2 a schema:Event ; schema:name "Два" ; bkg:reportingMunicipality id:m ; bkg:partnerPlace id:p ;
          prov:wasDerivedFrom id:r2 ; schema:startDate "2025-06"^^xsd:gYearMonth ; bkg:hasMention id:m2 .
    id:e3 a schema:Event ; schema:name "Три" ; bkg:reportingMunicipality id:m ; bkg:partnerPlace id:p ;
          prov:wasDerivedFrom id:r3 .
    id:m1 bkg:refersTo id:p ; bkg:mentionText "Лиозненский район" ; bkg:inField "place" ; bkg:startOffset 0 .
    id:m2 bkg:refersTo id:p ; bkg:mentionText "Лиозненский район" ; bkg:inField "place" ; bkg:startOffset 3 .
    """)
    summed = answer(store, "partner-link-sources", municipality="Руднянский муниципальный округ",
                    partner="Лиозненский район").splitlines()[1:]
    assert summed == [",,,Лиозненский район,,,,,1,1,,", "2024-03-01,2025-06,,Лиозненский район,Лиозненский район,place,,,2,2,,"]
    assert len(answer(store, "partner-link-sources", detail="yes").splitlines()) == 1 + 3


def test_goldens_command_checks_the_files(tmp_path):
    from borderkg.goldens import main

    result = CliRunner().invoke(main, ["--check"])
    assert result.exit_code == 0, result.output
    assert "0 golden file(s) differ" in result.output
    broken = tmp_path / "empty.trig"
    broken.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["--check", "--fixture", str(broken)])
    assert result.exit_code == 1 and "differ" in result.output


# --- query logic on small hand-made graphs --------------------------------------------------

PREFIXES_TTL = """
@prefix bkg: <https://w3id.org/borderkg/ontology#> . @prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/borderkg/id/> . @prefix cat: <https://w3id.org/borderkg/id/category/> .
"""


def small_store(turtle: str) -> OxigraphStore:
    """A store holding ``turtle`` as one document graph, with the derived layers a build
    would compute from it."""
    from pyoxigraph import NamedNode, RdfFormat

    from borderkg.derive import derive_layers

    store = OxigraphStore.in_memory()
    store.native.load((PREFIXES_TTL + turtle).encode(), format=RdfFormat.TURTLE,
                      to_graph=NamedNode("https://w3id.org/borderkg/id/graph/test"))
    derive_layers(store)
    return store


def answer(store, name: str, **params) -> str:
    return format_results(run_query(store, load_query(name), params), "csv")


def test_events_are_counted_per_quarter_and_category_label():
    store = small_store("""
    cat:culture skos:prefLabel "Культура"@ru , "Culture"@en .
    id:m a bkg:Municipality ; schema:name "Руднянский муниципальный округ"@ru .
    id:e1 a schema:Event ; bkg:reportingMunicipality id:m ; schema:startDate "2025-02-10"^^xsd:date ;
          bkg:category cat:culture ; bkg:involvesCountry <https://w3id.org/borderkg/id/country/BY> .
    id:e2 a schema:Event ; bkg:reportingMunicipality id:m ; schema:startDate "2025-05"^^xsd:gYearMonth .
    id:e3 a schema:Event ; bkg:reportingMunicipality id:m ; schema:startDate "2025-05-20"^^xsd:date ;
          bkg:category cat:culture , cat:sport .
    id:e4 a schema:Event ; bkg:reportingMunicipality id:m ; bkg:category cat:culture .
    id:e5 a schema:Event ; bkg:reportingMunicipality id:m ; schema:startDate "2024"^^xsd:gYear .
    """)
    assert answer(store, "events-by-quarter-category") == (
        "year,quarter,category,events,with_belarus\n"
        ",,Культура,1,0\n"
        "2024,,без категории,1,0\n"
        "2025,1,Культура,1,1\n"
        "2025,2,sport,1,0\n"
        "2025,2,Культура,1,0\n"
        "2025,2,без категории,1,0\n")


RENAMED = """
    id:m a bkg:Municipality ; schema:name "Руднянский муниципальный округ"@ru ;
         bkg:hasName id:n0 , id:n1 .
    id:n0 a bkg:NameInTime ; bkg:nameValue "Руднянский район"@ru ; %s .
    id:n1 a bkg:NameInTime ; bkg:nameValue "Руднянский муниципальный округ"@ru ; bkg:validFrom "2025-01-01"^^xsd:date .
    id:d dct:identifier "r.txt" .
    id:e1 bkg:reportingMunicipality id:m ; schema:name "Before"@ru ; schema:startDate "2024-12-31"^^xsd:date ;
          prov:wasDerivedFrom id:r1 .
    id:e2 bkg:reportingMunicipality id:m ; schema:name "On the day"@ru ; schema:startDate "2025-01-01"^^xsd:date ;
          prov:wasDerivedFrom id:r2 .
    id:e3 bkg:reportingMunicipality id:m ; schema:name "A month"@ru ; schema:startDate "2024-06"^^xsd:gYearMonth ;
          prov:wasDerivedFrom id:r3 .
    id:e4 bkg:reportingMunicipality id:m ; schema:name "Undated"@ru ; prov:wasDerivedFrom id:r4 .
    id:r1 bkg:rowNumber 1 ; dct:isPartOf id:d ; bkg:section "Руднянский район"@ru .
    id:r2 bkg:rowNumber 2 ; dct:isPartOf id:d .
    id:r3 bkg:rowNumber 3 ; dct:isPartOf id:d .
    id:r4 bkg:rowNumber 4 ; dct:isPartOf id:d .
"""


@pytest.mark.parametrize("end_of_old_name", ['bkg:validUntil "2025-01-01"^^xsd:date', "bkg:supersededBy id:n1"])
def test_the_name_in_force_follows_the_renaming_date(end_of_old_name):
    store = small_store(RENAMED % end_of_old_name)
    # The municipality is found by its former name too; an undated event has no name in force.
    assert answer(store, "names-at-event-dates", municipality="Руднянский район", **{"from": "2024-01-01"},
                  to="2025-12-31") == (
        "date,event,name_in_force,candidates,reported_as,document,row\n"
        "2024-06,A month,Руднянский район,1,,r.txt,3\n"
        "2024-12-31,Before,Руднянский район,1,Руднянский район,r.txt,1\n"
        "2025-01-01,On the day,Руднянский муниципальный округ,1,,r.txt,2\n")


@pytest.mark.parametrize(("window", "events"), [
    (("2024-06-01", "2025-01-01"), ["A month", "Before", "On the day"]),  # both ends inclusive
    (("2024-06-02", "2024-12-31"), ["Before"]),  # a month counts from its first day
    (("2025-01-02", "2100-12-31"), []),
])
def test_names_at_event_dates_lists_the_events_starting_in_the_window(window, events):
    store = small_store(RENAMED % 'bkg:validUntil "2025-01-01"^^xsd:date')
    rows = answer(store, "names-at-event-dates", **dict(zip(("from", "to"), window))).splitlines()[1:]
    assert [row.split(",")[1] for row in rows] == events


def test_a_municipality_lists_its_names_in_time():
    store = small_store(RENAMED % 'bkg:validUntil "2025-01-01"^^xsd:date ; bkg:supersededBy id:n1')
    assert answer(store, "municipality-names", municipality="Руднянский район") == (
        "current_name,name,valid_from,valid_until,superseded_by,status\n"
        "Руднянский муниципальный округ,Руднянский район,,2025-01-01,Руднянский муниципальный округ,прежнее\n"
        "Руднянский муниципальный округ,Руднянский муниципальный округ,2025-01-01,,,текущее\n")


def test_a_window_catches_events_that_overlap_it():
    store = small_store("""
    id:raion a bkg:Raion ; schema:name "Лиозненский район"@ru .
    id:town schema:name "Лиозно"@ru ; bkg:inRaion id:raion .
    id:m schema:name "Руднянский муниципальный округ"@ru .
    id:d dct:identifier "r.txt" .
    id:e1 bkg:reportingMunicipality id:m ; bkg:partnerPlace id:town ; schema:name "Starts before"@ru ;
          schema:startDate "2025-03-24"^^xsd:date ; schema:endDate "2025-04-09"^^xsd:date ; prov:wasDerivedFrom id:r1 .
    id:e2 bkg:reportingMunicipality id:m ; bkg:partnerPlace id:raion ; schema:name "A month"@ru ;
          schema:startDate "2025-06"^^xsd:gYearMonth ; prov:wasDerivedFrom id:r2 .
    id:e3 bkg:reportingMunicipality id:m ; bkg:partnerPlace id:raion ; schema:name "After"@ru ;
          schema:startDate "2025-07-01"^^xsd:date ; prov:wasDerivedFrom id:r3 .
    id:r1 bkg:rowNumber 1 ; dct:isPartOf id:d . id:r2 bkg:rowNumber 2 ; dct:isPartOf id:d .
    id:r3 bkg:rowNumber 3 ; dct:isPartOf id:d .
    """)
    assert answer(store, "events-in-place-window") == (
        "start,end,municipality,event,via,document,row\n"
        "2025-03-24,2025-04-09,Руднянский муниципальный округ,Starts before,Лиозно,r.txt,1\n"
        "2025-06,2025-06,Руднянский муниципальный округ,A month,Лиозненский район,r.txt,2\n")


def test_partnership_dynamics_gives_one_municipality_or_every_one(shipped):
    every = rows(shipped, "partnership-dynamics", municipality="")
    assert len({r["municipality"] for r in every}) > 1
    # The views read the query with the parameter unbound: the same rows.
    from borderkg.figures import DYNAMICS, select

    assert sorted(tuple(r.values()) for r in every) == sorted(
        (r["municipality"], r["partner"], r.get("year", ""), r["events"], r.get("first", ""), r.get("last", ""),
         r["total"], r["partnership"]) for r in select(shipped, DYNAMICS))
    rudnya = [r for r in every if r["municipality"] == "Руднянский муниципальный округ"]
    assert rows(shipped, "partnership-dynamics") == rudnya  # the default
    assert rows(shipped, "partnership-dynamics", municipality="Руднянский район") == rudnya  # a former name
    assert rows(shipped, "partnership-dynamics", municipality="Нет такого") == []
