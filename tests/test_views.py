"""The views without a browser: what is read from the store, what the pages contain."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from views_fixture import QUOTES_NAME, XSS_NAME, add_category, build_view_store, strip_categories

from borderkg.views.data import load_view_data
from borderkg.views.model import Event, Municipality, Partnership, Place, Source, TwinLink, ViewData
from borderkg.views.network import BIG_NETWORK, network_payload
from borderkg.views.page import script_json
from borderkg.views.render import write_views
from borderkg.views.timeline import timeline_payload

REMOTE = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_view_store(tmp_path_factory.mktemp("views-store"))


@pytest.fixture(scope="module")
def data(store):
    return load_view_data(store)


@pytest.fixture(scope="module")
def viz(data, tmp_path_factory):
    out = tmp_path_factory.mktemp("viz")
    write_views(data, out)
    return out


def test_reads_all_municipalities_events_twins_and_agreements(data):
    assert len(data.municipalities) == 27
    names = {e.name for e in data.events}
    assert {XSS_NAME, QUOTES_NAME} <= names
    xss = next(e for e in data.events if e.name == XSS_NAME)
    assert (xss.municipality, xss.partners, xss.start) == ("desnogorsk", ["by-s-chausy"], "2025-04-01")
    assert xss.source.document == "report_q2_2025.txt" and xss.source.row == 85
    assert dict(xss.source.texts)["Наименование"] == XSS_NAME
    assert [(t.municipality, t.place) for t in data.twins] == [("desnogorsk", "by-s-chausy")]
    quotes = next(e for e in data.events if e.name == QUOTES_NAME)
    assert [a.kind for a in quotes.agreements] == ["memorandum"]
    assert data.places["by-s-orsha"].oblast == "by-vitebsk-oblast"
    assert data.oblast_label("by-vitebsk-oblast") == "Витебская область"


def test_pipeline_categories_have_their_russian_labels(data):
    # The SKOS scheme is loaded with the ontology, so the views show prefLabel@ru, not slugs.
    assert data.categories() and "Культура" in data.categories()
    assert all(re.fullmatch(r"[А-ЯЁ][а-яё ,-]+", label) for label in data.categories()), data.categories()


def test_without_categories_every_event_is_uncategorised(tmp_path):
    store = build_view_store(tmp_path)
    strip_categories(store)
    data = load_view_data(store)
    assert data.categories() == ["без категории"]
    assert all(e.category_labels == ["без категории"] for e in data.events)


def test_categories_are_read_when_present(tmp_path):
    store = build_view_store(tmp_path)
    strip_categories(store)
    add_category(store, "/86", "Фестиваль")
    data = load_view_data(store)
    assert data.categories() == ["Фестиваль", "без категории"]
    assert next(e for e in data.events if e.name == QUOTES_NAME).categories == ["Фестиваль"]
    assert network_payload(data)["categories"] == ["Фестиваль", "без категории"]


def test_partnerships_are_read_from_the_layer_with_their_named_places(data):
    # Towns roll up to their raion (queries/derived/partnerships.rq): Chausy counts for its raion.
    pairs = {(p.municipality, p.place): p for p in data.partnerships}
    chausy = pairs[("desnogorsk", "by-chavusy-raion")]
    assert [e.name for e in chausy.events] == [XSS_NAME] and chausy.twinned and chausy.named_places == ["by-s-chausy"]
    assert pairs[("desnogorsk", "by-orsha-raion")].years == [2024]
    assert pairs[("desnogorsk", "by-orsha-raion")].agreements == 1
    assert len(data.partnerships) == data.totals["partnerships"] == 5


def test_writes_every_page_and_a_card_per_municipality(viz):
    for name in ("index.html", "network.html", "map.html", "timeline.html"):
        assert (viz / name).exists(), name
    cards = sorted((viz / "cards").glob("*.html"))
    assert len(cards) == 27
    index = (viz / "index.html").read_text(encoding="utf-8")
    assert len(set(re.findall(r'href="cards/[^"]+\.html"', index))) == 27
    for asset in ("vis-network.min.js", "leaflet.js", "chart.umd.min.js", "views.css", "network.js"):
        assert (viz / "static" / asset).stat().st_size > 1000


def test_pages_are_utf8_and_load_nothing_from_the_network(viz):
    for path in viz.rglob("*.html"):
        text = path.read_bytes().decode("utf-8")
        assert '<meta charset="utf-8">' in text, path
        assert not REMOTE.search(text), f"{path}: {REMOTE.search(text).group(0)}"
    assert "Сеть партнёрств" in (viz / "network.html").read_text(encoding="utf-8")


def test_names_with_markup_are_text_everywhere(viz):
    for path in viz.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<b>угловые" not in text, path
        assert len(re.findall(r"<script\b", text)) == text.count("</script>"), path
    card = (viz / "cards" / "desnogorsk.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; «Тест»" in card
    assert "Фестиваль &quot;Кавычки&quot; &amp; &lt;b&gt;угловые&lt;/b&gt; скобки" in card
    network = (viz / "network.html").read_text(encoding="utf-8")
    embedded = re.search(r'<script type="application/json" id="bkg-data">(.*?)</script>', network, re.S)
    assert XSS_NAME in json.loads(embedded.group(1))["events"]["name"]


@given(st.recursive(st.text() | st.integers() | st.none(),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                    max_leaves=10))
def test_script_json_round_trips_and_cannot_close_a_script(value):
    text = script_json(value)
    assert json.loads(text) == value
    assert not set("<>&\u2028\u2029") & set(text)


def test_network_edges_carry_twins_agreements_and_sources(data):
    payload = network_payload(data)
    nodes, events = payload["nodes"], payload["events"]
    assert sum(n["side"] == "ru" for n in nodes) == 27
    assert all(0 <= e[0] < len(nodes) and 0 <= e[1] < len(nodes) for e in payload["edges"])
    by_pair = {(nodes[e[0]]["id"], nodes[e[1]]["id"]): e for e in payload["edges"]}
    twin = by_pair[("m:desnogorsk", "p:by-chavusy-raion")]
    assert twin[3] == 1 and twin[4] == [2025]
    [i] = twin[2]
    assert events["name"][i] == XSS_NAME and events["row"][i] == 85
    assert payload["docs"][events["doc"][i]] == "report_q2_2025.txt"
    assert events["anchor"][i].startswith("ev-report_q2_2025-txt-85")
    assert nodes[twin[0]]["card"] == "cards/desnogorsk.html"
    # an agreement (2), and quiet (4): its only event, June 2024, is before the last four quarters
    assert by_pair[("m:desnogorsk", "p:by-orsha-raion")][3] == 2 | 4 and not payload["big"]
    assert by_pair[("m:desnogorsk", "p:by-orsha-raion")][5] == [["2024", 1]]


def _tiny(events, twins=()) -> ViewData:
    """Two municipalities and two partners; the partnerships are given as the layer would
    give them: a pair per municipality and partner place named (no roll-up here)."""
    munis = {"a": Municipality("a", "город А", 54.8, 32.0), "b": Municipality("b", "Б муниципальный округ")}
    places = {"x": Place("x", "Икс", "raion", "o", "x", 55.0, 30.0), "y": Place("y", "Игрек", "settlement")}
    pairs: dict = {}
    for event in events:
        for place in event.partners:
            pair = pairs.setdefault((event.municipality, place), Partnership(event.municipality, place))
            pair.events.append(event)
            pair.joint_events += 1
    return ViewData(munis, places, events, list(twins), {"o": "Витебская область"}, list(pairs.values()))


def test_timeline_counts_quarters_with_gaps_and_cumulative_partnerships():
    src = Source("r.txt", 1)
    data = _tiny([Event("1", "e1", src, "2024-02-01", municipality="a", partners=["x"]),
                  Event("2", "e2", src, "2024-08", municipality="a", partners=["x", "y"]),
                  Event("3", "e3", src, "2024", municipality="b", partners=["y"]),
                  Event("4", "e4", src, None, municipality="b")])
    payload = timeline_payload(data)
    assert payload["quarters"] == ["2024 Q1", "2024 Q2", "2024 Q3"]
    assert payload["events"] == [1, 0, 1]
    assert payload["cumulative"] == [1, 1, 2] and payload["active"] == [1, 0, 2]
    assert (payload["yearOnly"], payload["undated"]) == (1, 1)


def test_twin_link_without_joint_event_is_listed_but_is_no_partnership():
    from borderkg.views.cards import render_card

    data = _tiny([], [TwinLink("b", "y", None, Source("r.txt", 2))])
    assert data.partnerships == [] and network_payload(data)["edges"] == []
    assert "Побратимские связи" in render_card(data, data.municipalities["b"])


def test_a_big_network_opens_in_the_geographic_layout():
    places = {f"p{i}": Place(f"p{i}", f"Место {i}", "settlement", "o", "", 53 + i % 7, 24 + i % 9)
              for i in range(BIG_NETWORK + 1)}
    data = ViewData({"a": Municipality("a", "А")}, places, [], [], {}, [Partnership("a", p, 1) for p in places])
    assert network_payload(data)["big"]


def test_views_command_writes_pages_and_reports_a_missing_store(tmp_path, store):
    from borderkg.commands.views import views

    missing = CliRunner().invoke(views, ["--store", str(tmp_path / "nope"), "--out", str(tmp_path / "v")])
    assert missing.exit_code == 1 and "no store" in missing.output
    store_dir = tmp_path / "store"
    from borderkg.store import OxigraphStore

    disk = OxigraphStore(store_dir)
    disk.native.extend(store.native.quads_for_pattern(None, None, None, None))
    disk.close()
    result = CliRunner().invoke(views, ["--store", str(store_dir), "--out", str(tmp_path / "v")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "v" / "cards" / "desnogorsk.html").exists()


def test_views_read_the_shipped_outlines_without_shapely(tmp_path):
    """The outlines are simplified at data build time (python -m borderkg.views.outlines):
    writing the views loads no geometry library, and the shipped file is up to date."""
    import subprocess
    import sys

    script = ("import sys\n"
              "from borderkg.views.map import raion_outlines, render_map\n"
              "from borderkg.views.model import Municipality, ViewData\n"
              "assert len(raion_outlines()) > 100\n"
              "render_map(ViewData({'a': Municipality('a', 'А', 54.8, 32.0)}, {}, []))\n"
              "assert 'shapely' not in sys.modules, 'shapely was imported'\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    from borderkg.views.outlines import main

    checked = CliRunner().invoke(main, ["--check"])
    assert checked.exit_code == 0, checked.output
    stale = tmp_path / "outlines.geojson"
    stale.write_text("{}", encoding="utf-8")
    assert CliRunner().invoke(main, ["--check", "--out", str(stale)]).exit_code == 1


def test_views_pdf_names_the_package_to_install_when_chromium_is_missing(tmp_path, monkeypatch):
    from borderkg.commands.views import views
    from borderkg.store import OxigraphStore
    from borderkg.views import browser

    OxigraphStore(tmp_path / "store").close()
    monkeypatch.setattr(browser, "chromium_path", lambda: None)
    result = CliRunner().invoke(views, ["--pdf", "--out", str(tmp_path / "viz"), "--store", str(tmp_path / "store")])
    assert result.exit_code == 1
    assert "cannot print the cards to PDF" in result.output and "apt-get install -y chromium" in result.output
    assert (tmp_path / "viz" / "index.html").exists(), "the HTML views are written all the same"
