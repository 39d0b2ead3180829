"""The views in a real browser (headless Debian Chromium through Playwright) at 1366×768:
each page renders its nodes, arcs and charts with no JavaScript error, from file:// and over
HTTP, names with markup show as text, text is at least 11 px, map and network labels do
not overlap, a view's address reopens it as it was, «PNG» and «таблица» work, and each
card prints to one clean A4 page. Screenshots go to viz/screenshots/."""

from __future__ import annotations

import functools
import http.server
import io
import threading
from pathlib import Path

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
    with chromium(1366, 768) as open_page:  # a planner's laptop
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
    assert index.page.locator("table.cards a[href^='cards/']").count() == 27
    assert "Оршанский район" in index.page.inner_text("table.quiet-list")  # quiet since June 2024
    assert_clean(index)


def test_views_of_a_store_without_events_still_work(browser, tmp_path):
    from borderkg.views.model import Municipality, ViewData

    data = ViewData({"a": Municipality("a", "город А", 54.8, 32.0)}, {}, [], [], {})
    write_views(data, tmp_path, raions=[])
    for name in ("network.html", "map.html", "timeline.html", "index.html", "cards/a.html"):
        v = visit(browser, (tmp_path / name).as_uri())
        assert_clean(v)
    assert "нет мероприятий" in v.page.inner_text("main")


# --- legible, shareable, printable (issue 16) ---------------------------------------------------

SMALL_TEXT = """() => { const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, el = node.parentElement;
      if (!node.textContent.trim() || !el || el.closest('script, style, [hidden], .leaflet-control-attribution')) continue;
      const r = el.getBoundingClientRect(), style = getComputedStyle(el);
      if (!r.width || !r.height || style.visibility === 'hidden' || style.display === 'none') continue;
      const px = parseFloat(style.fontSize);
      if (px < 11) out.push([node.textContent.trim().slice(0, 40), px]);
    }
    return out; }"""


@pytest.mark.parametrize("name", PAGES)
def test_every_text_shown_is_at_least_11_px(browser, viz, name):
    v = visit(browser, (viz / name).as_uri())
    assert v.page.evaluate(SMALL_TEXT) == []
    if name in ("network.html", "map.html"):
        assert v.page.evaluate("bkg.LABEL_PX") >= 11
    if name == "timeline.html":
        assert v.page.evaluate("Chart.defaults.font.size") >= 11
    assert_clean(v)


def test_map_names_every_municipality_it_can_and_no_two_labels_overlap(browser, viz):
    v = visit(browser, (viz / "map.html").as_uri(), "map-1366.png")
    labels = v.page.evaluate("""() => [...document.querySelectorAll('.map-labels span')].map(s => {
        const r = s.getBoundingClientRect();
        return {text: s.textContent, x: r.left, y: r.top, w: r.width, h: r.height,
                px: parseFloat(getComputedStyle(s).fontSize), muni: s.classList.contains('muni')}; })""")
    munis = [b for b in labels if b["muni"]]
    assert len(munis) >= 10, "most Smolensk municipalities are named at the default zoom"
    assert {"Хиславичский", "г. Десногорск", "Руднянский"} <= {b["text"] for b in munis}
    assert all(b["px"] >= 11 for b in labels)
    overlaps = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:]
                if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]]
    assert overlaps == []
    box = v.page.evaluate("(() => { const r = document.getElementById('map').getBoundingClientRect(); "
                          "return [r.left, r.top, r.right, r.bottom]; })()")
    assert all(box[0] <= b["x"] and b["x"] + b["w"] <= box[2] + 1 and box[1] <= b["y"] and b["y"] + b["h"] <= box[3] + 1
               for b in labels), "labels stay on the map"
    legend = v.page.evaluate("(() => { const r = document.querySelector('.side .legend').getBoundingClientRect(); "
                             "return r.left; })()")
    assert legend >= box[2], "the legend is beside the map, not over the data"
    # the municipalities without events are drawn too, named where there is room
    assert v.page.evaluate("document.querySelectorAll('path.bkg-muni').length") == 27
    v.page.evaluate("bkgView.map.zoomIn(2)")
    assert v.page.evaluate("bkg.overlapping(bkgView.labels)") == []
    assert_clean(v)


def test_network_labels_are_legible_and_apart_in_both_layouts(browser, viz):
    v = visit(browser, (viz / "network.html").as_uri())
    for layout in ("force", "geo"):
        v.page.check(f"#l-{layout}")
        v.page.wait_for_timeout(300)
        labels = v.page.evaluate("bkgView.labels")
        assert len(labels) >= 8, layout
        assert v.page.evaluate("bkg.overlapping(bkgView.labels)") == [], layout
    v.page.evaluate("bkgView.network.moveTo({scale: 0.3})")
    v.page.wait_for_timeout(100)
    assert v.page.evaluate("bkg.overlapping(bkgView.labels)") == [], "zoomed out: fewer labels, still apart"
    assert_clean(v)


def test_a_filtered_network_reopens_filtered_from_its_address(browser, viz):
    v = visit(browser, (viz / "network.html").as_uri())
    visible = "() => bkgView.edges.get({filter: e => !e.hidden}).map(e => e.to).sort()"
    v.page.select_option("#f-oblast", label="Могилевская область")
    v.page.check("#f-twin")
    v.page.evaluate("bkgView.showNode('m:desnogorsk')")
    url, shown = v.page.url, v.page.evaluate(visible)
    assert shown == ["p:by-chavusy-raion"] and "oblast=by-mogilev-oblast" in url and "sel=m%3Adesnogorsk" in url
    again = visit(browser, url)
    assert again.page.evaluate(visible) == shown
    assert again.page.input_value("#f-oblast") == "by-mogilev-oblast" and again.page.is_checked("#f-twin")
    assert "город Десногорск" in again.page.inner_text("#detail-title")
    assert "Могилевская область" in again.page.inner_text("#print-state")
    assert_clean(again)


def test_a_filtered_map_and_timeline_reopen_from_their_address(browser, viz):
    v = visit(browser, (viz / "map.html").as_uri())
    v.page.select_option("#f-year", "2024")
    url = v.page.url
    assert "year=2024" in url and v.page.evaluate("bkgView.arcs") == 1
    again = visit(browser, url)
    assert again.page.evaluate("bkgView.arcs") == 1 and again.page.input_value("#f-year") == "2024"
    opened = visit(browser, (viz / "map.html").as_uri() + "#sel=m:desnogorsk&agr=1")
    assert "Десногорск" in opened.page.inner_text(".leaflet-popup-content")
    assert opened.page.evaluate("bkgView.arcs") == 1 and opened.page.is_checked("#f-agreement")
    assert_clean(opened)
    t = visit(browser, (viz / "timeline.html").as_uri())
    t.page.evaluate("""() => { const c = bkgView.charts[0];
        c.options.plugins.legend.onClick.call(c.legend, {}, c.legend.legendItems[0], c.legend); }""")
    assert "hide=0" in t.page.url
    back = visit(browser, t.page.url)
    assert back.page.evaluate("bkgView.charts[0].isDatasetVisible(0)") is False
    assert_clean(back)


@pytest.mark.parametrize("name", ("network.html", "map.html", "timeline.html"))
def test_png_and_table_buttons(browser, viz, name):
    v = visit(browser, (viz / name).as_uri())
    with v.page.expect_download() as download:
        v.page.click("#b-png")
    path = download.value.path()
    data = open(path, "rb").read()
    assert data.startswith(b"\x89PNG") and len(data) > 5000
    assert download.value.suggested_filename == name.replace(".html", ".png")
    assert v.page.is_hidden("#table-box")
    v.page.click("#b-table")
    rows = v.page.locator("#view-table tbody tr").count()
    assert v.page.is_visible("#table-box") and rows == (5 if name != "timeline.html" else 5)
    assert_clean(v)


def test_each_card_prints_to_one_clean_page(browser, viz, tmp_path):
    import shutil

    from pypdf import PdfReader

    from borderkg.views.pdf import card_pdfs

    cards = [viz / "cards" / f"{key}.html" for key in ("desnogorsk", "khislavichsky", "rudnyansky", "demidovsky")]
    copies = []
    (tmp_path / "cards").mkdir()
    shutil.copytree(viz / "static", tmp_path / "static")
    for card in cards:
        copies.append(Path(shutil.copy(card, tmp_path / "cards" / card.name)))
    for pdf in card_pdfs(tmp_path, copies, browser):
        reader = PdfReader(pdf)
        assert len(reader.pages) == 1, pdf.name
        text = reader.pages[0].extract_text()
        assert "Данные отчётов по" in text and "Мероприятий:" in text, pdf.name
        for chrome in ("Сеть партнёрств", "Обзор", "На карте", "Все карточки"):
            assert chrome not in text, (pdf.name, chrome)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "cards" / "desnogorsk.pdf", SHOTS / "card-desnogorsk.pdf")


def test_views_print_without_navigation_and_controls_with_their_table(browser, viz):
    for name in ("network.html", "map.html", "timeline.html"):
        v = visit(browser, (viz / name).as_uri())
        v.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        v.page.emulate_media(media="print")
        assert v.page.locator("#view-table tbody tr").count() == 5, name
        assert v.page.is_hidden("nav.top") and v.page.is_hidden("#filters, .filters")
        assert v.page.is_visible("#table-box") and v.page.is_visible("h1") and v.page.is_visible(".data-date")
        pdf = v.page.pdf(format="A4", prefer_css_page_size=True)
        from pypdf import PdfReader

        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1, name
        assert_clean(v)
