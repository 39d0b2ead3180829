"""Derived layers written by difference end as they would computed from scratch."""

from __future__ import annotations

import pyoxigraph

from borderkg.derive import DERIVED_GRAPHS, DOCUMENT_LAYERS, DocumentChanges, derive_layers
from borderkg.goldens import FIXTURE
from borderkg.store import OxigraphStore

MORE = """
@prefix bkg: <https://w3id.org/borderkg/ontology#> . @prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix m: <https://w3id.org/borderkg/id/municipality/> . @prefix p: <https://w3id.org/borderkg/id/place/> .
@prefix d: <https://w3id.org/borderkg/id/document/> .
<https://w3id.org/borderkg/id/graph/document/r3.txt> {
  d:r3.txt a bkg:SourceDocument ; dct:identifier "r3.txt" ; bkg:sha256 "r3" .
  <urn:r3:1> a bkg:ReportRow ; dct:isPartOf d:r3.txt ; bkg:rowNumber 1 .
  <urn:e3:1> a schema:Event ; schema:name "Ещё один концерт"@ru ; prov:wasDerivedFrom <urn:r3:1> ;
      bkg:reportingMunicipality m:rudnyansky ; schema:startDate "2023-01-15"^^xsd:date ;
      bkg:partnerPlace p:by-s-liozna ; bkg:involvesCountry <https://w3id.org/borderkg/id/country/BY> ;
      bkg:twinLink <urn:e3:1/twin> ; bkg:agreement <urn:e3:1/agreement> .
  <urn:e3:1/twin> a bkg:TwinLink ; bkg:russianSide m:rudnyansky ; bkg:belarusianSide p:by-s-liozna ;
      bkg:statedOn "2023-01-15"^^xsd:date ; prov:wasDerivedFrom <urn:r3:1> .
  <urn:e3:1/agreement> a bkg:Agreement ; bkg:agreementKind "protocol" ; prov:wasDerivedFrom <urn:r3:1> .
}
"""


R3 = "https://w3id.org/borderkg/id/graph/document/r3.txt"


def layers(store) -> dict[str, set[str]]:
    """Every derived graph's triples: the corpus layers and each document's layers."""
    documents = [g for g in store.graphs() if any(g.startswith(layer.graph + "/") for layer in DOCUMENT_LAYERS)]
    return {graph: {str(t) for t in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")}
            for graph in (*DERIVED_GRAPHS, *documents)}


def fixture(*extra: str) -> OxigraphStore:
    store = OxigraphStore.in_memory()
    store.native.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    for text in extra:
        store.native.load(text.encode(), format=pyoxigraph.RdfFormat.TRIG)
    return store


def test_adding_and_removing_a_document_writes_the_layers_a_fresh_derive_gives():
    store = fixture()
    derive_layers(store)
    before = layers(store)
    store.native.load(MORE.encode(), format=pyoxigraph.RdfFormat.TRIG)
    derive_layers(store)  # by difference: only what the new document changed
    fresh = fixture(MORE)
    derive_layers(fresh)
    assert layers(store) == layers(fresh) != before
    store.remove_graph(R3)
    derive_layers(store)
    assert layers(store) == before


def test_the_layers_of_only_the_changed_documents_end_as_a_fresh_derive():
    store = fixture()
    derive_layers(store)
    before = layers(store)
    assert any("/graph/calendar/" in graph for graph in before), "the fixture's documents have calendars"
    changes = DocumentChanges.begin(store)
    assert changes.mark is not None
    store.native.load(MORE.encode(), format=pyoxigraph.RdfFormat.TRIG)
    changes.add(R3)
    derive_layers(store, changes)
    fresh = fixture(MORE)
    derive_layers(fresh)
    assert layers(store) == layers(fresh) != before
    assert any(graph.endswith("/calendar/document/r3.txt") for graph in layers(store))
    changes = DocumentChanges.begin(store)
    store.remove_graph(R3)
    changes.add(R3)
    derive_layers(store, changes)
    assert layers(store) == before


def test_a_build_killed_before_its_layers_leaves_them_to_be_recomputed_whole():
    store = fixture()
    derive_layers(store)
    killed = DocumentChanges.begin(store)  # a build began, wrote a document, and was killed
    store.native.load(MORE.encode(), format=pyoxigraph.RdfFormat.TRIG)
    killed.add(R3)
    changes = DocumentChanges.begin(store)  # the next build writes nothing new
    assert changes.mark is None
    derive_layers(store, changes)
    fresh = fixture(MORE)
    derive_layers(fresh)
    assert layers(store) == layers(fresh)


def test_layers_of_an_earlier_query_are_recomputed_whole(monkeypatch):
    import borderkg.derive as derive

    store = fixture()
    derive_layers(store)
    monkeypatch.setattr(derive, "layers_digest", lambda: "another query")
    changes = DocumentChanges.begin(store)
    assert changes.mark is None
    store.native.load(MORE.encode(), format=pyoxigraph.RdfFormat.TRIG)
    derive_layers(store, changes)  # R3 not named: found because everything is recomputed
    assert any(graph.endswith("/calendar/document/r3.txt") for graph in layers(store))


REWRITTEN = MORE.replace("bkg:partnerPlace p:by-s-liozna", "bkg:partnerPlace p:by-s-orsha").replace(
    "bkg:reportingMunicipality m:rudnyansky", "bkg:reportingMunicipality m:smolensk")
TWIN_ONLY = """
@prefix bkg: <https://w3id.org/borderkg/ontology#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix m: <https://w3id.org/borderkg/id/municipality/> . @prefix p: <https://w3id.org/borderkg/id/place/> .
<https://w3id.org/borderkg/id/graph/document/r4.txt> {
  <https://w3id.org/borderkg/id/document/r4.txt> dct:identifier "r4.txt" ; bkg:sha256 "r4" .
  m:smolensk bkg:twinnedWith p:by-s-orsha . p:by-s-orsha bkg:twinnedWith m:smolensk .
}
"""


def changed(store, graph: str, text: str | None, existed: bool) -> None:
    """A build that writes (or, with no text, removes) one document graph, as ingest does."""
    changes = DocumentChanges.begin(store)
    assert changes.mark is not None
    store.remove_graph(graph)
    if text is not None:
        store.native.load(text.encode(), format=pyoxigraph.RdfFormat.TRIG)
    changes.add(graph, existed=existed)
    derive_layers(store, changes)


def twinned(store) -> set[str]:
    return {str(row["p"]) for row in store.query(
        "SELECT ?p { GRAPH ?g { ?p <https://w3id.org/borderkg/ontology#twinned> true } }")}


def test_a_rewritten_document_and_a_twin_statement_alone_end_as_a_fresh_derive():
    store = fixture(MORE)
    derive_layers(store)
    changed(store, R3, REWRITTEN, existed=True)  # the same event, another place and municipality
    fresh = fixture(REWRITTEN)
    derive_layers(fresh)
    assert layers(store) == layers(fresh)
    before = twinned(store)
    r4 = "https://w3id.org/borderkg/id/graph/document/r4.txt"
    changed(store, r4, TWIN_ONLY, existed=False)  # no event of its own: a pair's twin status changes
    fresh = fixture(REWRITTEN, TWIN_ONLY)
    derive_layers(fresh)
    assert layers(store) == layers(fresh)
    assert twinned(store) != before
    changed(store, r4, None, existed=True)
    assert twinned(store) == before


# Three Belarusian organisations tied at two events each with Лиозна's school of arts: one
# with two names and two types, two named alike with different types.
TIED = """
@prefix bkg: <https://w3id.org/borderkg/ontology#> . @prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix m: <https://w3id.org/borderkg/id/municipality/> . @prefix p: <https://w3id.org/borderkg/id/place/> .
@prefix c: <https://w3id.org/borderkg/id/country/> . @prefix ot: <https://w3id.org/borderkg/id/org-type/> .
<https://w3id.org/borderkg/id/graph/entities> {
  <urn:o:two> a org:Organization ; schema:name "Ясли «Аист»"@ru , "«Аист»"@ru ; bkg:country c:BY ;
      bkg:orgType ot:school , ot:library .
  <urn:o:beaver-1> a org:Organization ; schema:name "Бобр"@ru ; bkg:country c:BY ; bkg:orgType ot:museum .
  <urn:o:beaver-2> a org:Organization ; schema:name "Бобр"@ru ; bkg:country c:BY ; bkg:orgType ot:club .
}
<https://w3id.org/borderkg/id/graph/document/r9.txt> {
  <urn:e9:1> a schema:Event ; bkg:reportingMunicipality m:rudnyansky ; schema:startDate "2025-01-10"^^xsd:date ;
      bkg:partnerPlace p:by-s-liozna ; bkg:involvesCountry c:BY ; schema:attendee <urn:o:two> , <urn:o:beaver-1> , <urn:o:beaver-2> .
  <urn:e9:2> a schema:Event ; bkg:reportingMunicipality m:rudnyansky ; schema:startDate "2025-02-10"^^xsd:date ;
      bkg:partnerPlace p:by-s-liozna ; bkg:involvesCountry c:BY ; schema:attendee <urn:o:two> , <urn:o:beaver-1> , <urn:o:beaver-2> .
}
"""

# The listing's order written as a sort at query time: by side and rank, then by the
# organisation (its first name, then its first type, then its IRI), then by its names and types.
BY_TEXT = """
PREFIX bkg: <https://w3id.org/borderkg/ontology#> PREFIX schema: <https://schema.org/>
SELECT ?side ?rank ?organisation ?type ?events WHERE {
  { SELECT ?org (MIN(STR(?name)) AS ?first) (MIN(COALESCE(STR(?anyType), "")) AS ?firstType)
    { ?org schema:name ?name OPTIONAL { ?org bkg:orgType ?anyType } } GROUP BY ?org }
  ?node a bkg:OrganisationRank ; bkg:rank ?rank ; bkg:rankOf ?org ; bkg:rankSide ?side ; bkg:belarusEventCount ?events .
  ?org schema:name ?organisation .
  OPTIONAL { ?org bkg:orgType ?orgType }
  BIND (COALESCE(STRAFTER(STR(?orgType), "/org-type/"), "") AS ?type)
} ORDER BY ?side ?rank ?first ?firstType STR(?org) ?organisation ?type
"""


def test_the_organisation_listing_orders_by_rank_then_organisation_then_name_and_type():
    from borderkg.query import load_query, run_query

    store = fixture(TIED)
    derive_layers(store)
    columns = ("side", "rank", "organisation", "type")
    listed = [tuple(s[v].value for v in columns)
              for s in run_query(store, load_query("top-organisations"), {"top": "10"})]
    assert listed == [tuple(s[v].value for v in columns)
                      for s in store.query(BY_TEXT, use_default_graph_as_union=True)]
    assert [row[2:] for row in listed if row[0] == "BY"] == [
        ("«Аист»", "library"), ("«Аист»", "school"), ("Ясли «Аист»", "library"), ("Ясли «Аист»", "school"),
        ("Бобр", "club"), ("Бобр", "museum"), ("ГУО «Лиозненская ДШИ»", "school_of_arts"),
        ("Оршанский райисполком", "executive_committee")]
    positions = sorted((s["side"].value, int(s["p"].value)) for s in store.query(
        "PREFIX bkg: <https://w3id.org/borderkg/ontology#> "
        "SELECT ?side ?p { ?n bkg:rankSide ?side ; bkg:rankPosition ?p }", use_default_graph_as_union=True))
    assert positions == [("BY", n) for n in range(1, 6)] + [("RU", 1), ("RU", 2)]


def test_no_document_graph_can_be_one_of_the_stores_own_graphs():
    # A document's graph is graph/ + its file name, which has a supported suffix (a dot); the
    # store's own graphs and the derived ones are named without a dot, so they never meet.
    from hypothesis import given
    from hypothesis import strategies as st

    from borderkg.derive import DOCUMENT_GRAPH_PREFIX as prefix
    from borderkg.derive import OWN_GRAPHS
    from borderkg.rdf import graph_iri
    from borderkg.read import SUFFIXES, is_supported

    assert all(g.startswith(prefix) and "." not in g[len(prefix):] for g in OWN_GRAPHS)

    @given(st.text(max_size=20), st.sampled_from(sorted(SUFFIXES)))
    def check(stem, suffix):
        name = stem + suffix
        if is_supported(name):
            segment = graph_iri(name).value[len(prefix):]
            assert "." in segment and "/" not in segment  # so neither an own graph nor inside one

    check()


def test_layers_computed_on_two_threads_are_those_computed_on_one():
    one, two = fixture(), fixture()
    derive_layers(one)
    derive_layers(two, threads=2)
    assert layers(two) == layers(one)
    for store, threads in ((one, 1), (two, 2)):  # and scoped, after a new document
        changes = DocumentChanges.begin(store)
        store.native.load(MORE.encode(), format=pyoxigraph.RdfFormat.TRIG)
        changes.add(R3, existed=False)
        derive_layers(store, changes, threads=threads)
    assert layers(two) == layers(one)


def test_a_layer_waits_for_the_layers_whose_output_it_reads():
    from borderkg.derive import LAYERS, layer_terms, waits_for

    by_name = {layer.query.stem: layer for layer in LAYERS}
    after = waits_for(LAYERS)
    assert by_name["partnerships"] in after[by_name["partnership-firsts"]]
    assert {by_name["activity"], by_name["tallies"]} <= after[by_name["organisation-ranks"]]
    assert by_name["organisation-ranks"] in after[by_name["organisation-listing"]]
    assert not after[by_name["partnerships"]]
    # The document layers are computed beside the others in any order: they read nothing
    # another layer writes, and no other layer reads what they write.
    for document_layer in DOCUMENT_LAYERS:
        writes, reads = layer_terms(document_layer.query.read_text(encoding="utf-8"))
        for layer in LAYERS:
            other_writes, other_reads = layer_terms(layer.query.read_text(encoding="utf-8"))
            assert not writes & other_reads and not reads & other_writes, (document_layer.query.name, layer.query.name)
