"""Exports of the store for other tools: RDF files, a partnership network, spreadsheet tables.

* RDF — ``turtle`` and ``ntriples`` hold the union of all graphs (one graph: the formats have
  no named graphs); ``trig`` and ``nquads`` keep every named graph (one per source document,
  the gazetteer, derived layers); ``jsonld`` keeps them too, compacted with the context
  ``ontology/context.jsonld`` (written by rdflib; the others by pyoxigraph's serialisers).
* Network — ``gexf`` (GEXF 1.3, dynamic: spells per joint event, for Gephi's timeline) and
  ``graphml``: Smolensk municipalities and the Belarusian places named as their partners,
  joined by an edge per partnership (the derived layer the views show too).
* ``csv`` — five tables (events, partner links, partnerships, their dynamics, organisations;
  ``borderkg.tables``): comma-separated UTF-8 with a byte order mark, Russian headings and
  labels, which pandas and LibreOffice read with their defaults; ``xlsx`` — the same tables
  as the sheets of one workbook, dates as dates, filters and a frozen header.
"""

from __future__ import annotations

import calendar
import json
from datetime import date
from pathlib import Path
from typing import BinaryIO

from borderkg.errors import BorderkgError
from borderkg.paths import ONTOLOGY
from borderkg.tables import (CSV_DELIMITER, CSV_ENCODING, Table, csv_tables, read_table, write_csv_tables,  # noqa: F401
                             write_table, write_xlsx)
from borderkg.vocab import PREFIXES, XSD

JSONLD_CONTEXT = ONTOLOGY / "context.jsonld"
GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
RDF_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "trig": "TRIG", "nquads": "N_QUADS"}
FORMATS = {**{name: "rdf" for name in RDF_FORMATS}, "jsonld": "rdf", "gexf": "network",
           "graphml": "network", "csv": "tables", "xlsx": "tables"}
SUFFIXES = {"turtle": ".ttl", "ntriples": ".nt", "trig": ".trig", "nquads": ".nq",
            "jsonld": ".jsonld", "gexf": ".gexf", "graphml": ".graphml", "csv": "", "xlsx": ".xlsx"}


class ExportError(BorderkgError):
    """An export cannot be written: unknown format, or a missing output folder for CSV."""


def export(store, fmt: str, output: BinaryIO | Path) -> None:
    """Write the store in ``fmt`` to a binary stream, or for ``csv`` into a folder."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt == "csv":
        if not isinstance(output, Path):
            raise ExportError("the csv export writes five files: give a folder with --out")
        write_csv_tables(store, output)
    elif fmt == "xlsx":
        write_xlsx(store, output)
    elif fmt in RDF_FORMATS:
        write_rdf(store, fmt, output)
    elif fmt == "jsonld":
        write_jsonld(store, output)
    elif fmt == "gexf":
        write_gexf(partnership_network(store), output)
    else:
        write_graphml(partnership_network(store), output)


# --- RDF ---------------------------------------------------------------------------------

def write_rdf(store, fmt: str, output: BinaryIO) -> None:
    """Turtle or N-Triples of the union of all graphs, or TriG or N-Quads of the dataset."""
    import pyoxigraph

    rdf_format = getattr(pyoxigraph.RdfFormat, RDF_FORMATS[fmt])
    if rdf_format.supports_datasets:
        store.dump(output, rdf_format, prefixes=PREFIXES if fmt == "trig" else None)
        return
    # The same triple may sit in several graphs (an organisation named in two documents).
    triples = sorted({pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store.quads()}, key=str)
    pyoxigraph.serialize(triples, output, rdf_format, prefixes=PREFIXES if fmt == "turtle" else None)


def rdflib_term(term):
    """A pyoxigraph term as the rdflib term it denotes (a plain string stays plain).

    >>> import pyoxigraph
    >>> rdflib_term(pyoxigraph.Literal("Рудня", language="ru"))
    rdflib.term.Literal('Рудня', lang='ru')
    >>> rdflib_term(pyoxigraph.Literal("x"))
    rdflib.term.Literal('x')
    """
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def rdflib_dataset(store):
    """The store as an rdflib ``Dataset``, graph by graph."""
    import pyoxigraph
    from rdflib import Dataset, URIRef

    dataset = Dataset()
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri, replace=True)
    for quad in store.quads():
        graph = (dataset.default_graph.identifier if isinstance(quad.graph_name, pyoxigraph.DefaultGraph)
                 else URIRef(quad.graph_name.value))
        dataset.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object), graph))
    return dataset


def write_jsonld(store, output: BinaryIO, context_path: Path = JSONLD_CONTEXT) -> None:
    """JSON-LD of the whole dataset (named graphs kept), compacted with the project context.

    The context is embedded, so the file reads back with no network; nodes are sorted by
    ``@id`` so that the same store always gives the same file.
    """
    context = json.loads(context_path.read_text(encoding="utf-8"))["@context"]
    text = rdflib_dataset(store).serialize(format="json-ld", context=context, auto_compact=True)
    document = _sorted_sets(json.loads(text))
    output.write(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))


def _sorted_sets(value):
    """JSON-LD with every array sorted (arrays other than ``@list`` are unordered sets).

    >>> _sorted_sets({"@graph": [{"@id": "b"}, {"@id": "a", "p": ["y", "x"]}]})
    {'@graph': [{'@id': 'a', 'p': ['x', 'y']}, {'@id': 'b'}]}
    """
    if isinstance(value, dict):
        return {key: item if key == "@list" else _sorted_sets(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_sorted_sets(item) for item in value),
                      key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    return value


# --- Network -----------------------------------------------------------------------------

def day_span(start: str, end: str | None = None) -> tuple[str, str]:
    """First and last day of an event whose dates are known to the day, month or year.

    >>> day_span("2025-04")
    ('2025-04-01', '2025-04-30')
    >>> day_span("2025-03-24", "2025-04-09")
    ('2025-03-24', '2025-04-09')
    >>> day_span("2024")
    ('2024-01-01', '2024-12-31')
    """
    end = end or start
    first = start if len(start) == 10 else f"{start}-01-01" if len(start) == 4 else f"{start}-01"
    if len(end) == 4:
        last = f"{end}-12-31"
    elif len(end) == 7:
        year, month = int(end[:4]), int(end[5:])
        last = f"{end}-{calendar.monthrange(year, month)[1]:02d}"
    else:
        last = end
    return first, max(first, last)


def merge_spells(spells) -> list[tuple[str, str]]:
    """Sorted spells with overlapping ones merged (Gephi refuses overlapping intervals).

    >>> merge_spells([("2025-05-01", "2025-05-31"), ("2025-03-25", "2025-03-25"), ("2025-05-09", "2025-06-02")])
    [('2025-03-25', '2025-03-25'), ('2025-05-01', '2025-06-02')]
    """
    merged: list[tuple[str, str]] = []
    for first, last in sorted(spells):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return merged


def partnership_network(store):
    """A networkx graph of the partnerships layer, read as the views read it
    (``views.data.load_view_data``): Smolensk municipalities and their Belarusian partners
    (a raion, its towns and villages counted in it; a city, an oblast or Minsk), an edge per
    partnership.

    Node attributes (``NODE_ATTRIBUTES``, titles in Russian): ``label``, ``side`` (RU, BY),
    ``oblast``, ``raion``, ``kind`` (район, город, …, муниципалитет), ``latitude`` and
    ``longitude`` (the names Gephi's GeoLayout looks for; absent when unknown),
    ``joint_events`` and ``partners`` (as the cards and the network view count them),
    ``reported_events`` (a municipality's events, its card's «Мероприятий»; 0 for a
    Belarusian partner), ``twinned`` and ``agreement`` (some partnership of the node has a
    twin link, an agreement), ``categories`` (of its joint events, `` | ``-joined), ``colour``
    and ``size`` (as the network view draws it) and ``x``/``y`` (its geographic layout);
    edge attributes: ``weight`` and ``joint_events``, ``first`` and ``last`` day, ``twinned``,
    ``agreements``, ``categories``, ``quiet`` (no joint event in the last four quarters of
    data), ``colour``, ``thickness``; nodes and edges carry ``spells``, the merged day spans of
    their dated joint events (an element with none is present at all times).
    """
    import networkx as nx

    from borderkg.tables import PLACE_KINDS, place_kind_label
    from borderkg.views.data import load_view_data
    from borderkg.views.network import geo_xy
    from borderkg.views.payload import RUSSIAN_SIDE, edge_style, node_size, oblast_colour
    from borderkg.vocab import ID

    data = load_view_data(store)
    oblasts = sorted({p.oblast for p in data.places.values()})
    graph = nx.Graph()
    node_categories: dict[str, set] = {}
    for pair in data.partnerships:
        muni, place = data.municipalities[pair.municipality], data.places[pair.place]
        muni_iri, place_iri = f"{ID}municipality/{muni.id}", f"{ID}place/{place.id}"
        categories = {c for e in pair.events for c in e.categories}
        if muni_iri not in graph:
            graph.add_node(muni_iri, label=muni.name, side="RU", oblast="Смоленская область", raion="",
                           kind=PLACE_KINDS["Municipality"], **_coordinates(muni.lat, muni.lon, muni.id, geo_xy),
                           joint_events=muni.figures.joint_events, partners=muni.figures.partners,
                           reported_events=muni.figures.events, twinned=False, agreement=False,
                           colour=RUSSIAN_SIDE, size=node_size(muni.figures.joint_events))
        if place_iri not in graph:
            raion = data.places.get(place.raion)
            graph.add_node(place_iri, label=place.name, side="BY", oblast=data.oblast_names.get(place.oblast, ""),
                           raion=raion.name if raion else "", kind=place_kind_label(place.kind),
                           **_coordinates(place.lat, place.lon, place.id, geo_xy),
                           joint_events=place.joint_events, partners=place.partners, reported_events=0,
                           twinned=False, agreement=False, colour=oblast_colour(place.oblast, oblasts),
                           size=node_size(place.joint_events))
        for node in (muni_iri, place_iri):
            graph.nodes[node]["twinned"] |= pair.twinned
            graph.nodes[node]["agreement"] |= bool(pair.agreements)
            node_categories.setdefault(node, set()).update(categories)
        edge_spells = merge_spells(day_span(e.start, e.end) for e in pair.events if e.start)
        colour, thickness = edge_style(pair.twinned, pair.joint_events)
        graph.add_edge(muni_iri, place_iri, weight=pair.joint_events, joint_events=pair.joint_events,
                       spells=edge_spells, first=edge_spells[0][0] if edge_spells else "",
                       last=max((s[1] for s in edge_spells), default=""), twinned=pair.twinned,
                       agreements=pair.agreements, categories=" | ".join(sorted(categories)),
                       quiet=pair.quiet_since is not None, colour=colour, thickness=thickness)
    for node in graph.nodes:
        graph.nodes[node]["categories"] = " | ".join(sorted(node_categories[node]))
        graph.nodes[node]["spells"] = merge_spells(s for other in graph.neighbors(node)
                                                   for s in graph.edges[node, other]["spells"])
    return graph


def _coordinates(lat, lon, key: str, geo_xy) -> dict:
    x, y = geo_xy(lat, lon, key)
    return {**({"latitude": lat, "longitude": lon} if lat is not None and lon is not None else {}), "x": x, "y": y}


# (name, GEXF type, title): the attributes Gephi lists, titled as the cards name them; latitude and
# longitude keep the names Gephi's GeoLayout looks for.
NODE_ATTRIBUTES = (("side", "string", "Сторона (RU, BY)"), ("oblast", "string", "Область"),
                   ("raion", "string", "Район"), ("kind", "string", "Вид"), ("latitude", "double", "latitude"),
                   ("longitude", "double", "longitude"),
                   ("joint_events", "integer", "Совместных мероприятий (как в карточке)"),
                   ("partners", "integer", "Партнёров (партнёрств)"),
                   ("reported_events", "integer", "Мероприятий муниципалитета (все, как в карточке)"),
                   ("twinned", "boolean", "Есть побратимские связи"), ("agreement", "boolean", "Есть соглашение"),
                   ("categories", "string", "Категории совместных мероприятий"))
EDGE_ATTRIBUTES = (("joint_events", "integer", "Совместных мероприятий"), ("first", "string", "Первый контакт"),
                   ("last", "string", "Последний контакт"), ("twinned", "boolean", "Побратимы"),
                   ("agreements", "integer", "Соглашений"), ("categories", "string", "Категории"),
                   ("quiet", "boolean", "Затихло (нет мероприятий за последние 4 квартала данных)"))


def write_gexf(graph, output: BinaryIO, modified: date | None = None) -> None:
    """GEXF 1.3 of the network: a dynamic graph (time format ``date``) whose nodes and edges
    carry ``<spells>``, the node and edge attributes declared with Russian titles, and the
    view's colours, sizes, geographic positions and edge thicknesses as ``viz:`` elements.

    networkx writes GEXF 1.1 and 1.2draft only, hence this writer of the 1.3 namespace.
    """
    import xml.etree.ElementTree as ET

    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", VIZ_NS)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")

    def q(tag: str, ns: str = GEXF_NS) -> str:
        return f"{{{ns}}}{tag}"

    root = ET.Element(q("gexf"), {"version": "1.3", "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation":
                                  f"{GEXF_NS} {GEXF_NS}/gexf.xsd"})
    meta = ET.SubElement(root, q("meta"), lastmodifieddate=(modified or date.today()).isoformat())
    ET.SubElement(meta, q("creator")).text = "borderkg"
    ET.SubElement(meta, q("description")).text = (
        "Smolensk municipalities and their Belarusian partners; an edge per partnership (pair with joint events)")
    body = ET.SubElement(root, q("graph"), defaultedgetype="undirected", mode="dynamic", timeformat="date")
    for cls, attributes in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        declared = ET.SubElement(body, q("attributes"), {"class": cls})
        for name, kind, title in attributes:
            ET.SubElement(declared, q("attribute"), id=name, title=title, type=kind)

    def content(element, data, attributes):
        values = ET.SubElement(element, q("attvalues"))
        for name, _, _ in attributes:
            if name in data:
                value = data[name]
                ET.SubElement(values, q("attvalue"), {"for": name, "value": str(value).lower()
                                                      if isinstance(value, bool) else str(value)})
        if data["spells"]:
            spells = ET.SubElement(element, q("spells"))
            for first, last in data["spells"]:
                ET.SubElement(spells, q("spell"), start=first, end=last)
        r, g, b = (int(data["colour"][i:i + 2], 16) for i in (1, 3, 5))
        ET.SubElement(element, q("color", VIZ_NS), r=str(r), g=str(g), b=str(b))

    nodes = ET.SubElement(body, q("nodes"), count=str(graph.number_of_nodes()))
    for node, data in sorted(graph.nodes(data=True)):
        element = ET.SubElement(nodes, q("node"), id=node, label=data["label"])
        content(element, data, NODE_ATTRIBUTES)
        ET.SubElement(element, q("position", VIZ_NS), x=str(data["x"]), y=str(-data["y"]), z="0")
        ET.SubElement(element, q("size", VIZ_NS), value=str(data["size"]))
    edges = ET.SubElement(body, q("edges"), count=str(graph.number_of_edges()))
    for i, (source, target, data) in enumerate(sorted((*_ordered(u, v), d) for u, v, d in graph.edges(data=True))):
        element = ET.SubElement(edges, q("edge"), id=str(i), source=source, target=target,
                                weight=str(float(data["weight"])))
        content(element, data, EDGE_ATTRIBUTES)
        ET.SubElement(element, q("thickness", VIZ_NS), value=str(data["thickness"]))
    ET.indent(root)
    ET.ElementTree(root).write(output, encoding="UTF-8", xml_declaration=True)


def _ordered(u: str, v: str) -> tuple[str, str]:
    """Municipality first, so an edge always reads municipality → partner place."""
    return (u, v) if "/municipality/" in u else (v, u)


def write_graphml(graph, output: BinaryIO) -> None:
    """GraphML of the network (spells flattened to ``first/last;first/last`` strings; the
    colour also as ``r``, ``g``, ``b``, which Gephi's GraphML import reads)."""
    import networkx as nx

    flat = nx.Graph()
    for node, data in sorted(graph.nodes(data=True)):
        flat.add_node(node, **{**data, **_rgb(data["colour"]), "spells": _spell_text(data["spells"])})
    for u, v, data in sorted((*_ordered(u, v), d) for u, v, d in graph.edges(data=True)):
        flat.add_edge(u, v, **{**data, "weight": float(data["weight"]), "spells": _spell_text(data["spells"])})
    nx.write_graphml(flat, output, encoding="utf-8")


def _rgb(colour: str) -> dict[str, int]:
    """
    >>> _rgb("#c0392b")
    {'r': 192, 'g': 57, 'b': 43}
    """
    return dict(zip("rgb", (int(colour[i:i + 2], 16) for i in (1, 3, 5))))


def _spell_text(spells) -> str:
    return ";".join(f"{first}/{last}" for first, last in spells)


__all__ = ["export", "write_rdf", "write_jsonld", "partnership_network", "write_gexf", "write_graphml",
           "csv_tables", "write_csv_tables", "read_table", "write_xlsx", "Table", "write_table", "rdflib_dataset", "rdflib_term", "FORMATS",
           "ExportError"]
