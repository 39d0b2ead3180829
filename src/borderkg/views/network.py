"""The partnership network: municipalities and Belarusian places as nodes, joint events as edges.

The graph is built with pyvis (the adapter ``_through_pyvis``); the page is our own template
around vis-network (taken from the pyvis package, served from ``static/``), because pyvis'
template loads Bootstrap from a CDN and puts names into the page unescaped. The page opens
in a force layout that is switched off once it has settled; a network of more than
``BIG_NETWORK`` nodes opens in the geographic layout, without physics and without labels
until the first zoom-in, so that 5,000 nodes and 20,000 edges are usable within seconds.
"""

from __future__ import annotations

import math
from borderkg.views.model import ViewData
from borderkg.views.page import TABLE_BOX, card_href, event_anchor, legend_html, page, short_name, view_controls
from borderkg.views.payload import RUSSIAN_SIDE, date_text, oblasts_payload

BIG_NETWORK = 1500  # nodes: above this, open in the geographic layout with physics off
GEO_SCALE = 220  # pixels per degree of latitude in the geographic layout
CENTRE = (54.3, 30.0)  # lat, lon the geographic layout is centred on


def geo_xy(lat: float | None, lon: float | None, key: str = "") -> tuple[float, float]:
    """Canvas coordinates of a point for the geographic layout (north up, x scaled by
    cos(latitude)); a place without coordinates gets a stable spot off the map's west side.

    >>> geo_xy(54.3, 30.0)
    (0.0, -0.0)
    >>> geo_xy(None, None, "a") == geo_xy(None, None, "a")
    True
    """
    if lat is None or lon is None:
        h = sum(map(ord, key)) % 360
        return (-9 * GEO_SCALE + 60 * math.cos(h), 60 * math.sin(h))
    x = (lon - CENTRE[1]) * math.cos(math.radians(CENTRE[0])) * GEO_SCALE
    return round(x, 1), round(-(lat - CENTRE[0]) * GEO_SCALE, 1)


def spread_colocated(nodes: list[dict], radius: float = 16.0) -> None:
    """Nodes at the same point (a town and its raion share the centre's coordinates) are set
    around it on a small circle, so the geographic layout shows each of them.

    >>> nodes = [{"gx": 0.0, "gy": 0.0}, {"gx": 0.0, "gy": 0.0}, {"gx": 5.0, "gy": 5.0}]
    >>> spread_colocated(nodes)
    >>> [(n["gx"], n["gy"]) for n in nodes]
    [(20.0, 0.0), (-20.0, 0.0), (5.0, 5.0)]
    """
    groups: dict[tuple[float, float], list[dict]] = {}
    for node in nodes:
        groups.setdefault((node["gx"], node["gy"]), []).append(node)
    for (x, y), group in groups.items():
        if len(group) < 2:
            continue
        r = radius + 2 * len(group)
        for k, node in enumerate(group):
            angle = 2 * math.pi * k / len(group)
            node["gx"], node["gy"] = round(x + r * math.cos(angle), 1), round(y + r * math.sin(angle), 1)


def network_payload(data: ViewData) -> dict:
    """Nodes, edges, events and filter values for network.js, compact enough for 20,000 edges.

    ``nodes``: dicts (``id`` "m:…" for municipalities, "p:…" for partners; ``count`` and
    ``partners``: joint events and partnerships from the activity layer, unfiltered); ``edges``: lists
    ``[from node index, to node index, [event indices], flags, twin years, [[year, events], …]]``
    with flags 1 = twin link, 2 = agreement, 4 = gone quiet, and the joint events per year
    (``partnership-dynamics``; year "" for undated); ``events``: one list per field (``doc`` indexes ``docs``,
    ``anchor`` is the event's id on its municipality's card).
    """
    partnerships = data.partnerships
    nodes = []
    for m in data.municipalities.values():
        gx, gy = geo_xy(m.lat, m.lon, m.id)
        nodes.append({"id": f"m:{m.id}", "label": short_name(m.name), "name": m.name, "side": "ru",
                      "oblast": "", "count": m.figures.joint_events, "partners": m.figures.partners,
                      "gx": gx, "gy": gy, "card": card_href(m.id)})
    used = {p.place for p in partnerships}
    for place in data.places.values():
        if place.id in used:
            gx, gy = geo_xy(place.lat, place.lon, place.id)
            nodes.append({"id": f"p:{place.id}", "label": place.name, "side": "by", "oblast": place.oblast,
                          "count": place.joint_events, "partners": place.partners, "gx": gx, "gy": gy})
    spread_colocated(nodes)
    position = {n["id"]: i for i, n in enumerate(nodes)}
    event_index = {e.id: i for i, e in enumerate(data.events)}
    edges = [[position[f"m:{p.municipality}"], position[f"p:{p.place}"],
              [event_index[e.id] for e in p.events],
              (1 if p.twinned else 0) | (2 if p.agreements else 0) | (4 if p.quiet_since else 0),
              _twin_years(data, p), [[year, n] for year, n in p.per_year.items()]]
             for p in partnerships if f"m:{p.municipality}" in position and f"p:{p.place}" in position]
    nodes = _through_pyvis(nodes, edges)
    return {"nodes": nodes, "edges": edges, "events": _events_columns(data), "docs": _docs(data),
            "categories": data.categories(), "hasCategories": any(e.categories for e in data.events),
            "years": data.years(), "oblasts": oblasts_payload(data),
            "big": len(nodes) > BIG_NETWORK, "russianColour": RUSSIAN_SIDE}


def _twin_years(data: ViewData, partnership) -> list[int]:
    """The years the twin links of a twinned partnership were stated (its partner or a
    place in it), for the year filter."""
    if not partnership.twinned:
        return []
    inside = {partnership.place, *partnership.named_places}
    return sorted({int(t.stated_on[:4]) for t in data.twins if t.municipality == partnership.municipality
                   and (t.place in inside or (t.place in data.places and data.places[t.place].raion == partnership.place))
                   and t.stated_on})


def _docs(data: ViewData) -> list[str]:
    return sorted({e.source.document for e in data.events})


def _events_columns(data: ViewData) -> dict[str, list]:
    categories = {label: i for i, label in enumerate(data.categories())}
    docs = {d: i for i, d in enumerate(_docs(data))}
    columns: dict[str, list] = {k: [] for k in ("name", "date", "year", "cats", "doc", "row", "anchor")}
    for event in data.events:
        columns["name"].append(event.name)
        columns["date"].append(date_text(event.start, event.end))
        columns["year"].append(event.year)
        columns["cats"].append([categories[c] for c in event.category_labels])
        columns["doc"].append(docs[event.source.document])
        columns["row"].append(event.source.row)
        columns["anchor"].append(event_anchor(event.id))
    return columns


NODE_KEYS = ("id", "label", "name", "side", "oblast", "count", "partners", "gx", "gy", "card")


def _through_pyvis(nodes: list[dict], edges: list[list]) -> list[dict]:
    """Adapter: build the graph with pyvis and hand back its nodes (our keys only).

    Edges are made with ``pyvis.edge.Edge`` directly: ``Network.add_edge`` scans every edge
    for a duplicate (quadratic), and ours are unique by construction. The page takes the
    edges in our compact form, as pyvis' dicts are ten times larger.
    """
    from pyvis.edge import Edge
    from pyvis.network import Network

    net = Network(directed=False, cdn_resources="in_line")
    for node in nodes:
        net.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
    net.edges.extend(Edge(nodes[e[0]]["id"], nodes[e[1]]["id"]).options for e in edges)
    if len(net.edges) != len(edges) or len(net.nodes) != len(nodes):
        raise ValueError(f"pyvis kept {len(net.nodes)} nodes and {len(net.edges)} edges "
                         f"of {len(nodes)} and {len(edges)}")
    return [{k: n[k] for k in NODE_KEYS if k in n} for n in net.nodes]


def render_network(data: ViewData) -> str:
    """The network page: filters, the graph with its legend and side panel, the table of what it shows."""
    payload = network_payload(data)
    layout = """<span class="layout">Раскладка:
    <label><input type="radio" name="layout" value="force" id="l-force"> силовая</label>
    <label><input type="radio" name="layout" value="geo" id="l-geo"> по координатам</label></span>
  <label><input type="checkbox" id="f-isolated"> муниципалитеты без связей</label>"""
    body = f"""
{view_controls(layout)}
<div class="network-wrap">
  <div id="network" class="network"></div>
  <aside class="side">
    <h2>Обозначения</h2>
    {legend_html(payload["oblasts"], municipality="square")}
    <p class="lead">Кто с кем работает: муниципалитеты Смоленской области (квадраты) и их партнёры
    в Беларуси (круги, цвет — область); размер — число совместных мероприятий. Наведите курсор,
    чтобы увидеть события; щёлкните, чтобы открыть список с источниками.</p>
    <h2 id="detail-title">Подробности</h2>
    <div id="detail" class="detail"><p>Щёлкните по узлу или связи.</p></div>
  </aside>
</div>
{TABLE_BOX}
<p class="note screen">Карточки всех муниципалитетов — на <a href="index.html#cards">странице обзора</a>.</p>"""
    return page("Сеть партнёрств", body, scripts=("vis-network.min.js", "network.js"),
                data=payload, current="network.html", data_date=data.data_date())
