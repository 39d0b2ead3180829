"""Read everything the views need from the store with SPARQL, into ``model`` dataclasses.

The store is queried with the union of all named graphs as the default graph. Categories
(``bkg:category`` → ``skos:Concept`` with ``skos:prefLabel@ru``) are optional: without them
every event is "без категории".
"""

from __future__ import annotations

from collections import defaultdict

from borderkg.vocab import ID, sparql_prefixes
from borderkg.views.model import Agreement, Event, Municipality, Place, Source, TwinLink, ViewData

FIELD_LABELS = {
    "nameText": "Наименование", "placeText": "Место проведения", "datesText": "Сроки",
    "contentText": "Цель, содержание и результат", "participantsText": "Участники",
}

MUNICIPALITIES = """
SELECT ?m ?name ?wkt WHERE {
  ?m a bkg:Municipality .
  OPTIONAL { ?m schema:name ?name }
  OPTIONAL { ?m geo:hasGeometry/geo:asWKT ?wkt }
}"""

PLACES = """
SELECT ?p ?cls ?name ?raion ?o1 ?o2 ?wkt ?rwkt WHERE {
  { SELECT DISTINCT ?p WHERE { { ?e bkg:partnerPlace ?p } UNION { ?t bkg:belarusianSide ?p } } }
  OPTIONAL { ?p a ?cls
             FILTER(?cls IN (bkg:Raion, bkg:Oblast, bkg:Capital, bkg:Settlement, bkg:CityDistrict)) }
  OPTIONAL { ?p schema:name ?name }
  OPTIONAL { ?p bkg:inRaion ?raion }
  OPTIONAL { ?p bkg:inOblast ?o1 }
  OPTIONAL { ?p bkg:inRaion/bkg:inOblast ?o2 }
  OPTIONAL { ?p geo:hasGeometry/geo:asWKT ?wkt }
  OPTIONAL { ?p bkg:inRaion/geo:hasGeometry/geo:asWKT ?rwkt }
}"""

OBLASTS = """
SELECT ?o ?name WHERE { ?o a ?cls ; schema:name ?name FILTER(?cls IN (bkg:Oblast, bkg:Capital)) }"""

EVENTS = """
SELECT ?e ?name ?doc ?n ?m ?start ?end WHERE {
  ?e a schema:Event .
  OPTIONAL { ?e schema:name ?name }
  OPTIONAL { ?e prov:wasDerivedFrom ?row . ?row bkg:rowNumber ?n ; dct:isPartOf/dct:identifier ?doc }
  OPTIONAL { ?e bkg:reportingMunicipality ?m }
  OPTIONAL { ?e schema:startDate ?start }
  OPTIONAL { ?e schema:endDate ?end }
}"""

ROW_TEXTS = """
SELECT ?e ?p ?text WHERE {
  ?e a schema:Event ; prov:wasDerivedFrom ?row . ?row ?p ?text .
  FILTER(?p IN (bkg:nameText, bkg:placeText, bkg:datesText, bkg:contentText, bkg:participantsText))
}"""

PARTNERS = "SELECT ?e ?p WHERE { ?e a schema:Event ; bkg:partnerPlace ?p }"

CATEGORIES = """
SELECT ?e ?c ?label WHERE {
  ?e a schema:Event ; bkg:category ?c .
  OPTIONAL { ?c skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "ru")) }
}"""

AGREEMENTS = """
SELECT ?e ?a ?kind ?party ?doc ?n WHERE {
  ?e bkg:agreement ?a .
  OPTIONAL { ?a bkg:agreementKind ?kind }
  OPTIONAL { ?a bkg:partyName ?party }
  OPTIONAL { ?a prov:wasDerivedFrom ?row . ?row bkg:rowNumber ?n ; dct:isPartOf/dct:identifier ?doc }
}"""

TWINS = """
SELECT ?t ?m ?p ?on ?doc ?n WHERE {
  ?t a bkg:TwinLink ; bkg:russianSide ?m ; bkg:belarusianSide ?p .
  OPTIONAL { ?t bkg:statedOn ?on }
  OPTIONAL { ?t prov:wasDerivedFrom ?row . ?row bkg:rowNumber ?n ; dct:isPartOf/dct:identifier ?doc }
}"""


def local_id(iri: str, kind: str) -> str:
    """The id part of one of borderkg's IRIs (any other IRI is kept whole).

    >>> local_id("https://w3id.org/borderkg/id/place/by-s-orsha", "place")
    'by-s-orsha'
    >>> local_id("https://w3id.org/borderkg/id/event/001.txt/32", "event")
    '001.txt/32'
    """
    prefix = f"{ID}{kind}/"
    return iri[len(prefix):] if iri.startswith(prefix) else iri


def parse_point(wkt: str | None) -> tuple[float | None, float | None]:
    """(lat, lon) of a WKT point, or (None, None).

    >>> parse_point("POINT(30.40365 54.51362)")
    (54.51362, 30.40365)
    >>> parse_point("LINESTRING(0 0, 1 1)")
    (None, None)
    """
    if not wkt or not wkt.strip().upper().startswith("POINT"):
        return None, None
    try:
        lon, lat = (float(v) for v in wkt[wkt.index("(") + 1:wkt.rindex(")")].split()[:2])
    except ValueError:
        return None, None
    return lat, lon


def _rows(store, query: str):
    """Rows of a SELECT as dicts of plain strings (unbound variables are absent)."""
    result = store.query(sparql_prefixes() + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    for solution in result:
        yield {n: solution[n].value for n in names if solution[n] is not None}


def load_view_data(store) -> ViewData:
    """Municipalities, partner places, events, twin links and agreements from ``store``."""
    municipalities = _municipalities(store)
    oblast_names = {local_id(r["o"], "place"): r["name"] for r in _rows(store, OBLASTS)}
    places = _places(store)
    events = _events(store)
    twins = [TwinLink(local_id(r["m"], "municipality"), local_id(r["p"], "place"), r.get("on"),
                      Source(r.get("doc", "?"), int(r.get("n", 0))))
             for r in _rows(store, TWINS)]
    twins.sort(key=lambda t: (t.municipality, t.place, t.stated_on or ""))
    return ViewData(municipalities, places, events, twins, oblast_names)


def _municipalities(store) -> dict[str, Municipality]:
    out: dict[str, Municipality] = {}
    for r in _rows(store, MUNICIPALITIES):
        key = local_id(r["m"], "municipality")
        if key not in out or (out[key].lat is None and "wkt" in r):
            out[key] = Municipality(key, r.get("name", key), *parse_point(r.get("wkt")))
    return dict(sorted(out.items(), key=lambda kv: kv[1].name))


def _places(store) -> dict[str, Place]:
    kinds = {"Raion": "raion", "Oblast": "oblast", "Capital": "capital", "Settlement": "settlement",
             "CityDistrict": "city_district"}
    out: dict[str, Place] = {}
    for r in _rows(store, PLACES):
        key = local_id(r["p"], "place")
        kind = kinds.get(r.get("cls", "").rsplit("#", 1)[-1], "settlement")
        oblast = key if kind in ("oblast", "capital") else local_id(r.get("o1") or r.get("o2") or "", "place")
        lat, lon = parse_point(r.get("wkt") or r.get("rwkt"))
        raion = key if kind == "raion" else local_id(r.get("raion", ""), "place")
        place = Place(key, r.get("name", key), kind, oblast, raion, lat, lon)
        if key not in out or (out[key].lat is None and lat is not None):
            out[key] = place
    return out


def _events(store) -> list[Event]:
    events: dict[str, Event] = {}
    for r in _rows(store, EVENTS):
        key = local_id(r["e"], "event")
        if key in events:
            continue
        events[key] = Event(key, r.get("name", key), Source(r.get("doc", "?"), int(r.get("n", 0))),
                            r.get("start"), r.get("end"),
                            local_id(r["m"], "municipality") if "m" in r else None)
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    for r in _rows(store, ROW_TEXTS):
        field = r["p"].rsplit("#", 1)[-1]
        texts[local_id(r["e"], "event")].setdefault(FIELD_LABELS.get(field, field), r["text"])
    for key, event in events.items():
        if key in texts:
            order = list(FIELD_LABELS.values())
            items = sorted(texts[key].items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
            event.source = Source(event.source.document, event.source.row, tuple(items))
    for r in _rows(store, PARTNERS):
        event = events.get(local_id(r["e"], "event"))
        place = local_id(r["p"], "place")
        if event is not None and place not in event.partners:
            event.partners.append(place)
    for r in _rows(store, CATEGORIES):
        event = events.get(local_id(r["e"], "event"))
        label = r.get("label") or r["c"].rstrip("/").rsplit("/", 1)[-1]
        if event is not None and label not in event.categories:
            event.categories.append(label)
    _attach_agreements(store, events)
    for event in events.values():
        event.partners.sort()
        event.categories.sort()
    return sorted(events.values(), key=lambda e: (e.start or "9999", e.source.document, e.source.row))


def _attach_agreements(store, events: dict[str, Event]) -> None:
    found: dict[tuple[str, str], dict] = {}
    for r in _rows(store, AGREEMENTS):
        entry = found.setdefault((local_id(r["e"], "event"), r["a"]), {
            "kind": r.get("kind", "agreement"), "parties": [],
            "source": Source(r.get("doc", "?"), int(r.get("n", 0)))})
        if r.get("party") and r["party"] not in entry["parties"]:
            entry["parties"].append(r["party"])
    for (event_id, _), entry in sorted(found.items()):
        if event_id in events:
            events[event_id].agreements.append(
                Agreement(entry["kind"], tuple(entry["parties"]), entry["source"]))
