"""Every surface tells the same numbers: the shipped reports are built once (the session's
reference store) and each notion of queries/README.md — events, joint events, partnerships,
partners, twin links, agreements, organisation activity, a municipality's events — is read
from the build summary, the views' payloads, the card and index HTML, the GEXF and GraphML
attributes, the CSV rows and the saved queries, and compared."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict

import pytest

from borderkg.export import csv_tables, partnership_network, write_gexf, write_graphml
from borderkg.goldens import reference_store
from borderkg.ingest import totals
from borderkg.query import load_query, run_query, format_results
from borderkg.views.cards import render_card, render_index
from borderkg.views.data import load_view_data
from borderkg.views.map import map_payload
from borderkg.views.network import network_payload
from borderkg.views.timeline import timeline_payload
from borderkg.vocab import ID

GEXF = "{http://gexf.net/1.3}"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return reference_store(tmp_path_factory.getbasetemp() / "reference-store")


@pytest.fixture(scope="module")
def summary(store):
    return totals(store)


@pytest.fixture(scope="module")
def data(store):
    return load_view_data(store)


@pytest.fixture(scope="module")
def tables(store):
    return {t.name: [dict(zip(t.columns, row)) for row in t.rows] for t in csv_tables(store)}


@pytest.fixture(scope="module")
def network(store):
    return partnership_network(store)


def saved(store, name: str, **params) -> list[dict]:
    return list(csv.DictReader(io.StringIO(format_results(run_query(store, load_query(name), params), "csv"))))


def figures(html: str, attribute: str = "data-figures") -> dict[str, int]:
    """The figures a page states in a ``data-figures`` attribute."""
    text = re.search(rf'{attribute}="([^"]*)"', html).group(1)
    return {k: int(v) for k, v in (pair.split("=") for pair in text.split())}


def test_the_build_summary_is_the_index_and_the_views(summary, data):
    index = figures(render_index(data), "data-totals")
    assert {k: v for k, v in summary.items() if k != "triples"} == index
    assert summary["partnerships"] == len(data.partnerships) > 0
    assert summary["events"] == len(data.events) == sum(m.figures.events for m in data.municipalities.values())
    assert summary["joint_events"] == len({e.id for p in data.partnerships for e in p.events})
    assert summary["municipalities"] == sum(1 for m in data.municipalities.values() if m.figures.events)
    assert summary["twin_links"] == len({(t.municipality, t.place) for t in data.twins})
    assert summary["agreements"] == sum(len(e.agreements) for e in data.events)


def test_the_index_text_says_what_the_summary_says(summary, data):
    text = render_index(data)
    assert f"Мероприятий: {summary['events']} " in text
    assert f"партнёрств: {summary['partnerships']} " in text
    assert f"совместных (с партнёром в Беларуси): {summary['joint_events']} " in text


def test_every_card_shows_the_municipality_figures(data):
    for m in data.municipalities.values():
        card = render_card(data, m)
        stated = figures(card)
        events = [e for e in data.events if e.municipality == m.id]
        pairs = [p for p in data.partnerships if p.municipality == m.id]
        assert stated["events"] == len(events) == card.count('<article class="event"'), m.name
        assert stated["joint_events"] == len({e.id for p in pairs for e in p.events}), m.name
        assert stated["partners"] == len(pairs), m.name
        assert stated["agreements"] == sum(len(e.agreements) for e in events), m.name
        assert f"Мероприятий: {stated['events']} " in card and f"партнёров в Беларуси: {stated['partners']} " in card


def test_network_nodes_count_distinct_events_as_cards_do(data):
    payload = network_payload(data)
    nodes, edges = payload["nodes"], payload["edges"]
    events_of, partners_of = defaultdict(set), Counter()
    for a, b, evs, *_ in edges:
        for node in (a, b):
            events_of[node] |= set(evs)
            partners_of[node] += 1
    assert len(edges) == len(data.partnerships)
    for i, node in enumerate(nodes):
        # what network.js shows before any filter: distinct events over the node's edges
        assert node["count"] == len(events_of[i]), node["id"]
        assert node["partners"] == partners_of[i], node["id"]
        if node["side"] == "ru":
            m = data.municipalities[node["id"][2:]]
            assert (node["count"], node["partners"]) == (m.figures.joint_events, m.figures.partners)


def test_the_map_draws_every_partnership(data):
    payload = map_payload(data, [])
    assert len(payload["arcs"]) + payload["unplaced"] == len(data.partnerships)
    for m in payload["municipalities"]:
        assert m["count"] == data.municipalities[m["id"]].figures.events


def test_the_timeline_shows_the_events_of_smolensk_municipalities_only(summary, data):
    payload = timeline_payload(data)
    assert sum(payload["events"]) + payload["yearOnly"] + payload["undated"] == summary["events"]
    # Novosibirsk and Ryazan documents (events with no Smolensk municipality) are not on it.
    assert summary["events_elsewhere"] > 0
    first = min(e.start for e in data.events if e.start and len(e.start) >= 7)
    assert payload["quarters"][0] == f"{first[:4]} Q{(int(first[5:7]) - 1) // 3 + 1}"
    for q, total in enumerate(payload["events"]):
        per_category = [c["counts"][q] for c in payload["categories"]]
        assert max(per_category, default=0) <= total <= sum(per_category)
    assert payload["cumulative"][-1] == len({(p.municipality, p.place) for p in data.partnerships
                                             if any(e.quarter for e in p.events)})


def test_gexf_and_graphml_carry_the_card_figures(data, network):
    buffer = io.BytesIO()
    write_gexf(network, buffer)
    import xml.etree.ElementTree as ET

    gexf = ET.fromstring(buffer.getvalue())
    assert len(list(gexf.iter(f"{GEXF}edge"))) == len(data.partnerships)
    for node in gexf.iter(f"{GEXF}node"):
        values = {a.get("for"): a.get("value") for a in node.iter(f"{GEXF}attvalue")}
        local = node.get("id").rsplit("/", 1)[-1]
        if values["side"] == "RU":
            f = data.municipalities[local].figures
            assert (int(values["joint_events"]), int(values["partners"]), int(values["reported_events"])) == (
                f.joint_events, f.partners, f.events), local
        else:
            place = data.places[local]
            assert (int(values["joint_events"]), int(values["partners"])) == (place.joint_events, place.partners)
    pairs = {(f"{ID}municipality/{p.municipality}", f"{ID}place/{p.place}"): p for p in data.partnerships}
    import networkx as nx

    buffer = io.BytesIO()
    write_graphml(network, buffer)
    back = nx.read_graphml(io.BytesIO(buffer.getvalue()))
    assert {frozenset(e) for e in back.edges} == {frozenset(k) for k in pairs}
    for (muni, place), p in pairs.items():
        assert back.edges[muni, place]["joint_events"] == p.joint_events == len(p.events)
        assert back.edges[muni, place]["twinned"] == p.twinned


def test_csv_tables_count_what_the_summary_counts(summary, data, tables):
    assert sum(1 for r in tables["events"] if r["municipality"]) == summary["events"]
    links = tables["partner_links"]
    assert len({r["event"] for r in links}) == summary["joint_events"]
    assert len({(r["municipality"], r["partnership"]) for r in links}) == summary["partnerships"]
    assert len({(r["partner"], r["kind"], r["raion"], r["oblast"]) for r in links}) == summary["belarusian_places"]
    names = {m.id: m.name for m in data.municipalities.values()}
    per_muni = Counter()
    for muni, event in {(r["municipality"], r["event"]) for r in links}:
        per_muni[muni] += 1
    for m in data.municipalities.values():
        assert per_muni[names[m.id]] == m.figures.joint_events, m.name


def test_saved_queries_agree_with_the_surfaces(store, summary, data):
    strength = saved(store, "partnership-strength")
    assert len(strength) == summary["partnerships"]
    by_name = {m.name: m for m in data.municipalities.values()}
    for name, n in Counter(r["municipality"] for r in strength).items():
        assert by_name[name].figures.partners == n, name
    for row in strength:
        pair = next(p for p in data.partnerships if data.municipalities[p.municipality].name == row["municipality"]
                    and data.places[p.place].name == row["partner"])
        assert int(row["events"]) == pair.joint_events
    per_muni = saved(store, "events-per-municipality")
    assert sum(int(r["events"]) for r in per_muni) == summary["events"]
    assert sum(int(r["with_belarus"]) for r in per_muni) == summary["with_belarus"]
    for r in per_muni:
        assert int(r["events"]) == by_name[r["municipality"]].figures.events
    twins = saved(store, "twin-links")
    assert len({(r["municipality"], r["partner"]) for r in twins}) == summary["twin_links"]
    assert len(saved(store, "agreements")) == summary["agreements"]


def test_organisation_activity_is_the_same_in_the_csv_and_the_saved_query(store, tables):
    activity = defaultdict(set)  # two organisations may share a name
    for r in tables["organisations"]:
        for name in r["name"].split(" | "):
            activity[name].add(int(r["events_with_belarus"]))
    top = saved(store, "top-organisations", top="50")
    assert top
    for row in top:
        assert int(row["events"]) in activity[row["organisation"]], row["organisation"]


def test_partner_places_are_the_places_named_in_the_partnerships(store, summary, data):
    """Place level: the partner places of partners-of-municipality are the places the cards
    list in their partnerships (the partner itself or the places named in it)."""
    assert len({p for pair in data.partnerships for p in pair.named_places}) == summary["belarusian_places"]
    for m in data.municipalities.values():
        if not m.figures.joint_events:
            continue
        named = {data.places[p].name for pair in data.partnerships if pair.municipality == m.id
                 for p in pair.named_places}
        assert {r["partner"] for r in saved(store, "partners-of-municipality", municipality=m.name)} == named, m.name


def test_dynamics_and_quiet_partnerships_agree_everywhere(store, data, tables, network):
    """The «что дальше» figures: a pair's events per year add up to its joint events on the
    card; the saved queries, the partnerships table and the GEXF/GraphML edges list the same
    quiet pairs and the same first and last contact."""
    dynamics = saved(store, "partnership-dynamics", municipality="")  # every municipality's
    per_pair = defaultdict(int)
    for r in dynamics:
        per_pair[(r["municipality"], r["partner"])] += int(r["events"])
        assert int(r["total"]) == next(p.joint_events for p in data.partnerships
                                       if data.municipalities[p.municipality].name == r["municipality"]
                                       and data.places[p.place].name == r["partner"])
    assert len(per_pair) == len(data.partnerships)
    for p in data.partnerships:
        key = (data.municipalities[p.municipality].name, data.places[p.place].name)
        assert per_pair[key] == sum(p.per_year.values()) == p.joint_events == len(p.events), key
    quiet = {(r["municipality"], r["partner"]) for r in saved(store, "quiet-partnerships")}
    assert quiet == {(data.municipalities[p.municipality].name, data.places[p.place].name)
                     for p in data.partnerships if p.quiet_since}
    rows = tables["partnerships"]
    assert len(rows) == len(data.partnerships)
    assert {(r["municipality"], r["partner"]) for r in rows if r["quiet"]} == quiet
    assert sum(int(r["joint_events"]) for r in rows) == sum(p.joint_events for p in data.partnerships)
    assert sum(int(r["events"]) for r in tables["dynamics"]) == sum(p.joint_events for p in data.partnerships)
    names = {n: d["label"] for n, d in network.nodes(data=True)}
    assert {(names[u], names[v]) for u, v in (sorted(e, key=lambda n: "/municipality/" not in n)
                                              for e, d in ((e[:2], e[2]) for e in network.edges(data=True)) if d["quiet"])} == quiet
    # the window is the last four quarters of the latest dated (to the month) Smolensk event
    latest = max(d for e in data.events for d in (e.start, e.end) if d and len(d) >= 7)
    for r in saved(store, "quiet-partnerships"):
        year, quarter = int(latest[:4]), (int(latest[5:7]) - 1) // 3
        n = year * 4 + quarter - 3
        assert r["window_from"] == f"{n // 4}-{(n % 4) * 3 + 1:02d}-01"
        assert r["last"] < r["window_from"]

