"""The partnership map: arcs from each Smolensk municipality to its Belarusian partners
over the outlines of the Belarusian raions (Leaflet, no tiles: it works offline)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from borderkg import paths
from borderkg.views.model import ViewData
from borderkg.views.page import card_href, page, short_name
from borderkg.views.payload import RUSSIAN_SIDE, events_payload, oblasts_payload

RAION_POLYGONS = paths.GAZETTEER / "raion_polygons.geojson"
TOLERANCE = 0.01  # degrees (about 1 km): the outlines shrink from 850 KB to a few dozen


def simplified_raions(path: Path = RAION_POLYGONS, tolerance: float = TOLERANCE) -> list[dict]:
    """The raion outlines as GeoJSON features with id and name, simplified and rounded to
    three decimals; an absent file gives no outlines."""
    if not path.exists():
        return []
    from shapely.geometry import mapping, shape

    features = []
    for feature in json.loads(path.read_text(encoding="utf-8")).get("features", []):
        geometry = shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
        if geometry.is_empty:
            continue
        props = feature.get("properties", {})
        features.append({"type": "Feature", "geometry": _rounded(mapping(geometry)),
                         "properties": {"id": props.get("id", ""), "name": props.get("name_ru", "")}})
    return features


def _rounded(geometry: dict) -> dict:
    """
    >>> _rounded({"type": "Point", "coordinates": (30.123456, 54.987654)})
    {'type': 'Point', 'coordinates': [30.123, 54.988]}
    """
    def walk(value):
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
            return [round(v, 3) for v in value]
        return [walk(v) for v in value]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def map_payload(data: ViewData, raions: list[dict]) -> dict:
    """Municipalities, partner places, arcs, events and raion outlines for map.js."""
    events, index = events_payload(data)
    partnerships = data.partnerships()
    oblasts = oblasts_payload(data)
    colour = {o["id"]: o["colour"] for o in oblasts}
    per_muni: Counter[str] = Counter()
    per_place: Counter[str] = Counter()
    per_raion: Counter[str] = Counter()
    for event in data.events:
        if event.municipality:
            per_muni[event.municipality] += 1
        for raion in {data.places[p].raion for p in event.partners if p in data.places}:
            per_raion[raion] += 1
    for p in partnerships:
        per_place[p.place] += len(p.events)
    municipalities = [{"id": m.id, "name": m.name, "label": short_name(m.name), "lat": m.lat,
                       "lon": m.lon, "count": per_muni[m.id], "card": card_href(m.id)}
                      for m in data.municipalities.values() if m.lat is not None]
    used = {p.place for p in partnerships}
    places = [{"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "count": per_place[p.id],
               "oblast": data.oblast_label(p.oblast), "colour": colour.get(p.oblast, "#7f7f7f")}
              for p in data.places.values() if p.id in used and p.lat is not None]
    located = {m["id"] for m in municipalities}, {p["id"] for p in places}
    arcs = [{"from": p.municipality, "to": p.place, "events": [index[e.id] for e in p.events],
             "twin": bool(p.twins), "agreement": bool(p.agreements)}
            for p in partnerships if p.municipality in located[0] and p.place in located[1]]
    for raion in raions:
        raion["properties"]["count"] = per_raion.get(raion["properties"]["id"], 0)
    return {"municipalities": municipalities, "places": places, "arcs": arcs, "events": events,
            "raions": raions, "years": data.years(), "oblasts": oblasts, "russianColour": RUSSIAN_SIDE,
            "unplaced": len(partnerships) - len(arcs)}


def render_map(data: ViewData, raions: list[dict] | None = None) -> str:
    """The map page."""
    payload = map_payload(data, simplified_raions() if raions is None else raions)
    body = """
<p class="lead">Дуги ведут от муниципалитетов Смоленской области (красные круги) к партнёрам
в Беларуси; толщина дуги — число совместных мероприятий, зелёная — побратимы, пунктир —
соглашение. Районы Беларуси закрашены по числу мероприятий с их участием. Щёлкните по дуге или
кругу, чтобы увидеть мероприятия и их источники.</p>
<form class="filters" onsubmit="return false">
  <label>Год <select id="f-year"><option value="">все</option></select></label>
  <span id="stats" class="stats"></span>
</form>
<div id="map" class="map"></div>"""
    return page("Карта партнёрств", body, scripts=("leaflet.js", "map.js"), styles=("leaflet.css",),
                data=payload, current="map.html")
