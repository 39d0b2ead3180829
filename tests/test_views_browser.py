"""The views in a real browser (headless Debian Chromium through Playwright): each page
renders its nodes, arcs and charts with no JavaScript error, from file:// and over HTTP, and
names with markup show as text. Screenshots go to viz/screenshots/."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from views_fixture import QUOTES_NAME, XSS_NAME, add_category, build_view_store

from borderkg import paths
from borderkg.views.browser import chromium, why_no_browser
from borderkg.views.data import load_view_data
from borderkg.views.render import write_views

pytestmark = pytest.mark.skipif(why_no_browser() is not None,
                                reason=f"browser tests need Chromium: {why_no_browser()}")

SHOTS = paths.VIZ / "screenshots"
PAGES = ("index.html", "network.html", "map.html", "timeline.html", "cards/desnogorsk.html")


@pytest.fixture(scope="module")
def viz(tmp_path_factory):
    store = build_view_store(tmp_path_factory.mktemp("store"))
    add_category(store, "/86", "Фестиваль")
    out = tmp_path_factory.mktemp("viz")
    write_views(load_view_data(store), out)
    return out


@pytest.fixture(scope="module")
def browser():
    with chromium() as open_page:
        yield open_page


@pytest.fixture(scope="module")
def server(viz):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(viz))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def visit(browser, url, shot=None):
    v = browser(url)
    if "index" not in url and "cards/" not in url:
        v.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=20_000)
    if shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        v.page.screenshot(path=str(SHOTS / shot), full_page=True)
    return v


def assert_clean(v):
    assert v.errors == [], v.errors
    assert v.dialogs == [], v.dialogs


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_from_file_and_http_without_errors(browser, viz, server, name):
    for url in ((viz / name).as_uri(), f"{server}/{name}"):
        v = visit(browser, url)
        assert_clean(v)
        assert v.page.evaluate("document.characterSet") == "UTF-8"
        assert v.page.evaluate("document.querySelectorAll('main script').length") == 0
        if name == "network.html":  # text written by the script: its Cyrillic decoded as UTF-8 too
            assert v.page.inner_text("#stats").startswith("Связей: ")
        v.page.close()


def test_network_draws_nodes_and_edges_and_stops_moving(browser, viz):
    v = visit(browser, (viz / "network.html").as_uri(), "network.png")
    page = v.page
    assert page.inner_text("h1") == "Сеть партнёрств"
    assert page.evaluate("document.querySelectorAll('#network canvas').length") == 1
    shown = page.evaluate("""() => ({
        nodes: bkgView.nodes.get({filter: n => !n.hidden}).length,
        edges: bkgView.edges.get({filter: e => !e.hidden}).length})""")
    assert shown["edges"] == 5 and shown["nodes"] >= 8  # the 5 partnerships of the layer, 3 municipalities
    before = page.evaluate("bkgView.network.getPositions()")
    page.wait_for_timeout(600)
    assert page.evaluate("bkgView.network.getPositions()") == before, "physics still running"
    assert "Связей: 5 · совместных мероприятий: 5" in page.inner_text("#stats")
    assert_clean(v)


def test_network_filters_by_year_category_and_oblast(browser, viz):
    v = visit(browser, (viz / "network.html").as_uri())
    visible = "() => bkgView.edges.get({filter: e => !e.hidden}).map(e => e.to).sort()"
    v.page.evaluate("bkgView.setFilter('year', 2024)")
    assert v.page.evaluate(visible) == ["p:by-orsha-raion"]
    v.page.evaluate("bkgView.setFilter('year', '')")
    v.page.select_option("#f-category", label="Фестиваль")
    assert v.page.evaluate(visible) == ["p:by-orsha-raion"]
    v.page.select_option("#f-category", value="")
    v.page.select_option("#f-oblast", label="Могилевская область")
    assert v.page.evaluate(visible) == ["p:by-chavusy-raion", "p:by-mstsislau-raion"]
    hidden_vitebsk = v.page.evaluate("bkgView.nodes.get('p:by-orsha-raion').hidden")
    assert hidden_vitebsk is True
    assert_clean(v)


def test_tooltip_and_side_panel_follow_the_filters(browser, viz):
    """A node's tooltip counts distinct events over its visible links, and the open tooltip
    and side panel are redrawn when a filter changes (they kept the unfiltered numbers)."""
    v = visit(browser, (viz / "network.html").as_uri())
    hover = """() => { bkgView.network.emit('hoverNode', {node: 'm:khislavichsky', pointer: {DOM: {x: 5, y: 5}}});
                       return document.querySelector('.bkg-tooltip').textContent; }"""
    # Khislavichi: the telebridge names two raions (one event on two links), the tournament one.
    text = v.page.evaluate(hover)
    assert "Совместных мероприятий: 2" in text and "Партнёров: 2" in text
    v.page.evaluate("bkgView.showNode('m:khislavichsky')")
    assert v.page.text_content("#detail") .count("Источник:") == 2
    v.page.select_option("#f-oblast", label="Могилевская область")
    text = v.page.text_content(".bkg-tooltip")
    assert "Совместных мероприятий: 2" in text and "Партнёров: 1" in text
    v.page.select_option("#f-oblast", label="Витебская область")
    text = v.page.text_content(".bkg-tooltip")
    assert "Совместных мероприятий: 1" in text and "Партнёров: 1" in text
    assert "Совместных мероприятий: 1" in v.page.text_content("#detail")
    assert_clean(v)


def test_network_geographic_layout_places_nodes_by_coordinates(browser, viz):
    v = visit(browser, (viz / "network.html").as_uri())
    v.page.check("#l-geo")
    v.page.wait_for_timeout(200)
    got = v.page.evaluate("""() => { const D = JSON.parse(document.getElementById('bkg-data').textContent);
        const n = D.nodes.find(n => n.id === 'p:by-orsha-raion');
        const p = bkgView.network.getPositions(['p:by-orsha-raion'])['p:by-orsha-raion'];
        return [n.gx, n.gy, p.x, p.y]; }""")
    assert got[0] == pytest.approx(got[2], abs=1) and got[1] == pytest.approx(got[3], abs=1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    v.page.screenshot(path=str(SHOTS / "network-geo.png"))
    assert_clean(v)


def test_network_shows_names_with_markup_as_text(browser, viz):
    v = visit(browser, (viz / "network.html").as_uri())
    edge = v.page.evaluate("bkgView.edges.get({filter: e => e.to === 'p:by-chavusy-raion'})[0]")
    assert XSS_NAME in v.page.evaluate(f"bkgView.tooltipText('edge', {edge['id']})")
    # hover the middle of the edge: the tooltip shows the event's name as text
    x, y = v.page.evaluate("""() => { const n = bkgView.network;
        const p = n.getPositions(['m:desnogorsk', 'p:by-chavusy-raion']);
        const a = n.canvasToDOM(p['m:desnogorsk']), b = n.canvasToDOM(p['p:by-chavusy-raion']);
        const r = document.querySelector('#network canvas').getBoundingClientRect();
        return [r.left + (a.x + b.x) / 2, r.top + (a.y + b.y) / 2]; }""")
    v.page.mouse.move(x - 5, y - 5)
    v.page.mouse.move(x, y)
    v.page.wait_for_selector(".bkg-tooltip:not([hidden])", timeout=5000)
    tip = v.page.inner_text(".bkg-tooltip")
    assert XSS_NAME in tip and "Побратимские связи" in tip
    assert v.page.evaluate("document.querySelectorAll('.bkg-tooltip *').length") == 0
    v.page.evaluate(f"bkgView.showEdge({edge['id']})")
    detail = v.page.inner_text("#detail")
    assert XSS_NAME in detail and "report_q2_2025.txt, строка 85" in detail
    assert v.page.evaluate("document.querySelectorAll('#detail script, #detail b').length") == 0
    v.page.evaluate("bkgView.showNode('m:desnogorsk')")
    assert QUOTES_NAME in v.page.inner_text("#detail")
    v.page.click("#detail a[href*='cards/desnogorsk.html#ev-']")
    v.page.wait_for_load_state()
    assert v.page.url.split("#")[0].endswith("cards/desnogorsk.html")
    assert_clean(v)


def test_map_draws_raions_arcs_and_places(browser, viz):
    v = visit(browser, (viz / "map.html").as_uri(), "map.png")
    page = v.page
    arcs = page.evaluate("document.querySelectorAll('path.bkg-arc').length")
    assert arcs == page.evaluate("bkgView.arcs") == 5
    assert page.evaluate("document.querySelectorAll('path.bkg-raion').length") > 100
    assert page.evaluate("document.querySelectorAll('path.bkg-muni').length") == 27
    assert page.evaluate("document.querySelectorAll('path.bkg-place').length") == 5
    page.locator("path.bkg-arc").nth(0).dispatch_event("click")
    page.select_option("#f-year", "2024")
    assert page.evaluate("document.querySelectorAll('path.bkg-arc').length") == 1  # Desnogorsk–Orsha raion
    assert_clean(v)


def test_map_popup_shows_names_as_text(browser, viz):
    v = visit(browser, (viz / "map.html").as_uri())
    v.page.evaluate("""() => { bkgView.map.eachLayer(l => {
        if (l.getPopup && l.getPopup() && l.options.className === 'bkg-muni'
            && l.getPopup().getContent().textContent.includes('Десногорск')) l.openPopup(); }); }""")
    popup = v.page.inner_text(".leaflet-popup-content")
    assert XSS_NAME in popup and QUOTES_NAME in popup
    assert v.page.evaluate("document.querySelectorAll('.leaflet-popup-content script').length") == 0
    assert_clean(v)


def test_timeline_draws_both_charts(browser, viz):
    v = visit(browser, (viz / "timeline.html").as_uri(), "timeline.png")
    charts = v.page.evaluate("""() => bkgView.charts.map(c => ({
        labels: c.data.labels, sets: c.data.datasets.map(d => d.label),
        bars: c.getDatasetMeta(0).data.length }))""")
    assert charts[0]["labels"] == ["2024 Q2", "2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2"]
    assert "Фестиваль" in charts[0]["sets"] and charts[0]["bars"] == 5
    assert charts[1]["sets"][0].startswith("партнёрств всего")
    painted = v.page.evaluate("""() => { const c = document.getElementById('chart-events');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i]) n++; return n; }""")
    assert painted > 1000
    assert_clean(v)


def test_card_and_index(browser, viz):
    v = visit(browser, (viz / "cards" / "desnogorsk.html").as_uri(), "card-desnogorsk.png")
    titles = v.page.locator("article.event h3").all_inner_texts()
    assert XSS_NAME in titles and QUOTES_NAME in titles
    assert "Чаусы" in v.page.inner_text("main table")
    assert_clean(v)
    index = visit(browser, (viz / "index.html").as_uri(), "index.png")
    assert index.page.locator("a[href^='cards/']").count() == 27
    assert_clean(index)


def test_views_of_a_store_without_events_still_work(browser, tmp_path):
    from borderkg.views.model import Municipality, ViewData

    data = ViewData({"a": Municipality("a", "город А", 54.8, 32.0)}, {}, [], [], {})
    write_views(data, tmp_path, raions=[])
    for name in ("network.html", "map.html", "timeline.html", "index.html", "cards/a.html"):
        v = visit(browser, (tmp_path / name).as_uri())
        assert_clean(v)
    assert "нет мероприятий" in v.page.inner_text("main")
