"""The endpoint as clients expect it (issue 15): every saved query sent unchanged with curl,
the project's prefixes predeclared, errors in one sentence, ``format=``, CORS and ``OPTIONS``,
the Service Description with VoID, the saved queries over HTTP, SPARQLWrapper and rdflib's
SPARQLStore without PREFIX lines. One ``borderkg serve`` (the command) for the module.

Every request goes to 127.0.0.1; the server listens on a free port.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from borderkg import paths
from borderkg.query import load_query, run_query, saved_queries
from borderkg.serve import service_mentions
from borderkg.serve.protocol import declared_prefixes
from borderkg.vocab import PREFIXES
from test_serve import request, store_dir  # noqa: F401

EVENTS = "SELECT (COUNT(?e) AS ?n) WHERE { ?e a schema:Event }"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


@pytest.fixture(scope="module")
def url(store_dir):
    """``borderkg serve`` on a free port (0: it prints the one it took). Its time limit is a
    minute: a saved query sent unchanged has its parameters unbound, so it asks for every
    value (``partner-link-sources``: every municipality and partner, ~13 s here)."""
    code = "from borderkg.commands.serve import serve; serve()"
    command = subprocess.Popen([sys.executable, "-c", code, "--store", str(store_dir), "--port", "0",
                                "--timeout", "60", "--quiet"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        banner = command.stderr.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", banner)
        assert found, banner + command.stderr.read()
        yield found.group(1)
    finally:
        command.terminate()
        command.wait(30)


@pytest.fixture(scope="module")
def events(store_dir) -> int:
    store = pyoxigraph.Store.read_only(str(store_dir))
    return int(next(iter(store.query(EVENTS, use_default_graph_as_union=True,
                                     prefixes=PREFIXES)))["n"].value)


def get(url, **params):
    return request(url + "?" + urllib.parse.urlencode(params))


def ask(url, query, accept="application/sparql-results+json", **params):
    target = url + "sparql" + ("?" + urllib.parse.urlencode(params) if params else "")
    return request(target, query.encode(), {"Content-Type": "application/sparql-query", "Accept": accept})


def count(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# --- every saved query, unchanged, as curl sends it ---------------------------------------

QUERY_FILES = sorted(paths.QUERIES.rglob("*.rq"))


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: str(p.relative_to(paths.QUERIES)))
def test_curl_runs_every_saved_query_unchanged(url, path):
    out = subprocess.run(["curl", "-sS", "--max-time", "90", "-w", "\n%{http_code}",
                          "-H", "Content-Type: application/sparql-query",
                          "--data-binary", f"@{path}", url + "sparql"],
                         capture_output=True, check=True)
    body, _, status = out.stdout.rpartition(b"\n")
    if service_mentions(path.read_text(encoding="utf-8")):  # federated: refused, not fetched
        assert status == b"403" and b"SERVICE" in body, body[:300]
    else:
        assert status == b"200", body[:300]
        # a SELECT's answer always has its header; a CONSTRUCT of a derived layer that reads
        # another layer can be an empty graph on this small store, which is a whole answer
        constructs = re.search(r"(?im)^\s*CONSTRUCT\b", path.read_text(encoding="utf-8"))
        assert body.strip() or constructs


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: str(p.relative_to(paths.QUERIES)))
def test_every_saved_query_declares_the_prefixes_it_uses(path):
    text = path.read_text(encoding="utf-8")
    body = re.sub(r'(?m)#.*$|<[^<>\s]*>|"(?:[^"\\\n]|\\.)*"', " ", text)
    used = set(re.findall(r"(?<![\w?$:-])([A-Za-z][\w-]*):(?=[\w%\\])", body))
    assert used <= declared_prefixes(text), sorted(used - declared_prefixes(text))


# --- prefixes and errors ------------------------------------------------------------------

def test_the_project_prefixes_are_predeclared_and_a_query_keeps_its_own(url, events):
    status, _, body = ask(url, EVENTS)
    assert status == 200 and count(body) == events > 0
    own = "PREFIX schema: <http://not-schema.example/>\n" + EVENTS
    status, _, body = ask(url, own)
    assert status == 200 and count(body) == 0  # its own schema: won, no duplicate declaration
    status, _, body = ask(url, "BASE <http://x/>\n" + EVENTS)
    assert status == 200 and count(body) == events


@pytest.mark.parametrize("query, sentence", [
    ("SELECT *\nWHERE { ?s foaf:name ?o }",
     "unknown prefix foaf: at line 2, column 12 (declare it with PREFIX foaf: <…>; predeclared: "),
    ("PREFIX ex: <http://ex/>\n\n\n\n\nSELECT * WHERE { ?s ex:p ?o . FILTER(?o = ) }",
     "syntax error at line 6, column "),
    ("SELECT ?x WHERE { ?x", "syntax error at line 1, column "),
])
def test_a_parser_error_is_one_sentence(url, query, sentence):
    status, kind, body = ask(url, query)
    text = body.decode()
    assert status == 400 and text.startswith(sentence), text
    assert text.count("\n") == 1 and "expected one of" not in text and "\\u{" not in text


# --- format= --------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, kind", [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
])
def test_format_is_honoured_for_select(url, events, fmt, kind):
    for status, got, body in (ask(url, EVENTS, "application/sparql-results+json", format=fmt),
                              get(url + "sparql", query=EVENTS, format=fmt)):
        assert status == 200 and got.startswith(kind), (fmt, got)
        assert str(events) in body.decode()


@pytest.mark.parametrize("fmt, kind", [
    ("turtle", "text/turtle"), ("ntriples", "application/n-triples"),
    ("jsonld", "application/ld+json"), ("xml", "application/rdf+xml"),
    ("json", "application/ld+json"),
])
def test_format_is_honoured_for_construct(url, fmt, kind):
    query = "CONSTRUCT { ?e a schema:Event } WHERE { ?e a schema:Event }"
    status, got, body = get(url + "sparql", query=query, format=fmt)
    assert status == 200 and got.startswith(kind), (fmt, got)
    graph = rdflib.Graph().parse(data=body, format={"text/turtle": "turtle", "application/n-triples": "nt",
                                                    "application/ld+json": "json-ld",
                                                    "application/rdf+xml": "xml"}[kind])
    assert len(graph) > 0


def test_an_unknown_format_is_a_sentence(url):
    status, _, body = get(url + "sparql", query=EVENTS, format="yaml")
    assert status == 400 and body.startswith(b"unknown format=yaml: use one of json, xml, csv")


# --- CORS -----------------------------------------------------------------------------------

def test_cors_headers_and_a_preflight(url):
    import urllib.request

    origin = "https://elsewhere.example"
    req = urllib.request.Request(url + "sparql?" + urllib.parse.urlencode({"query": "ASK {}"}),
                                 headers={"Origin": origin})
    with urllib.request.urlopen(req, timeout=20) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "X-Borderkg-Generation" in response.headers["Access-Control-Expose-Headers"]
    preflight = urllib.request.Request(url + "sparql", method="OPTIONS", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"})
    with urllib.request.urlopen(preflight, timeout=20) as response:
        assert response.status == 200
        assert "POST" in response.headers["Access-Control-Allow-Methods"]
        assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()
        assert response.headers["Content-Security-Policy"]  # the guard's headers too
    plain = urllib.request.Request(url + "sparql", method="OPTIONS")
    with urllib.request.urlopen(plain, timeout=20) as response:
        assert response.status == 204 and "POST" in response.headers["Allow"]


# --- the Service Description ----------------------------------------------------------------

def test_get_without_a_query_is_a_service_description_with_void(url, store_dir, events):
    store = pyoxigraph.Store.read_only(str(store_dir))
    graphs = len(list(store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")))
    triples = len(store)  # quads; the union counts each triple once
    union = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                      use_default_graph_as_union=True)))["n"].value)
    largest = next(iter(store.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c "
                                    "ORDER BY DESC(?n) ?c LIMIT 1", use_default_graph_as_union=True)))
    for accept, syntax in (("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
                           ("application/ld+json", "json-ld"), ("", "turtle")):
        status, kind, body = request(url + "sparql", headers={"Accept": accept} if accept else {})
        assert status == 200 and kind.startswith(accept or "text/turtle"), (accept, kind)
        graph = rdflib.Graph().parse(data=body, format=syntax)
        service = rdflib.URIRef(url + "sparql")
        assert (service, rdflib.URIRef(SD + "endpoint"), service) in graph
        assert (service, rdflib.URIRef(SD + "supportedLanguage"), rdflib.URIRef(SD + "SPARQL11Query")) in graph
        counted = {int(o) for o in graph.objects(None, rdflib.URIRef(VOID + "triples"))}
        assert union in counted and union <= triples
        assert len(set(graph.objects(None, rdflib.URIRef(SD + "namedGraph")))) == graphs
        classes = {str(o) for o in graph.objects(None, rdflib.URIRef(VOID + "class"))}
        assert largest["c"].value in classes
        assert int(largest["n"].value) in {int(o) for o in graph.objects(None, rdflib.URIRef(VOID + "entities"))}
    assert request(url + "sparql", headers={"Accept": "text/html"})[0] == 200  # redirected to the page


# --- saved queries over HTTP ------------------------------------------------------------------

def test_the_saved_queries_are_listed_as_json(url):
    status, kind, body = request(url + "queries")
    listed = json.loads(body)
    assert status == 200 and kind.startswith("application/json")
    assert [q["name"] for q in listed] == [q.name for q in saved_queries()]
    top = next(q for q in listed if q["name"] == "top-organisations")
    assert top["params"] == [{"name": "top", "kind": "int", "default": "5"}]
    assert top["url"] == url + "queries/top-organisations"


def test_a_saved_query_runs_with_its_parameters_bound(url, store_dir):
    saved = load_query("partners-of-municipality")
    values = {"municipality": "Хиславичский муниципальный округ"}
    store = pyoxigraph.Store.read_only(str(store_dir))
    expected = [[s[v].value for v in ("partner",)] for s in run_query(store, saved, values)]
    status, kind, body = get(url + "queries/partners-of-municipality", format="csv", **values)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert status == 200 and kind.startswith("text/csv")
    assert [[r["partner"]] for r in rows] == expected and expected
    status, _, body = get(url + "queries/partners-of-municipality", municipality='x" } DROP ALL')
    assert status == 200 and json.loads(body)["results"]["bindings"] == []  # a value, not text
    status, _, body = get(url + "queries/top-organisations", top="abc")
    assert status == 400 and b"not a whole number" in body
    status, _, body = get(url + "queries/top-organisations", nope="1")
    assert status == 400 and b"no parameter nope" in body
    assert request(url + "queries/missing")[0] == 404


# --- standard clients without PREFIX lines ---------------------------------------------------

def test_sparqlwrapper_and_rdflib_sparqlstore_use_the_predeclared_prefixes(url, events):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(url + "sparql")
    client.setQuery(EVENTS)
    client.setReturnFormat(JSON)
    assert int(client.queryAndConvert()["results"]["bindings"][0]["n"]["value"]) == events
    store = SPARQLStore(url + "sparql", returnFormat="json")
    rows = list(store.query("SELECT ?e WHERE { ?e a schema:Event ; bkg:reportingMunicipality ?m }"))
    assert 0 < len(rows) <= events


# --- the pure functions, on any input -------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from borderkg.serve.protocol import error_sentence, with_prefixes  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(own=st.sets(st.sampled_from(sorted(PREFIXES))), body=st.text(max_size=80))
def test_with_prefixes_declares_each_project_prefix_once_and_keeps_the_query(own, body):
    query = "".join(f"PREFIX {name}: <http://own.example/{name}#>\n" for name in sorted(own)) + body
    text, added = with_prefixes(query)
    assert text.endswith(query) and added == len(PREFIXES) - len(own)
    assert text.count("\n") - query.count("\n") == added
    assert declared_prefixes(text) >= set(PREFIXES)
    for name in PREFIXES:  # its own declarations, and one for each of the others
        assert len(re.findall(rf"(?m)^PREFIX {re.escape(name)}:", text)) == 1


@settings(max_examples=200, deadline=None)
@given(query=st.text(max_size=120), line=st.integers(0, 30), column=st.integers(0, 200),
       added=st.integers(0, 20), prefix=st.booleans())
def test_an_error_sentence_is_one_line_for_any_position(query, line, column, added, prefix):
    detail = "expected one of Prefix not found, ['%']" if prefix else "expected \"{\""
    sentence = error_sentence(f"error at {line}:{column}: {detail}", query, added)
    assert sentence and "\n" not in sentence.strip("\n") and "expected" not in sentence
