"""Exports of the store for other tools: RDF files, a partnership network, spreadsheet tables.

* RDF — ``turtle`` and ``ntriples`` hold the union of all graphs (one graph: the formats have
  no named graphs); ``trig`` and ``nquads`` keep every named graph (one per source document,
  the gazetteer, derived layers); ``jsonld`` keeps them too, compacted with the context
  ``ontology/context.jsonld`` (written by rdflib; the others by pyoxigraph's serialisers).
* Network — ``gexf`` (GEXF 1.3, dynamic: spells per joint event, for Gephi's timeline) and
  ``graphml``: Smolensk municipalities and the Belarusian places named as their partners,
  joined by an edge per partnership (the derived layer the views show too).
* ``csv`` — three tables (events, partner links, organisations) for Excel: UTF-8 with a byte
  order mark, so Excel reads Cyrillic right, and ``;`` between fields, the list separator
  of Russian-locale Excel (a double click opens them in columns).
"""

from __future__ import annotations

import calendar
import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from borderkg.errors import BorderkgError
from borderkg.paths import ONTOLOGY, QUERIES
from borderkg.vocab import PREFIXES, XSD

JSONLD_CONTEXT = ONTOLOGY / "context.jsonld"
CSV_DELIMITER = ";"
CSV_ENCODING = "utf-8-sig"
GEXF_NS = "http://gexf.net/1.3"
RDF_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "trig": "TRIG", "nquads": "N_QUADS"}
FORMATS = {**{name: "rdf" for name in RDF_FORMATS}, "jsonld": "rdf", "gexf": "network",
           "graphml": "network", "csv": "tables"}
SUFFIXES = {"turtle": ".ttl", "ntriples": ".nt", "trig": ".trig", "nquads": ".nq",
            "jsonld": ".jsonld", "gexf": ".gexf", "graphml": ".graphml", "csv": ""}


class ExportError(BorderkgError):
    """An export cannot be written: unknown format, or a missing output folder for CSV."""


def export(store, fmt: str, output: BinaryIO | Path) -> None:
    """Write the store in ``fmt`` to a binary stream, or for ``csv`` into a folder."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt == "csv":
        if not isinstance(output, Path):
            raise ExportError("the csv export writes three files: give a folder with --out")
        write_csv_tables(store, output)
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


PLACE_CLASSES = {"raion": "Raion", "oblast": "Oblast", "capital": "Capital", "settlement": "Settlement",
                 "city_district": "CityDistrict"}


def partnership_network(store):
    """A networkx graph of the partnerships layer, read as the views read it
    (``views.data.load_view_data``): Smolensk municipalities and their Belarusian partners
    (a raion, its towns and villages counted in it; a city, an oblast or Minsk), an edge per
    partnership.

    Node attributes: ``label``, ``side`` (RU, BY), ``oblast``, ``raion``, ``kind`` (class of
    the place, or Municipality), ``joint_events`` and ``partners`` (as the cards and the
    network view count them) and ``reported_events`` (a municipality's events, its card's
    «Мероприятий»; 0 for a Belarusian partner); edge attributes: ``weight`` and
    ``joint_events``, ``first`` and ``last`` day, ``twinned``, ``agreements``; nodes and
    edges carry ``spells``, the merged day spans of their dated joint events (an element
    with none is present at all times).
    """
    import networkx as nx

    from borderkg.views.data import load_view_data
    from borderkg.vocab import ID

    data = load_view_data(store)
    graph = nx.Graph()
    for pair in data.partnerships:
        muni, place = data.municipalities[pair.municipality], data.places[pair.place]
        muni_iri, place_iri = f"{ID}municipality/{muni.id}", f"{ID}place/{place.id}"
        graph.add_node(muni_iri, label=muni.name, side="RU", oblast="Смоленская область", raion="",
                       kind="Municipality", joint_events=muni.figures.joint_events,
                       partners=muni.figures.partners, reported_events=muni.figures.events)
        raion = data.places.get(place.raion)
        graph.add_node(place_iri, label=place.name, side="BY", oblast=data.oblast_names.get(place.oblast, ""),
                       raion=raion.name if raion else "", kind=PLACE_CLASSES.get(place.kind, ""),
                       joint_events=place.joint_events, partners=place.partners, reported_events=0)
        edge_spells = merge_spells(day_span(e.start, e.end) for e in pair.events if e.start)
        graph.add_edge(muni_iri, place_iri, weight=pair.joint_events, joint_events=pair.joint_events,
                       spells=edge_spells, first=edge_spells[0][0] if edge_spells else "",
                       last=max((s[1] for s in edge_spells), default=""), twinned=pair.twinned,
                       agreements=pair.agreements)
    for node in graph.nodes:
        graph.nodes[node]["spells"] = merge_spells(s for other in graph.neighbors(node)
                                                   for s in graph.edges[node, other]["spells"])
    return graph


NODE_ATTRIBUTES = (("side", "string"), ("oblast", "string"), ("raion", "string"), ("kind", "string"),
                   ("joint_events", "integer"), ("partners", "integer"), ("reported_events", "integer"))
EDGE_ATTRIBUTES = (("joint_events", "integer"), ("first", "string"), ("last", "string"), ("twinned", "boolean"),
                   ("agreements", "integer"))


def write_gexf(graph, output: BinaryIO, modified: date | None = None) -> None:
    """GEXF 1.3 of the network: a dynamic graph (time format ``date``) whose nodes and edges
    carry ``<spells>``, with the node and edge attributes declared.

    networkx writes GEXF 1.1 and 1.2draft only, hence this writer of the 1.3 namespace.
    """
    import xml.etree.ElementTree as ET

    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")

    def q(tag: str) -> str:
        return f"{{{GEXF_NS}}}{tag}"

    root = ET.Element(q("gexf"), {"version": "1.3", "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation":
                                  f"{GEXF_NS} {GEXF_NS}/gexf.xsd"})
    meta = ET.SubElement(root, q("meta"), lastmodifieddate=(modified or date.today()).isoformat())
    ET.SubElement(meta, q("creator")).text = "borderkg"
    ET.SubElement(meta, q("description")).text = (
        "Smolensk municipalities and their Belarusian partner places; an edge per pair with joint events")
    body = ET.SubElement(root, q("graph"), defaultedgetype="undirected", mode="dynamic", timeformat="date")
    for cls, attributes in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        declared = ET.SubElement(body, q("attributes"), {"class": cls})
        for name, kind in attributes:
            ET.SubElement(declared, q("attribute"), id=name, title=name, type=kind)

    def content(element, data, attributes):
        values = ET.SubElement(element, q("attvalues"))
        for name, _ in attributes:
            value = data[name]
            ET.SubElement(values, q("attvalue"), {"for": name, "value": str(value).lower() if isinstance(value, bool)
                                                  else str(value)})
        if data["spells"]:
            spells = ET.SubElement(element, q("spells"))
            for first, last in data["spells"]:
                ET.SubElement(spells, q("spell"), start=first, end=last)

    nodes = ET.SubElement(body, q("nodes"), count=str(graph.number_of_nodes()))
    for node, data in sorted(graph.nodes(data=True)):
        content(ET.SubElement(nodes, q("node"), id=node, label=data["label"]), data, NODE_ATTRIBUTES)
    edges = ET.SubElement(body, q("edges"), count=str(graph.number_of_edges()))
    for i, (source, target, data) in enumerate(sorted((*_ordered(u, v), d) for u, v, d in graph.edges(data=True))):
        element = ET.SubElement(edges, q("edge"), id=str(i), source=source, target=target,
                                weight=str(float(data["weight"])))
        content(element, data, EDGE_ATTRIBUTES)
    ET.indent(root)
    ET.ElementTree(root).write(output, encoding="UTF-8", xml_declaration=True)


def _ordered(u: str, v: str) -> tuple[str, str]:
    """Municipality first, so an edge always reads municipality → partner place."""
    return (u, v) if "/municipality/" in u else (v, u)


def write_graphml(graph, output: BinaryIO) -> None:
    """GraphML of the network (spells flattened to ``first/last;first/last`` strings)."""
    import networkx as nx

    flat = nx.Graph()
    for node, data in sorted(graph.nodes(data=True)):
        flat.add_node(node, **{**data, "spells": _spell_text(data["spells"])})
    for u, v, data in sorted((*_ordered(u, v), d) for u, v, d in graph.edges(data=True)):
        flat.add_edge(u, v, **{**data, "weight": float(data["weight"]), "spells": _spell_text(data["spells"])})
    nx.write_graphml(flat, output, encoding="utf-8")


def _spell_text(spells) -> str:
    return ";".join(f"{first}/{last}" for first, last in spells)


# --- CSV tables --------------------------------------------------------------------------

@dataclass
class Table:
    """A table to write: its file name, column names and rows (lists of strings)."""

    name: str
    columns: list[str]
    rows: list[list[str]]






EVENTS_QUERY = QUERIES / "export" / "events.rq"
LINKS_QUERY = QUERIES / "export" / "partner-links.rq"
ORGANISATIONS_QUERY = QUERIES / "export" / "organisations.rq"


def _text(term, strip: str = "") -> str:
    if term is None:
        return ""
    return term.value.rsplit(strip, 1)[-1] if strip else term.value


def csv_tables(store) -> list[Table]:
    """The events, partner-link and organisation tables, rows sorted, multi-values joined
    with `` | `` in alphabetical order."""

    def run(query: Path):
        return store.query(query.read_text(encoding="utf-8"), use_default_graph_as_union=True, prefixes=PREFIXES)

    events: dict[str, dict] = {}
    for r in run(EVENTS_QUERY):
        event = events.setdefault(r["event"].value, {
            "event": r["event"].value, "document": _text(r["document"]), "row": _text(r["row"]),
            "municipality": _text(r["municipality"]), "name": r["name"].value, "start": _text(r["start"]),
            "end": _text(r["end"]), "attendance": _text(r["mode"], "/").replace("EventAttendanceMode", "").lower(),
            "partner_places": set(), "countries": set(), "categories": set()})
        for key, column, strip in (("partner", "partner_places", ""), ("country", "countries", "/"),
                                   ("category", "categories", "/")):
            if r[key] is not None:
                event[column].add(_text(r[key], strip))
    event_columns = ["event", "document", "row", "municipality", "name", "start", "end", "attendance",
                     "partner_places", "countries", "categories"]
    event_rows = [[" | ".join(sorted(e[c])) if isinstance(e[c], set) else e[c] for c in event_columns]
                  for e in events.values()]
    link_columns = ["municipality", "partner", "kind", "raion", "oblast", "partnership", "event", "name", "start",
                    "end", "document", "row"]
    link_rows = {tuple(_text(r[c]) for c in link_columns) for r in run(LINKS_QUERY)}
    organisations: dict[str, dict] = {}
    for r in run(ORGANISATIONS_QUERY):
        org = organisations.setdefault(r["organisation"].value, {
            "organisation": r["organisation"].value, "names": set(), "types": set(), "countries": set(),
            "locations": set(), "events": _text(r["events"]) or "0", "with_belarus": _text(r["with_belarus"]) or "0"})
        org["names"].add(r["name"].value)
        for key, column, strip in (("type", "types", "/"), ("country", "countries", "/"),
                                   ("location", "locations", "")):
            if r[key] is not None:
                org[column].add(_text(r[key], strip))
    org_columns = ["organisation", "names", "types", "countries", "locations"]
    org_rows = [[o["organisation"], *(" | ".join(sorted(o[c])) for c in org_columns[1:]), o["events"],
                 o["with_belarus"]] for o in organisations.values()]
    return [Table("events", event_columns, sorted(event_rows, key=lambda r: _row_key([r[1], r[2], *r]))),
            Table("partner_links", link_columns, sorted(map(list, link_rows), key=_row_key)),
            Table("organisations", ["organisation", "name", "type", "country", "location", "events",
                                    "events_with_belarus"],
                  sorted(org_rows, key=lambda r: _row_key([r[1], *r])))]


def _row_key(row: list[str]) -> list:
    """Sort key: whole numbers by value, other text by code point.

    >>> sorted([["10"], ["9"], ["б"], ["¹"]], key=_row_key)
    [['9'], ['10'], ['¹'], ['б']]
    """
    return [(0, int(cell), "") if cell.isascii() and cell.isdigit() else (1, 0, cell) for cell in row]


def write_csv_tables(store, directory: Path) -> list[Path]:
    """``events.csv``, ``partner_links.csv`` and ``organisations.csv`` in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for table in csv_tables(store):
        path = directory / f"{table.name}.csv"
        with path.open("w", encoding=CSV_ENCODING, newline="") as handle:
            write_table(table, handle)
        written.append(path)
    return written


def write_table(table: Table, handle) -> None:
    """One table as CSV (``;``-separated, quoted where needed, CRLF line ends as Excel writes),
    every cell made safe to open (:func:`borderkg.spreadsheet.safe_cell`)."""
    from borderkg.spreadsheet import safe_row

    writer = csv.writer(handle, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(safe_row(table.columns))
    writer.writerows(safe_row(row) for row in table.rows)


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Column names and rows of a table written by :func:`write_csv_tables`."""
    with path.open(encoding=CSV_ENCODING, newline="") as handle:
        header, *rows = list(csv.reader(handle, delimiter=CSV_DELIMITER))
    return header, rows


__all__ = ["export", "write_rdf", "write_jsonld", "partnership_network", "write_gexf", "write_graphml",
           "csv_tables", "write_csv_tables", "read_table", "rdflib_dataset", "rdflib_term", "FORMATS",
           "ExportError"]
