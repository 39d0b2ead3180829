"""Read everything the views need from the store, into ``model`` dataclasses.

The SELECTs are the files of ``queries/views/`` (``borderkg.figures``), run over the union of
all named graphs. Partnerships and the figures of municipalities and partners are read from
the derived layers, never recounted here. Only the events of Smolensk municipalities are
kept (an event with no reporting municipality comes from a document with no Smolensk
content). Categories (``bkg:category`` → ``skos:Concept`` with ``skos:prefLabel@ru``) are
optional: without them every event is "без категории".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from borderkg import figures as q
from borderkg.figures import select
from borderkg.vocab import ID
from borderkg.views.model import (Agreement, Event, Figures, Municipality, NameInTime, Organisation, Partnership,
                                  Place, Source, TwinLink, ViewData)

FIELD_LABELS = {
    "nameText": "Наименование", "placeText": "Место проведения", "datesText": "Сроки",
    "contentText": "Цель, содержание и результат", "participantsText": "Участники",
}

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


def load_view_data(store) -> ViewData:
    """Municipalities, partner places, events, twin links and agreements from ``store``."""
    municipalities = _municipalities(store)
    oblast_names = {local_id(r["o"], "place"): r["name"] for r in select(store, q.OBLASTS)}
    places = _places(store)
    events = _events(store)
    twins = [TwinLink(local_id(r["m"], "municipality"), local_id(r["p"], "place"), r.get("on"),
                      Source(r.get("doc", "?"), int(r.get("n", 0))))
             for r in select(store, q.TWIN_LINKS)]
    twins.sort(key=lambda t: (t.municipality, t.place, t.stated_on or ""))
    partnerships = _partnerships(store, {e.id: e for e in events})
    _attach_dynamics(store, partnerships)
    return ViewData(municipalities, places, events, twins, oblast_names, partnerships, q.totals(store))


def _attach_dynamics(store, partnerships: list[Partnership]) -> None:
    """Joint events per year and the «gone quiet» mark of each pair, from the saved queries
    ``partnership-dynamics`` and ``quiet-partnerships`` (their one definition)."""
    by_key = {f"{p.municipality}/{p.place}": p for p in partnerships}
    for r in select(store, q.DYNAMICS):
        pair = by_key.get(local_id(r["partnership"], "partnership"))
        if pair is not None:
            pair.per_year[r.get("year", "")] = int(r["events"])
    for r in select(store, q.QUIET):
        pair = by_key.get(local_id(r["partnership"], "partnership"))
        if pair is not None:
            pair.quiet_since = r["window_from"]
    for pair in partnerships:
        pair.per_year = dict(sorted(pair.per_year.items(), key=lambda kv: kv[0] or "9999"))


def _partnerships(store, events: dict[str, Event]) -> list[Partnership]:
    """The pairs of the partnerships layer with their events and named places, sorted by
    municipality, then by joint events (most first)."""
    pairs: dict[tuple[str, str], Partnership] = {}
    for r in select(store, q.PARTNERSHIPS):
        key = local_id(r["m"], "municipality"), local_id(r["unit"], "place")
        pair = pairs.setdefault(key, Partnership(*key, int(r["joint"]), r.get("first"), r.get("last"),
                                                 r.get("twinned") == "true", int(r.get("agreements", 0))))
        event = events.get(local_id(r["e"], "event"))
        if event is not None and event not in pair.events:
            pair.events.append(event)
        place = local_id(r["place"], "place") if "place" in r else None
        if place and place not in pair.named_places:
            pair.named_places.append(place)
    for pair in pairs.values():
        pair.events.sort(key=_event_order)
        pair.named_places.sort()
    return sorted(pairs.values(), key=lambda p: (p.municipality, -p.joint_events, p.place))


def _event_order(event: Event) -> tuple:
    return event.start or "9999", event.source.document, event.source.row


def _municipalities(store) -> dict[str, Municipality]:
    out: dict[str, Municipality] = {}
    for r in select(store, q.MUNICIPALITIES):
        key = local_id(r["m"], "municipality")
        if key not in out or (out[key].lat is None and "wkt" in r):
            numbers = Figures(*(int(r.get(k, 0)) for k in ("events", "with_belarus", "joint", "partners", "twins",
                                                           "agreements")))
            out[key] = Municipality(key, r.get("name", key), *parse_point(r.get("wkt")), numbers)
    names: dict[str, set] = defaultdict(set)
    for r in select(store, q.NAMES):
        names[local_id(r["m"], "municipality")].add(NameInTime(r["value"], r.get("from"), r.get("until")))
    orgs: dict[str, list] = defaultdict(list)
    for r in select(store, q.ORGANISATIONS):
        orgs[local_id(r["m"], "municipality")].append(
            Organisation(r["name"], r.get("country", "").rsplit("/", 1)[-1] if r.get("country") else "", int(r["events"])))
    for key, m in out.items():
        found = sorted(names.get(key, ()), key=lambda n: (n.valid_from or "", n.valid_until or "9999", n.value))
        people = sorted({o.name: o for o in orgs.get(key, ())}.values(), key=lambda o: (-o.events, o.name))
        out[key] = replace(m, names=tuple(found), organisations=tuple(people))
    return dict(sorted(out.items(), key=lambda kv: kv[1].name))


def _places(store) -> dict[str, Place]:
    kinds = {"Raion": "raion", "Oblast": "oblast", "Capital": "capital", "Settlement": "settlement",
             "CityDistrict": "city_district"}
    out: dict[str, Place] = {}
    for r in select(store, q.PLACES):
        key = local_id(r["p"], "place")
        kind = kinds.get(r.get("cls", "").rsplit("#", 1)[-1], "settlement")
        oblast = key if kind in ("oblast", "capital") else local_id(r.get("o1") or r.get("o2") or "", "place")
        lat, lon = parse_point(r.get("wkt") or r.get("rwkt"))
        raion = key if kind == "raion" else local_id(r.get("raion", ""), "place")
        place = Place(key, r.get("name", key), kind, oblast, raion, lat, lon, int(r.get("joint", 0)),
                      int(r.get("partners", 0)))
        if key not in out or (out[key].lat is None and lat is not None):
            out[key] = place
    return out


def _events(store) -> list[Event]:
    events: dict[str, Event] = {}
    for r in select(store, q.EVENTS):
        key = local_id(r["e"], "event")
        if key in events or "m" not in r:
            continue
        events[key] = Event(key, r.get("name", key), Source(r.get("doc", "?"), int(r.get("n", 0))),
                            r.get("start"), r.get("end"),
                            local_id(r["m"], "municipality"))
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    for r in select(store, q.ROW_TEXTS):
        field = r["p"].rsplit("#", 1)[-1]
        texts[local_id(r["e"], "event")].setdefault(FIELD_LABELS.get(field, field), r["text"])
    for key, event in events.items():
        if key in texts:
            order = list(FIELD_LABELS.values())
            items = sorted(texts[key].items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
            event.source = Source(event.source.document, event.source.row, tuple(items))
    for r in select(store, q.EVENT_PARTNERS):
        event = events.get(local_id(r["e"], "event"))
        place = local_id(r["p"], "place")
        if event is not None and place not in event.partners:
            event.partners.append(place)
    for r in select(store, q.EVENT_CATEGORIES):
        event = events.get(local_id(r["e"], "event"))
        label = r.get("label") or r["c"].rstrip("/").rsplit("/", 1)[-1]
        if event is not None and label not in event.categories:
            event.categories.append(label)
    _attach_agreements(store, events)
    for event in events.values():
        event.partners.sort()
        event.categories.sort()
    return sorted(events.values(), key=_event_order)


def _attach_agreements(store, events: dict[str, Event]) -> None:
    found: dict[tuple[str, str], dict] = {}
    for r in select(store, q.AGREEMENTS):
        entry = found.setdefault((local_id(r["e"], "event"), r["a"]), {
            "kind": r.get("kind", "agreement"), "parties": [],
            "source": Source(r.get("doc", "?"), int(r.get("n", 0)))})
        if r.get("party") and r["party"] not in entry["parties"]:
            entry["parties"].append(r["party"])
    for (event_id, _), entry in sorted(found.items()):
        if event_id in events:
            events[event_id].agreements.append(
                Agreement(entry["kind"], tuple(entry["parties"]), entry["source"]))
