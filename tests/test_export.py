"""Exports read back to what the store holds: RDF graphs isomorphic (named graphs kept where
the format has them), a GEXF 1.3 file that validates, GraphML and CSV with the same content,
Cyrillic intact."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from borderkg.export import (CSV_DELIMITER, ExportError, csv_tables, export, partnership_network,
                             rdflib_dataset, read_table, write_csv_tables, write_gexf, write_rdf, write_table)
from borderkg.goldens import reference_store
from borderkg.store import OxigraphStore

GEXF = "{http://gexf.net/1.3}"
XSD = Path(__file__).parent / "data" / "gexf" / "gexf13-subset.xsd"
RUDNYA = "Руднянский муниципальный округ"
DESNOGORSK = "https://w3id.org/borderkg/id/municipality/desnogorsk"
CHAUSY = "https://w3id.org/borderkg/id/place/by-chavusy-raion"  # Chausy counts for its raion


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    """The shipped reports, built once per test session (shared with the query tests)."""
    return reference_store(tmp_path_factory.getbasetemp() / "reference-store")


@pytest.fixture(scope="module")
def expected(store):
    """The store as rdflib graphs: {graph IRI: Graph}, and the union of them all."""
    dataset = rdflib_dataset(store)
    graphs = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return graphs, union


_EXPORTS: dict[tuple[int, str], bytes] = {}


def event_count(store) -> int:
    query = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a <https://schema.org/Event> }"
    return int(next(iter(store.query(query, use_default_graph_as_union=True)))["n"].value)


def exported(store, fmt: str, fresh: bool = False) -> bytes:
    """The store exported in ``fmt`` (made once per store and format unless ``fresh``)."""
    key = (id(store), fmt)
    if fresh or key not in _EXPORTS:
        buffer = io.BytesIO()
        export(store, fmt, buffer)
        _EXPORTS[key] = buffer.getvalue()
    return _EXPORTS[key]


def named_graphs(data: bytes, fmt: str) -> dict[str, Graph]:
    dataset = Dataset()
    dataset.parse(data=data, format=fmt)
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


@pytest.mark.parametrize("fmt, rdflib_format", [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_dataset_exports_keep_every_named_graph(store, expected, fmt, rdflib_format):
    graphs, _ = expected
    data = exported(store, fmt)
    assert RUDNYA.encode("utf-8") in data  # Cyrillic as UTF-8, not escapes
    back = named_graphs(data, rdflib_format)
    assert sorted(back) == sorted(graphs) == sorted(store.graphs())
    for name, graph in graphs.items():
        assert isomorphic(back[name], graph), name


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("ntriples", "nt")])
def test_graph_exports_hold_the_union_of_the_graphs(store, expected, fmt, rdflib_format):
    _, union = expected
    data = exported(store, fmt)
    if fmt == "turtle":
        assert RUDNYA.encode("utf-8") in data and b"@prefix bkg:" in data
    back = Graph().parse(data=data, format=rdflib_format)
    assert len(back) == len(union)
    assert isomorphic(back, union)


@pytest.mark.parametrize("fmt, oxigraph_format", [("turtle", "TURTLE"), ("ntriples", "N_TRIPLES"), ("trig", "TRIG"),
                                                 ("nquads", "N_QUADS"), ("jsonld", "JSON_LD")])
def test_exports_parse_back_with_pyoxigraph_too(store, fmt, oxigraph_format):
    import pyoxigraph

    back = pyoxigraph.Store()
    back.load(exported(store, fmt), format=getattr(pyoxigraph.RdfFormat, oxigraph_format))
    if fmt in ("trig", "nquads", "jsonld"):
        assert set(back) == set(store.native)
    else:
        assert {(q.subject, q.predicate, q.object) for q in back} == \
               {(q.subject, q.predicate, q.object) for q in store.native}


def test_jsonld_is_compacted_with_the_project_context(store):
    import json

    document = json.loads(exported(store, "jsonld"))
    assert document["@context"]["partnerPlace"] == {"@id": "bkg:partnerPlace", "@type": "@id"}
    nodes = [node for graph in document["@graph"] for node in graph["@graph"]]
    events = [node for node in nodes if node.get("@type") == "Event"]
    assert len(events) == event_count(store)
    assert any(node.get("name", {}).get("@value") == RUDNYA for node in nodes)
    assert exported(store, "jsonld", fresh=True) == exported(store, "jsonld")  # same store, same file


# --- GEXF and GraphML --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def network(store):
    return partnership_network(store)


@pytest.fixture(scope="module")
def gexf(network):
    from lxml import etree

    buffer = io.BytesIO()
    write_gexf(network, buffer)
    return etree.fromstring(buffer.getvalue())


def test_gexf_validates_against_the_gexf_13_schema(gexf):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(gexf.getroottree()), schema.error_log
    assert gexf.get("version") == "1.3" and gexf.tag == f"{GEXF}gexf"
    graph = gexf.find(f"{GEXF}graph")
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")


OFFICIAL_XSD = XSD.with_name("gexf.xsd")


@pytest.mark.skipif(not OFFICIAL_XSD.exists(), reason="the official GEXF 1.3 schema is not vendored "
                    "(tests/data/gexf/gexf.xsd and its includes); the subset schema above is checked instead")
def test_gexf_validates_against_the_official_schema_when_vendored(gexf):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(OFFICIAL_XSD)))
    assert schema.validate(gexf.getroottree()), schema.error_log


def test_the_schema_rejects_what_gephi_would(gexf):
    """The validator is no rubber stamp: a bad date, a dangling edge or GEXF 1.2 fail."""
    import copy

    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(XSD)))
    for xpath, attribute, value in ((f".//{GEXF}spell", "start", "2025-04"), (f".//{GEXF}edge", "target", "nowhere"),
                                    (".", "version", "1.2")):
        broken = copy.deepcopy(gexf)
        broken.find(xpath).set(attribute, value)
        assert not schema.validate(broken.getroottree()), (xpath, attribute)


def test_gexf_has_the_network_with_spells_per_event(gexf, network):
    nodes = {n.get("id"): n for n in gexf.iter(f"{GEXF}node")}
    edges = {(e.get("source"), e.get("target")): e for e in gexf.iter(f"{GEXF}edge")}
    assert set(nodes) == set(network.nodes)
    assert len(edges) == network.number_of_edges()
    assert nodes[DESNOGORSK].get("label") == "город Десногорск"
    values = {a.get("for"): a.get("value") for a in nodes[CHAUSY].iter(f"{GEXF}attvalue")}
    assert {k: values.pop(k) for k in ("latitude", "longitude")}
    assert values == {"side": "BY", "oblast": "Могилевская область", "raion": "Чаусский район",
                      "kind": "район", "joint_events": "2", "partners": "1", "reported_events": "0",
                      "twinned": "true", "agreement": "false", "categories": values["categories"]}
    edge = {a.get("for"): a.get("value") for a in edges[DESNOGORSK, CHAUSY].iter(f"{GEXF}attvalue")}
    assert edge["joint_events"] == "2" and edge["twinned"] == "true"
    # Telebridge of 1 April 2025 and the online challenge of 1-31 May 2025 (rows 85 and 92).
    spells = [(s.get("start"), s.get("end")) for s in edges[DESNOGORSK, CHAUSY].iter(f"{GEXF}spell")]
    assert spells == [("2025-04-01", "2025-04-01"), ("2025-05-01", "2025-05-31")]
    for element in [*nodes.values(), *edges.values()]:
        spans = [(s.get("start"), s.get("end")) for s in element.iter(f"{GEXF}spell")]
        assert all(first <= last for first, last in spans)
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:])), "spells sorted and disjoint"
    sides = {values.get("side") for n in nodes.values()
             for values in [{a.get("for"): a.get("value") for a in n.iter(f"{GEXF}attvalue")}]}
    assert sides == {"RU", "BY"}


def test_graphml_reads_back_with_the_same_nodes_and_edges(store, network):
    import networkx as nx

    back = nx.read_graphml(io.BytesIO(exported(store, "graphml")))
    assert set(back.nodes) == set(network.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in network.edges}
    assert back.nodes[CHAUSY]["label"] == "Чаусский район"
    assert back.edges[DESNOGORSK, CHAUSY]["spells"] == "2025-04-01/2025-04-01;2025-05-01/2025-05-31"
    assert back.edges[DESNOGORSK, CHAUSY]["joint_events"] == 2 and back.edges[DESNOGORSK, CHAUSY]["twinned"]


# --- CSV ---------------------------------------------------------------------------------------

def test_csv_tables_read_back_the_same_rows(store, tmp_path):
    tables = csv_tables(store)
    paths = write_csv_tables(store, tmp_path)
    assert [p.name for p in paths] == ["events.csv", "partner_links.csv", "partnerships.csv", "dynamics.csv",
                                       "organisations.csv"]
    for table, path in zip(tables, paths):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
        assert raw.split(b"\r\n")[0].decode("utf-8-sig") == CSV_DELIMITER.join(table.headings)
        header, rows = read_table(path)
        assert header == table.columns and rows == table.rows
    events = tables[0]
    assert len(events.rows) == event_count(store)
    rudnya = [r for r in events.rows if r[1] == "001_5746b6576caafdfe.txt" and r[2] == "62"]
    assert rudnya and rudnya[0][3] == RUDNYA and rudnya[0][8] == "Добромысли | Лиозненский район"


def test_export_refuses_an_unknown_format_and_csv_without_a_folder(store):
    with pytest.raises(ExportError):
        export(store, "xls", io.BytesIO())
    with pytest.raises(ExportError):
        export(store, "csv", io.BytesIO())


NAME = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40) | st.sampled_from(
    ['Концерт «Дружба» "без" <границ>', "строка 1\nстрока 2\r\nстрока 3", "a;b,c\"d'e", "\\u0041 \\n <urn:x> }"])


def one_event_store(name: str) -> OxigraphStore:
    from pyoxigraph import Literal, NamedNode, Quad

    schema = "https://schema.org/"
    event, graph = NamedNode("https://w3id.org/borderkg/id/event/t/1"), NamedNode("https://w3id.org/borderkg/id/graph/t")
    store = OxigraphStore.in_memory()
    store.native.extend([
        Quad(event, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), NamedNode(schema + "Event"), graph),
        Quad(event, NamedNode(schema + "name"), Literal(name, language="ru"), graph)])
    return store


@settings(max_examples=60, deadline=None)
@given(NAME)
def test_any_event_name_survives_csv_and_turtle(name):
    from borderkg.spreadsheet import safe_cell

    store = one_event_store(name)
    events = csv_tables(store)[0]
    text = io.StringIO(newline="")
    write_table(events, text)
    header, *rows = list(csv.reader(io.StringIO(text.getvalue(), newline=""), delimiter=CSV_DELIMITER))
    assert header == events.headings and rows[0][events.columns.index("name")] == safe_cell(name)  # neutralised
    turtle = io.BytesIO()
    write_rdf(store, "turtle", turtle)
    back = Graph().parse(data=turtle.getvalue(), format="turtle")
    assert {str(o) for o in back.objects()} >= {name}


# --- the command ------------------------------------------------------------------------------

def test_export_command(store, tmp_path):
    from borderkg.commands.export import export as command

    runner = CliRunner()
    result = runner.invoke(command, ["--format", "nquads", "--store", str(store.path)])
    assert result.exit_code == 0, result.output
    assert len(named_graphs(result.stdout_bytes, "nquads")) == len(store.graphs())
    out = tmp_path / "network.gexf"
    assert runner.invoke(command, ["--format", "gexf", "--out", str(out), "--store", str(store.path)]).exit_code == 0
    assert out.read_bytes().startswith(b"<?xml")
    assert runner.invoke(command, ["--format", "csv", "--out", str(tmp_path / "tables"),
                                   "--store", str(store.path)]).exit_code == 0
    assert (tmp_path / "tables" / "events.csv").exists()
    result = runner.invoke(command, ["--format", "csv", "--store", str(store.path)])
    assert result.exit_code == 2 and "--out" in result.output
    result = runner.invoke(command, ["--format", "turtle", "--store", str(tmp_path / "no-store")])
    assert result.exit_code == 1 and "no store" in result.output


# --- what people open: pandas, LibreOffice, openpyxl, networkx -------------------------------

def test_pandas_reads_every_csv_with_its_defaults(store, tmp_path):
    import pandas as pd

    for table, path in zip(csv_tables(store), write_csv_tables(store, tmp_path)):
        frame = pd.read_csv(path)  # no sep, no encoding: the defaults
        assert list(frame.columns) == table.headings, path.name
        assert len(frame) == len(table.rows), path.name
    partnerships = pd.read_csv(tmp_path / "partnerships.csv")
    row = partnerships[(partnerships["Муниципалитет"] == "город Десногорск")
                       & (partnerships["Партнёр в Беларуси"] == "Чаусский район")].iloc[0]
    assert row["Совместных мероприятий"] == 2 and row["Побратимы"] == "да" and row["Область"] == "Могилевская область"
    events = pd.read_csv(tmp_path / "events.csv")
    codes = {"offline", "online", "culture", "memory", "Settlement", "Raion"}
    assert not codes & set(events["Формат"].dropna()) and "Беларусь" in " ".join(events["Страны"].dropna())
    assert not codes & {c for cell in events["Категории"].dropna() for c in cell.split(" | ")}
    links = pd.read_csv(tmp_path / "partner_links.csv")
    assert set(links["Вид места"]) <= {"район", "область", "столица", "населённый пункт", "район города"}


def test_the_xlsx_has_a_sheet_per_table_with_dates_filters_and_a_frozen_header(store, tmp_path):
    from datetime import datetime

    from openpyxl import load_workbook

    path = tmp_path / "borderkg.xlsx"
    export(store, "xlsx", path)
    book = load_workbook(path)
    tables = csv_tables(store)
    assert book.sheetnames == [t.title for t in tables]
    for table in tables:
        sheet = book[table.title]
        assert [c.value for c in sheet[1]] == table.headings
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
        assert sheet.max_row == len(table.rows) + 1
    sheet = book["Партнёрства"]
    heads = [c.value for c in sheet[1]]
    rows = [dict(zip(heads, (c for c in r))) for r in sheet.iter_rows(min_row=2)]
    chausy = next(r for r in rows if r["Партнёр в Беларуси"].value == "Чаусский район")
    assert chausy["Муниципалитет"].value == "город Десногорск" and chausy["Совместных мероприятий"].value == 2
    first = chausy["Первый контакт"]
    assert isinstance(first.value, datetime) and first.number_format == "DD.MM.YYYY"
    months = [r["Последний контакт"] for r in rows if isinstance(r["Последний контакт"].value, datetime)
              and r["Последний контакт"].number_format == "MM.YYYY"]
    assert months and all(c.value.day == 1 for c in months), "a month-only date shows as ММ.ГГГГ"
    events = book["Мероприятия"]
    assert any(isinstance(c.value, str) and "Десногорск" in c.value for c in events["D"])


def test_networkx_reads_coordinates_flags_and_colours_in_gexf_and_graphml(store, network):
    import networkx as nx

    gexf = nx.read_gexf(io.BytesIO(exported(store, "gexf")), version="1.3")
    node = gexf.nodes[CHAUSY]
    assert 53 < node["latitude"] < 54.5 and 30 < node["longitude"] < 31.5
    assert node["viz"]["color"]["r"] == 44 and node["viz"]["size"] > 7  # Mogilev oblast green, sized by events
    assert node["Есть побратимские связи"] is True
    edge = gexf.edges[DESNOGORSK, CHAUSY]
    assert edge["Побратимы"] is True and edge["Совместных мероприятий"] == 2 and edge["Категории"] is not None
    graphml = nx.read_graphml(io.BytesIO(exported(store, "graphml")))
    node = graphml.nodes[CHAUSY]
    assert (node["latitude"], node["longitude"]) == (gexf.nodes[CHAUSY]["latitude"], gexf.nodes[CHAUSY]["longitude"])
    assert (node["r"], node["g"], node["b"]) == (44, 160, 44) and node["twinned"] is True
    edge = graphml.edges[DESNOGORSK, CHAUSY]
    assert edge["twinned"] is True and edge["quiet"] is False and edge["colour"] == "#1e8449"
    muni = graphml.nodes[DESNOGORSK]
    assert muni["kind"] == "муниципалитет" and muni["reported_events"] >= muni["joint_events"] >= 2
