"""The partnership map: arcs from each Smolensk municipality to its Belarusian partners
over the outlines of the Belarusian raions (Leaflet, no tiles: it works offline)."""

from __future__ import annotations

import json
from pathlib import Path

from borderkg import paths
from borderkg.views.model import ViewData
from borderkg.views.page import TABLE_BOX, card_href, legend_html, map_label, page, view_controls
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
    municipalities = [{"id": m.id, "name": m.name, "label": map_label(m.name), "lat": m.lat,
                       "lon": m.lon, "count": m.figures.events, "joint": m.figures.joint_events,
                       "card": card_href(m.id)}
                      for m in data.municipalities.values() if m.lat is not None]
    used = {p.place for p in partnerships}
    places = [{"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "count": p.joint_events,
               "oblast": data.oblast_label(p.oblast), "oblastId": p.oblast, "colour": colour.get(p.oblast, "#7f7f7f")}
              for p in data.places.values() if p.id in used and p.lat is not None]
    located = {m["id"] for m in municipalities}, {p["id"] for p in places}
    arcs = [{"from": p.municipality, "to": p.place, "events": [index[e.id] for e in p.events],
             "twin": p.twinned, "agreement": bool(p.agreements), "quiet": p.quiet_since is not None}
            for p in partnerships if p.municipality in located[0] and p.place in located[1]]
    per_raion = {p.id: p.joint_events for p in data.places.values() if p.kind == "raion"}
    for raion in raions:
        raion["properties"]["count"] = per_raion.get(raion["properties"]["id"], 0)
    return {"municipalities": municipalities, "places": places, "arcs": arcs, "events": events,
            "raions": raions, "years": data.years(), "oblasts": oblasts, "russianColour": RUSSIAN_SIDE,
            "categories": data.categories(), "hasCategories": any(e.categories for e in data.events),
            "unplaced": len(partnerships) - len(arcs)}


def render_map(data: ViewData, raions: list[dict] | None = None) -> str:
    """The map page: filters, the map with its legend beside it, the table of what it shows."""
    payload = map_payload(data, raion_outlines() if raions is None else raions)
    body = f"""
{view_controls()}
<div class="view-wrap">
  <div id="map" class="map"></div>
  <aside class="side">
    <h2>Обозначения</h2>
    {legend_html(payload["oblasts"], municipality="circle", areas=True)}
    <p class="lead">Дуги ведут от муниципалитетов Смоленской области (красные круги) к партнёрам
    в Беларуси; толщина — число совместных мероприятий. Районы Беларуси закрашены по числу
    совместных мероприятий. Щёлкните по дуге или кругу, чтобы увидеть мероприятия и источники;
    подпись, которой не хватило места, видна при наведении и при увеличении.</p>
  </aside>
</div>
{TABLE_BOX}"""
    return page("Карта партнёрств", body, scripts=("leaflet.js", "map.js"), styles=("leaflet.css",),
                data=payload, current="map.html", data_date=data.data_date())

