"""The partnership map: arcs from each Smolensk municipality to its Belarusian partners
over the outlines of the Belarusian raions (Leaflet, no tiles: it works offline)."""

from __future__ import annotations

import json
from pathlib import Path

from borderkg import paths
from borderkg.views.model import ViewData
from borderkg.views.page import card_href, page, short_name
from borderkg.views.payload import RUSSIAN_SIDE, events_payload, oblasts_payload

RAION_OUTLINES = paths.GAZETTEER / "raion_outlines.geojson"


def raion_outlines(path: Path = RAION_OUTLINES) -> list[dict]:
    """The simplified raion outlines shipped beside the gazetteer (GeoJSON features with id
    and name; ``python -m borderkg.views.outlines`` makes them from the full polygons, so
    no geometry library runs here); an absent file gives no outlines."""
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("features", [])


def map_payload(data: ViewData, raions: list[dict]) -> dict:
    """Municipalities, partner places, arcs, events and raion outlines for map.js."""
    events, index = events_payload(data)
    partnerships = data.partnerships
    oblasts = oblasts_payload(data)
    colour = {o["id"]: o["colour"] for o in oblasts}
    municipalities = [{"id": m.id, "name": m.name, "label": short_name(m.name), "lat": m.lat,
                       "lon": m.lon, "count": m.figures.events, "joint": m.figures.joint_events,
                       "card": card_href(m.id)}
                      for m in data.municipalities.values() if m.lat is not None]
    used = {p.place for p in partnerships}
    places = [{"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "count": p.joint_events,
               "oblast": data.oblast_label(p.oblast), "colour": colour.get(p.oblast, "#7f7f7f")}
              for p in data.places.values() if p.id in used and p.lat is not None]
    located = {m["id"] for m in municipalities}, {p["id"] for p in places}
    arcs = [{"from": p.municipality, "to": p.place, "events": [index[e.id] for e in p.events],
             "twin": p.twinned, "agreement": bool(p.agreements)}
            for p in partnerships if p.municipality in located[0] and p.place in located[1]]
    per_raion = {p.id: p.joint_events for p in data.places.values() if p.kind == "raion"}
    for raion in raions:
        raion["properties"]["count"] = per_raion.get(raion["properties"]["id"], 0)
    return {"municipalities": municipalities, "places": places, "arcs": arcs, "events": events,
            "raions": raions, "years": data.years(), "oblasts": oblasts, "russianColour": RUSSIAN_SIDE,
            "unplaced": len(partnerships) - len(arcs)}


def render_map(data: ViewData, raions: list[dict] | None = None) -> str:
    """The map page."""
    payload = map_payload(data, raion_outlines() if raions is None else raions)
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
