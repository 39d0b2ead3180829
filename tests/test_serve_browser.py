"""The query page of ``borderkg serve`` in a real browser (headless Debian Chromium through
Playwright, as tests/test_views_browser.py): YASGUI loads with no error, a saved query runs
with a parameter from its form, results sort, download and reopen from a share link, an IRI
opens the entity page, coordinates draw on the map, prefixes complete from the project's own
list, and a page of another origin queries the endpoint with ``fetch`` (CORS).

No request leaves 127.0.0.1: every request the browser makes is recorded (and any other is
aborted by the adapter), and the test checks them all.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import re
import threading
import urllib.parse

import pytest

from borderkg.serve import ServeConfig, Server
from borderkg.views.browser import chromium, why_no_browser
from test_serve import request, store_dir, viz_dir  # noqa: F401

pytestmark = pytest.mark.skipif(why_no_browser() is not None,
                                reason=f"browser tests need Chromium: {why_no_browser()}")

MUNICIPALITY = "Хиславичский муниципальный округ"
POINTS = ("SELECT ?place ?name ?wkt WHERE { ?place a bkg:Raion ; schema:name ?name ; "
          "geo:hasGeometry/geo:asWKT ?wkt } ORDER BY ?name LIMIT 12")
REQUESTS: list[str] = []  # every URL the browser asked for, over the module


@pytest.fixture(scope="module")
def server(store_dir, viz_dir):
    with Server(ServeConfig(store=store_dir, port=0, viz=viz_dir, reload_interval=0)) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with chromium() as open_page:
        blank = open_page("about:blank").page
        blank.context.on("request", lambda req: REQUESTS.append(req.url))  # every page's, from now
        yield open_page
    assert REQUESTS  # pages, scripts, queries
    hosts = {urllib.parse.urlsplit(url).hostname for url in REQUESTS
             if not url.startswith(("data:", "blob:", "about:"))}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts


def ready(v):
    v.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=20_000)
    return v


def plain(cell: str) -> str:
    """A cell's value without the quotes, language tag or datatype YASR shows with it.

    >>> plain('"Мстиславль"@ru'), plain('"1"^^xsd:integer'), plain("id:event/x")
    ('Мстиславль', '1', 'id:event/x')
    """
    found = re.fullmatch(r'"(.*)"(?:@[\w-]+|\^\^\S+)?', cell, re.S)
    return found.group(1) if found else cell


def results(page) -> list[list[str]]:
    """The rows of the result table as shown (cells' values, row number left out)."""
    page.wait_for_selector(".tabPanel.active .yasr table.dataTable tbody tr td:nth-child(2)", timeout=20_000)
    return [[plain(c) for c in row] for row in page.evaluate("""() => [...document.querySelectorAll('.tabPanel.active .yasr table.dataTable tbody tr')]
        .map(tr => [...tr.querySelectorAll('td')].slice(1).map(td => td.innerText.trim()))""")]


def first_column_once(page, settled, timeout_s: float = 10.0) -> list[str]:
    """The first column as shown once ``settled(column)`` holds (a click re-sorts the table
    after it returns), or as it is when ``timeout_s`` has passed."""
    import time

    deadline = time.monotonic() + timeout_s
    while True:
        column = [row[0] for row in results(page)]
        if settled(column) or time.monotonic() > deadline:
            return column
        page.wait_for_timeout(50)


def assert_clean(v):
    assert v.errors == [], v.errors
    assert v.dialogs == [], v.dialogs


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_page_loads_in_russian_with_the_saved_queries(browser, server):
    v = ready(browser(server.url))
    page = v.page
    assert page.evaluate("document.documentElement.lang") == "ru"
    assert page.locator("#examples a[data-example]").count() >= 10
    assert page.locator(".yasqe .CodeMirror").count() == 1
    assert "Запрос" in page.inner_text(".yasgui .tabsList")
    assert_clean(v)


def test_a_saved_query_with_a_parameter_sorts_downloads_and_shares(browser, server, tmp_path):
    v = ready(browser(server.url))
    page = v.page
    page.click("a[data-example='partners-of-municipality']")
    field = page.locator("#params-fields input[name='municipality']")
    assert field.input_value() == "Руднянский муниципальный округ"  # the default
    field.fill(MUNICIPALITY)
    page.click("#params-submit")
    page.wait_for_function("() => document.querySelector('.tabPanel.active .yasr table.dataTable') && "
                           "document.querySelector('.tabPanel.active .yasr').innerText.includes('Мстиславль')", timeout=20_000)
    shown = results(page)
    status, _, body = request(server.url + "queries/partners-of-municipality?" + urllib.parse.urlencode(
        {"municipality": MUNICIPALITY, "format": "csv"}))
    expected = csv_rows(body.decode())
    assert status == 200 and len(expected) >= 2
    assert [row[0] for row in shown] == [r["partner"] for r in expected]

    # sort on the first column, twice: ascending then descending
    header = page.locator(".tabPanel.active .yasr table.dataTable thead th").nth(1)
    header.click()
    ascending = first_column_once(page, lambda column: column == sorted(column))
    header.click()
    descending = first_column_once(page, lambda column: column != ascending)
    assert ascending == sorted(ascending) and descending == ascending[::-1] and ascending != descending

    # download: the same rows as the server gives for these values
    with page.expect_download() as waiting:
        page.click("#dl-csv")
    saved = tmp_path / "result.csv"
    waiting.value.save_as(saved)
    assert csv_rows(saved.read_text(encoding="utf-8")) == expected
    for fmt, kind in (("json", "application/sparql-results+json"), ("tsv", "text/tab-separated-values")):
        status, got, body = request(page.get_attribute(f"#dl-{fmt}", "href"))
        assert status == 200 and got.startswith(kind) and "Мстиславль" in body.decode(), fmt

    # share link: a new page opened on it shows the same query, values and rows
    page.click("#share")
    link = page.input_value("#share-link")
    assert link.startswith(server.url + "?saved=partners-of-municipality&")
    again = ready(browser(link))
    again.page.wait_for_function("() => document.querySelector('.tabPanel.active .yasr') && "
                                 "document.querySelector('.tabPanel.active .yasr').innerText.includes('Мстиславль')", timeout=20_000)
    assert [row[0] for row in results(again.page)] == [r["partner"] for r in expected]
    assert again.page.locator("#params-fields input[name='municipality']").input_value() == MUNICIPALITY
    assert_clean(v)
    assert_clean(again)


def test_a_query_link_reopens_and_an_iri_opens_the_entity_page(browser, server):
    query = "SELECT ?event ?name WHERE { ?event a schema:Event ; schema:name ?name } ORDER BY ?name"
    v = ready(browser(server.url + "?" + urllib.parse.urlencode({"query": query})))
    page = v.page
    rows = results(page)
    assert len(rows) >= 3 and "Межрегиональный турнир по волейболу" in {r[1] for r in rows}
    assert page.evaluate("bkgYasgui.getTab().getQuery()") == query
    page.locator(".tabPanel.active .yasr a.iri", has_text="event/report.txt/75").first.click()
    page.wait_for_selector("#label", timeout=20_000)
    assert "/entity?iri=" in page.url
    assert page.inner_text("#label") == "Межрегиональный турнир по волейболу"
    assert "schema:Event" in page.inner_text("#types")
    assert "report.txt, row 75" in page.inner_text("#sources")
    page.locator("#out a.iri", has_text="id:").first.click()  # on to a linked entity
    page.wait_for_selector("#label", timeout=20_000)
    assert page.locator("#in a.iri").count() >= 1  # what links to it: the event at least
    assert_clean(v)


def test_a_bad_query_shows_one_sentence_in_russian_surroundings(browser, server):
    v = ready(browser(server.url + "?" + urllib.parse.urlencode({"query": "SELECT *\nWHERE { ?s foaf:x ?o }"})))
    page = v.page
    page.wait_for_function("() => document.querySelector('.tabPanel.active .yasr')"
                           ".innerText.includes('unknown prefix')", timeout=20_000)
    shown = page.inner_text(".tabPanel.active .yasr")
    assert "unknown prefix foaf: at line 2, column 12" in shown and "expected one of" not in shown
    assert "Ответ за" in shown
    assert [e for e in v.errors if "status of 400" not in e] == []  # the 400 itself is logged


def test_long_results_are_paged(browser, server):
    query = "SELECT ?place ?name WHERE { ?place a bkg:Settlement ; schema:name ?name } ORDER BY ?name"
    v = ready(browser(server.url + "?" + urllib.parse.urlencode({"query": query})))
    page = v.page
    first = results(page)
    info = page.inner_text(".tabPanel.active .yasr .dt-info")
    assert len(first) == 50 and info.startswith("Строки 1–50 из ")
    page.locator(".tabPanel.active .yasr .dt-paging button", has_text="›").click()
    assert page.inner_text(".tabPanel.active .yasr .dt-info").startswith("Строки 51–")
    assert results(page)[0] != first[0]
    assert_clean(v)


def test_results_with_coordinates_draw_on_the_map(browser, server):
    v = ready(browser(server.url + "?" + urllib.parse.urlencode({"query": POINTS})))
    page = v.page
    rows = results(page)
    assert len(rows) == 12
    page.click(".tabPanel.active .yasr .select_bkgMap")
    page.wait_for_selector(".bkg-map path.bkg-point", timeout=20_000)
    assert page.locator(".bkg-map path.bkg-point").count() == 12
    assert page.locator(".bkg-map img").count() == 0  # no tiles
    assert_clean(v)


def test_prefixes_complete_from_the_project_list(browser, server):
    v = ready(browser(server.url))
    page = v.page
    page.evaluate("""() => { const y = bkgYasgui.getTab().getYasqe();
        y.setValue('PREFIX bk'); y.focus(); y.getDoc().setCursor({line: 0, ch: 9}); y.autocomplete(); }""")
    page.wait_for_selector(".CodeMirror-hints li", timeout=10_000)
    hints = page.locator(".CodeMirror-hints li").all_inner_texts()
    assert any("bkg: <https://w3id.org/borderkg/ontology#>" in h for h in hints), hints
    assert_clean(v)


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    """A page of another origin (localhost on another port) that asks the endpoint."""
    root = tmp_path_factory.mktemp("elsewhere")
    (root / "index.html").write_text("<!doctype html><meta charset=utf-8><title>elsewhere</title>",
                                     encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://localhost:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_a_page_of_another_origin_queries_with_fetch(browser, server, elsewhere):
    v = browser(elsewhere)
    answers = v.page.evaluate("""async (endpoint) => {
        const q = 'SELECT (COUNT(?e) AS ?n) WHERE { ?e a schema:Event }';
        const post = await fetch(endpoint, {method: 'POST', body: q, headers: {
            'Content-Type': 'application/sparql-query', 'Accept': 'application/sparql-results+json'}});
        const get = await fetch(endpoint + '?format=csv&query=' + encodeURIComponent(q));
        return [post.status, (await post.json()).results.bindings[0].n.value,
                post.headers.get('X-Borderkg-Generation'), get.status, await get.text()]; }""",
                              server.url + "sparql")
    assert answers[0] == 200 and int(answers[1]) >= 3 and answers[2] is not None
    assert answers[3] == 200 and answers[4].split() == ["n", answers[1]]
    assert_clean(v)
