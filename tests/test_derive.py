"""Derived layers written by difference end as they would computed from scratch."""

from __future__ import annotations

import pyoxigraph

from borderkg.derive import DERIVED_GRAPHS, derive_layers
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


def layers(store) -> dict[str, set[str]]:
    return {graph: {str(t) for t in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")}
            for graph in DERIVED_GRAPHS}


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
    store.remove_graph("https://w3id.org/borderkg/id/graph/document/r3.txt")
    derive_layers(store)
    assert layers(store) == before
