"""borderkg serve: the SPARQL protocol with standard clients, the read-only and SERVICE
policies, the time limit, start and stop, the query page and the views.

Every request goes to 127.0.0.1; the servers listen on free ports.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest

from borderkg.serve import Refused, ServeConfig, ServeError, Server, check_service, read_query

from conftest import report_text
from servers import SERVICE_TEMPLATES

SCHEMA_EVENT = "https://schema.org/Event"
COUNT_EVENTS = "SELECT (COUNT(?e) AS ?n) WHERE { ?e a <https://schema.org/Event> }"
CONSTRUCT_EVENTS = ("CONSTRUCT { ?e a <https://schema.org/Event> ; <https://schema.org/name> ?name } "
                    "WHERE { ?e a <https://schema.org/Event> ; <https://schema.org/name> ?name }")
REMOTE = "http://remote.example/thing"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    """A store built from a small report (its events plus the gazetteer graph)."""
    from borderkg.ingest import build
    from borderkg.store import OxigraphStore

    root = tmp_path_factory.mktemp("serve")
    report = root / "report.txt"
    report.write_text(report_text(), encoding="utf-8")
    store = OxigraphStore(root / "store")
    result = build([report], store)
    store.close()
    assert result.ok and result.totals["events"] >= 3
    return root / "store"


@pytest.fixture(scope="module")
def events(store_dir) -> int:
    store = pyoxigraph.Store.read_only(str(store_dir))
    return len(list(store.query(f"SELECT ?e WHERE {{ GRAPH ?g {{ ?e a <{SCHEMA_EVENT}> }} }}")))


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    """A second server, with one triple, to be the allow-listed SERVICE endpoint."""
    path = tmp_path_factory.mktemp("remote") / "store"
    store = pyoxigraph.Store(str(path))
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(REMOTE), pyoxigraph.NamedNode("http://remote.example/p"),
                              pyoxigraph.Literal("remote")))
    store.flush()
    del store
    with Server(ServeConfig(store=path, port=0, viz=path, snapshot=False)) as server:
        yield server


@pytest.fixture(scope="module")
def viz_dir(tmp_path_factory) -> Path:
    viz = tmp_path_factory.mktemp("viz")
    (viz / "index.html").write_text("<!doctype html><title>views</title>map", encoding="utf-8")
    (viz / "data").mkdir()
    (viz / "data" / "pairs.json").write_text('{"pairs": 3}', encoding="utf-8")
    return viz


@pytest.fixture(scope="module")
def server(store_dir, remote, viz_dir):
    config = ServeConfig(store=store_dir, port=0, timeout=1.0, viz=viz_dir,
                         allow_service=(remote.url + "sparql",))
    with Server(config) as running:
        yield running


def endpoint(server) -> str:
    return server.url + "sparql"


def request(url, data=None, headers=None, method=None):
    """(status, content type, body) of a request, error statuses included."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=20) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def post_query(server, query, accept="application/sparql-results+json"):
    body = urllib.parse.urlencode({"query": query}).encode()
    return request(endpoint(server), body, {"Accept": accept,
                                            "Content-Type": "application/x-www-form-urlencoded"})


def wrapper(server, query, fmt, method="GET"):
    from SPARQLWrapper import SPARQLWrapper as Client

    client = Client(endpoint(server))
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    client.setTimeout(20)
    return client


# --- the protocol with standard clients ---------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_in_json_xml_csv_tsv(server, events, method):
    from SPARQLWrapper import CSV, JSON, TSV, XML

    result = wrapper(server, COUNT_EVENTS, JSON, method).queryAndConvert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) == events
    document = wrapper(server, COUNT_EVENTS, XML, method).queryAndConvert()
    assert int(document.getElementsByTagName("literal")[0].firstChild.data) == events
    csv_text = wrapper(server, COUNT_EVENTS, CSV, method).queryAndConvert().decode()
    assert csv_text.split() == ["n", str(events)]
    tsv_text = wrapper(server, COUNT_EVENTS, TSV, method).queryAndConvert().decode()
    assert tsv_text.split() == ["?n", str(events)]  # TSV writes an integer bare


def test_query_in_the_body(server, events):
    from SPARQLWrapper import JSON, POSTDIRECTLY

    client = wrapper(server, COUNT_EVENTS, JSON, "POST")
    client.setRequestMethod(POSTDIRECTLY)  # Content-Type: application/sparql-query
    assert int(client.queryAndConvert()["results"]["bindings"][0]["n"]["value"]) == events


def test_construct_in_turtle_ntriples_jsonld(server, events):
    import rdflib
    from rdflib.compare import isomorphic
    from SPARQLWrapper import JSONLD, TURTLE

    turtle = wrapper(server, CONSTRUCT_EVENTS, TURTLE).queryAndConvert()
    from_turtle = rdflib.Graph().parse(data=turtle, format="turtle")
    from_jsonld = wrapper(server, CONSTRUCT_EVENTS, JSONLD, "POST").queryAndConvert()
    status, kind, body = post_query(server, CONSTRUCT_EVENTS, "application/n-triples")
    assert status == 200 and kind.startswith("application/n-triples")
    from_ntriples = rdflib.Graph().parse(data=body.decode(), format="nt")
    assert len(from_turtle) == 2 * events
    assert isomorphic(from_turtle, from_ntriples)
    assert isomorphic(from_turtle, from_jsonld)


def test_describe_in_turtle(server):
    import rdflib

    status, kind, body = post_query(server, f"DESCRIBE ?e WHERE {{ ?e a <{SCHEMA_EVENT}> }} LIMIT 1",
                                    "text/turtle")
    assert status == 200 and kind.startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body.decode(), format="turtle")
    assert (None, rdflib.RDF.type, rdflib.URIRef(SCHEMA_EVENT)) in graph


def test_rdflib_sparqlstore_reads_triples(server, events):
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(endpoint(server), timeout=20))
    found = list(graph.triples((None, rdflib.RDF.type, rdflib.URIRef(SCHEMA_EVENT))))
    assert len(found) == events
    names = list(graph.objects(found[0][0], rdflib.URIRef("https://schema.org/name")))
    assert names and isinstance(names[0], rdflib.Literal)


def test_the_dataset_parameters_reach_the_engine(server, events):
    from borderkg.vocab import GAZETTEER_GRAPH

    url = endpoint(server) + "?" + urllib.parse.urlencode({"query": COUNT_EVENTS,
                                                          "default-graph-uri": GAZETTEER_GRAPH})
    status, _, body = request(url, headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "0"


def test_a_bad_query_is_a_400_with_one_sentence(server):
    status, _, body = post_query(server, "SELECT ?x WHERE { ?x ")
    assert status == 400 and body.decode().startswith("syntax error at line 1, column ")
    assert body.count(b"\n") == 1 and b"expected one of" not in body


# --- read-only --------------------------------------------------------------------------

UPDATE = "INSERT DATA { <http://x/s> <http://x/p> <http://x/o> }"


@pytest.mark.parametrize("method, path, data, content_type", [
    ("POST", "/sparql", urllib.parse.urlencode({"update": UPDATE}), "application/x-www-form-urlencoded"),
    ("POST", "/sparql", UPDATE, "application/sparql-update"),
    ("GET", "/sparql?" + urllib.parse.urlencode({"update": UPDATE}), None, None),
    ("POST", "/update", urllib.parse.urlencode({"update": UPDATE}), "application/x-www-form-urlencoded"),
    ("PUT", "/store?default", "<http://x/s> <http://x/p> <http://x/o> .", "application/n-triples"),
    ("POST", "/store?default", "<http://x/s> <http://x/p> <http://x/o> .", "application/n-triples"),
    ("DELETE", "/store?default", None, None),
    ("PATCH", "/store?default", "x", "text/plain"),
])
def test_every_update_is_refused(server, events, method, path, data, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    status, _, body = request(server.url.rstrip("/") + path, data and data.encode(), headers, method)
    assert 400 <= status < 500
    assert b"read-only" in body
    result = wrapper(server, COUNT_EVENTS, "json").queryAndConvert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) == events


def test_sparqlwrapper_update_is_refused(server):
    from SPARQLWrapper import POST
    from urllib.error import HTTPError

    client = wrapper(server, "DELETE WHERE { ?s ?p ?o }", "json", POST)
    with pytest.raises(HTTPError) as refused:
        client.query()
    assert refused.value.code == 403


# --- SERVICE -----------------------------------------------------------------------------

@pytest.fixture
def trap():
    """A listening socket that must receive no connection: a URL the server must not fetch."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql", listener


def assert_untouched(listener):
    time.sleep(0.05)
    with pytest.raises(BlockingIOError):
        listener.accept()


@pytest.mark.parametrize("template", SERVICE_TEMPLATES)
def test_service_is_refused_and_nothing_fetched(server, trap, template):
    url, listener = trap
    status, _, body = post_query(server, template.format(url=url))
    assert status == 403 and b"SERVICE" in body
    assert_untouched(listener)


def test_an_allow_listed_service_is_called(server, remote):
    query = f"SELECT ?o WHERE {{ SERVICE <{remote.url}sparql> {{ <{REMOTE}> ?p ?o }} }}"
    status, _, body = post_query(server, query)
    assert status == 200, body
    assert [b["o"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["remote"]


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?s <https://schema.org/serviceType> ?service }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://x/> {}" } # SERVICE <http://x/>',
    "SELECT * WHERE { ?s <http://x/SERVICE> ?o }",
])
def test_the_word_service_elsewhere_is_no_service(query):
    check_service(query)


def test_read_query_forms():
    assert read_query("POST", "named-graph-uri=http://x/g", "application/sparql-query",
                      "ASK {}".encode()) == ("ASK {}", [("named-graph-uri", "http://x/g")])
    assert read_query("POST", "", "application/x-www-form-urlencoded; charset=UTF-8",
                      b"query=ASK+%7B%7D") == ("ASK {}", [])
    for method, qs, kind, body, status in [
        ("POST", "", "text/plain", b"ASK {}", 415),
        ("GET", "", "", b"", 400),
        ("GET", "query=ASK{}&query=ASK{}", "", b"", 400),
        ("POST", "update=x", "application/sparql-query", b"ASK {}", 403),
        # a second query in the URL of a POST could be what the engine runs: refused
        ("POST", "query=ASK{}", "application/x-www-form-urlencoded", b"query=ASK{}", 400),
        ("POST", "", "application/x-www-form-urlencoded", b"query=ASK{}&query", 400),
    ]:
        with pytest.raises(Refused) as refused:
            read_query(method, qs, kind, body)
        assert refused.value.status == status


# --- the time limit ----------------------------------------------------------------------

def cpu_seconds(pid: int, interval: float) -> float:
    """CPU time a process spends during ``interval`` seconds (from /proc)."""
    def used() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    before = used()
    time.sleep(interval)
    return used() - before


@pytest.mark.parametrize("query", [
    # Oxigraph's own cancellation stops this one ...
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . FILTER (STR(?c) != STR(?f)) }",
    # ... but not this sort, which the front stops by restarting the engine.
    "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i",
])
def test_a_slow_query_stops_at_the_time_limit(server, events, query):
    started = time.monotonic()
    status, _, body = post_query(server, query)
    elapsed = time.monotonic() - started
    # The sort may reach the engine's memory cap before the time limit on a fast machine:
    # either way the client gets a 503 that says why, and the engine is restarted.
    assert status == 503 and (b"time limit of 1 s" in body or b"more memory than allowed" in body), body
    assert elapsed < 5
    if sys.platform.startswith("linux"):  # and the engine no longer works on it
        assert cpu_seconds(server.engine.process.pid, 0.6) < 0.04
    result = wrapper(server, COUNT_EVENTS, "json").queryAndConvert()  # still answering
    assert int(result["results"]["bindings"][0]["n"]["value"]) == events


def test_queries_in_flight_survive_a_restart(server):
    """Stopping a runaway query restarts the engine; the queries it ended are asked again."""
    import threading

    slow = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    statuses, done = [], threading.Event()
    runaway = threading.Thread(target=lambda: (post_query(server, slow), done.set()))

    def ask() -> None:
        for _ in range(200):  # bounded: about 2 s of queries
            if done.is_set():
                return
            statuses.append(post_query(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 50")[0])

    askers = [threading.Thread(target=ask) for _ in range(3)]
    generation = server.engine.generation
    runaway.start()
    for asker in askers:
        asker.start()
    for thread in [runaway, *askers]:
        thread.join(30)
    assert server.engine.generation > generation  # the runaway was stopped by a restart
    assert statuses and set(statuses) == {200}


# --- the query page and the views --------------------------------------------------------

def test_the_query_page_lists_the_saved_queries(server):
    from borderkg.query import saved_queries

    status, kind, body = request(server.url)
    page = body.decode()
    assert status == 200 and kind.startswith("text/html") and '<html lang="ru">' in page
    saved = saved_queries()
    assert saved and all(q.name in page for q in saved)
    data = json.loads(page.split('id="bkg-data">')[1].split("</script>")[0])
    assert [e["name"] for e in data["examples"]] == [q.name for q in saved]
    assert data["prefixes"]["bkg"] == "https://w3id.org/borderkg/ontology#"
    assert "http://" not in page.split("<body>")[0] and 'src="http' not in page  # nothing from a CDN
    for asset in ("query.js", "vendor/yasgui.min.js", "vendor/yasgui.min.css", "vendor/leaflet.js"):
        status, kind, script = request(server.url + asset)
        assert status == 200 and len(script) > 1000, asset
    assert b"prefixCcApi = null" in request(server.url + "query.js")[2]


def test_viz_files_are_served(server):
    status, kind, body = request(server.url + "viz/")
    assert status == 200 and b"map" in body and kind.startswith("text/html")
    status, kind, body = request(server.url + "viz/data/pairs.json")
    assert status == 200 and json.loads(body) == {"pairs": 3}
    assert request(server.url + "viz/%2e%2e/%2e%2e/etc/passwd")[0] == 404
    assert request(server.url + "viz/missing.html")[0] == 404


# --- start and stop ----------------------------------------------------------------------

def test_a_taken_port_is_a_clear_error(store_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=f"127.0.0.1:{port}: the port is already in use"):
            Server(ServeConfig(store=store_dir, port=port)).start()
        command = run_serve(store_dir, port)
        _, err = command.communicate(timeout=20)
    assert command.returncode != 0
    assert err.strip().splitlines() == [f"Error: cannot listen on 127.0.0.1:{port}: the port is "
                                        "already in use (choose another with --port)"]


def run_serve(store_dir, port) -> subprocess.Popen:
    code = "from borderkg.commands.serve import serve; serve()"
    return subprocess.Popen([sys.executable, "-c", code, "--store", str(store_dir), "--port", str(port),
                             "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def children(pid: int) -> list[int]:
    """The child processes of ``pid``, forked by any of its threads."""
    found = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in path.read_text().split()]
        except OSError:
            pass  # a thread that ended meanwhile
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_the_server_and_its_engine(store_dir, sig):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = run_serve(store_dir, port)
    try:
        banner = command.stderr.readline()
        assert f"http://127.0.0.1:{port}/" in banner
        engines = children(command.pid)
        assert len(engines) == 1 and alive(engines[0])
        assert request(f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200
        os.kill(command.pid, sig)
        _, err = command.communicate(timeout=15)
    finally:  # a failed assertion must not leave a server running
        if command.poll() is None:
            command.terminate()
            command.wait(15)
    assert command.returncode == 0 and "stopped" in err
    assert not alive(engines[0])
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_a_repeated_query_is_answered_from_the_cache_of_its_generation(server):
    """The same query on the same published store: the engine is asked once (issue 17)."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # cache test"
    answers = server.front.answers
    hits = answers.hits
    first, second = post_query(server, query), post_query(server, query)
    assert first[0] == second[0] == 200 and first[2] == second[2]
    assert answers.hits == hits + 1
