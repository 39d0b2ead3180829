"""One contract for every store backend: the embedded pyoxigraph store, and the remote store
against an ``oxigraph serve`` on a loopback port (writing by Graph Store PUT, and by SPARQL
Update). A subclass of ``StoreContract`` only says how to make an empty store."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, Triple

from borderkg.errors import QueryError, StoreError
from borderkg.ingest import build
from borderkg.query import load_query, result_rows, run_query, saved_queries
from borderkg.store import OxigraphStore
from borderkg.store_remote import RemoteStore
from borderkg.vocab import BKG, DCT, GAZETTEER_GRAPH, ID

from conftest import ROWS, report_text

EX = "http://example.org/"
G1, G2 = EX + "graph/1", EX + "graph/2"
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def quad(s: str, o: str, graph: str) -> Quad:
    return Quad(NamedNode(EX + s), NamedNode(EX + "p"), Literal(o, language="ru"), NamedNode(graph))


def document_quads(graph: str, name: str, sha: str) -> list[Quad]:
    doc = NamedNode(EX + "doc/" + name)
    return [Quad(doc, NamedNode(DCT + "identifier"), Literal(name), NamedNode(graph)),
            Quad(doc, NamedNode(BKG + "sha256"), Literal(sha), NamedNode(graph))]


def nquads(store, graph: str | None = None) -> list[str]:
    """Every quad of the store (or of one graph) as sorted N-Quads lines, read by a query."""
    rows = store.query(ALL_QUADS)
    lines = [f"{r['s']} {r['p']} {r['o']} {r['g']} ." for r in rows if graph is None or r["g"].value == graph]
    return sorted(lines)


def comparable(result) -> tuple[list[str], list[list[list[str]]]]:
    """A SELECT result with its rows sorted, and the parts of each ``GROUP_CONCAT(...;
    separator=" | ")`` cell too: SPARQL leaves the order of both to the store.

    >>> comparable(OxigraphStore.in_memory().query('SELECT ("b | a" AS ?x) {}'))
    (['x'], [[['a', 'b']]])
    """
    names, rows = result_rows(result)
    return names, sorted([sorted(cell.split(" | ")) for cell in row] for row in rows)


# --- the reports every build test ingests, and what an embedded in-memory build makes of them

SHORTER_ROWS = [ROWS[0], (ROWS[1][0], ROWS[1][1][:1])]  # one Хиславичи row dropped


@pytest.fixture(scope="module")
def extractor():
    from borderkg.extract import Extractor

    return Extractor()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    (folder / "a_q2_2025.txt").write_text(report_text(), encoding="utf-8")
    (folder / "b_q2_2025.txt").write_text(
        report_text(title="Отчет о мероприятиях в международной сфере в III квартале 2025 года"),
        encoding="utf-8")
    return folder


def reference(paths, extractor) -> OxigraphStore:
    store = OxigraphStore.in_memory()
    build(paths, store, extractor=extractor)
    return store


@pytest.fixture(scope="module")
def reference_store(reports, extractor) -> OxigraphStore:
    return reference([reports], extractor)


class StoreContract:
    """What borderkg needs of a store; every backend must pass all of it."""

    @pytest.fixture
    def store(self):
        raise NotImplementedError("a backend's test class provides an empty store")

    # --- graphs

    def test_replace_graph_replaces_only_that_graph(self, store):
        store.replace_graph(G1, [quad("a", "один", G1), quad("b", "два", G1)])
        store.replace_graph(G2, [quad("c", "три", G2)])
        store.replace_graph(G1, [quad("d", "четыре", G1)])
        assert nquads(store, G1) == [f'<{EX}d> <{EX}p> "четыре"@ru <{G1}> .']
        assert nquads(store, G2) == [f'<{EX}c> <{EX}p> "три"@ru <{G2}> .']

    def test_replace_graph_with_nothing_removes_it(self, store):
        store.replace_graph(G1, [quad("a", "один", G1)])
        store.replace_graph(G1, [])
        assert store.graphs() == []

    def test_replace_graph_from_ntriples(self, store):
        """What a build worker sends: a graph's triples already serialised."""
        store.replace_graph(G1, [quad("a", "один", G1)])
        store.replace_graph(G2, [quad("c", "три", G2)])
        store.replace_graph_ntriples(G1, f'<{EX}d> <{EX}p> "четыре"@ru .\n'.encode())
        assert nquads(store, G1) == [f'<{EX}d> <{EX}p> "четыре"@ru <{G1}> .']
        assert nquads(store, G2) == [f'<{EX}c> <{EX}p> "три"@ru <{G2}> .']
        store.replace_graph_ntriples(G1, b"")
        assert store.graphs() == [G2]

    def test_remove_graph(self, store):
        store.replace_graph(G1, [quad("a", "один", G1)])
        store.replace_graph(G2, [quad("c", "три", G2)])
        store.remove_graph(G1)
        assert store.graphs() == [G2]
        assert nquads(store) == nquads(store, G2)
        store.remove_graph(EX + "graph/never-written")  # removing what is not there does nothing
        assert store.graphs() == [G2]

    def test_graphs_and_triple_count(self, store):
        assert (store.graphs(), store.triple_count()) == ([], 0)
        store.replace_graph(G2, [quad("a", "один", G2), quad("b", "два", G2)])
        store.replace_graph(G1, [quad("a", "один", G1)])
        assert store.graphs() == [G1, G2]
        assert store.triple_count() == 3

    def test_literals_survive_the_round_trip(self, store):
        odd = 'кавычки " и \\ обратная черта,\nперевод строки и табуляция\t'
        store.replace_graph(G1, [quad("a", odd, G1)])
        assert next(iter(store.query(ALL_QUADS)))["o"] == Literal(odd, language="ru")

    def test_document_hashes(self, store):
        assert store.document_hashes() == {}
        store.replace_graph(G1, document_quads(G1, "a.txt", "aaa"))
        store.replace_graph(G2, document_quads(G2, "b.docx", "bbb"))
        assert store.document_hashes() == {"a.txt": "aaa", "b.docx": "bbb"}

    # --- queries

    @pytest.fixture
    def two_graphs(self, store):
        store.replace_graph(G1, [quad("a", "один", G1)])
        store.replace_graph(G2, [quad("b", "два", G2)])
        return store

    def test_select_over_the_union_of_graphs(self, two_graphs):
        result = two_graphs.query("SELECT ?s ?o WHERE { ?s ex:p ?o } ORDER BY ?s",
                                  use_default_graph_as_union=True, prefixes={"ex": EX})
        assert isinstance(result, QuerySolutions)
        assert [v.value for v in result.variables] == ["s", "o"]
        assert [(row["s"].value, row["o"].value) for row in result] == [(EX + "a", "один"), (EX + "b", "два")]

    def test_graph_patterns_still_see_each_graph_in_the_union(self, two_graphs):
        rows = two_graphs.query("SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
                                use_default_graph_as_union=True)
        assert [(row["g"].value, row["s"].value) for row in rows] == [(G1, EX + "a"), (G2, EX + "b")]

    def test_without_union_the_default_graph_is_empty(self, two_graphs):
        assert not two_graphs.query("ASK { ?s ?p ?o }")
        assert list(two_graphs.query("SELECT ?s WHERE { ?s ?p ?o }")) == []

    def test_ask(self, two_graphs):
        yes = two_graphs.query(f"ASK {{ <{EX}a> ?p ?o }}", use_default_graph_as_union=True)
        no = two_graphs.query(f"ASK {{ <{EX}zzz> ?p ?o }}", use_default_graph_as_union=True)
        assert isinstance(yes, QueryBoolean)
        assert (bool(yes), bool(no)) == (True, False)

    def test_construct(self, two_graphs):
        result = two_graphs.query("CONSTRUCT { ?s ex:q ?o } WHERE { ?s ex:p ?o }",
                                  use_default_graph_as_union=True, prefixes={"ex": EX})
        assert isinstance(result, QueryTriples)
        assert sorted(map(str, result)) == [f'<{EX}a> <{EX}q> "один"@ru', f'<{EX}b> <{EX}q> "два"@ru']

    def test_an_unbound_variable_reads_as_none(self, two_graphs):
        rows = list(two_graphs.query("SELECT ?s ?missing WHERE { ?s ?p ?o OPTIONAL { ?s ex:none ?missing } }",
                                     use_default_graph_as_union=True, prefixes={"ex": EX}))
        assert len(rows) == 2 and all(row["missing"] is None for row in rows)

    def test_invalid_sparql_is_a_query_error(self, two_graphs):
        with pytest.raises(QueryError):
            two_graphs.query("SELECT ?s WHERE { ?s ?p ")

    # --- a whole build

    def test_build_gives_the_reference_triples(self, store, reports, extractor, reference_store):
        report = build([reports], store, extractor=extractor)
        assert report.ok and len(report.stored) == 2
        expected = nquads(reference_store)
        assert nquads(store) == expected
        assert report.totals["triples"] == len(expected)
        assert store.graphs() == reference_store.graphs()
        assert {GAZETTEER_GRAPH, ID + "graph/a_q2_2025.txt", ID + "graph/b_q2_2025.txt"} <= set(store.graphs())
        for saved in saved_queries():  # prefixes, union of graphs, parameters, as the CLI runs them
            assert comparable(run_query(store, saved)) == comparable(run_query(reference_store, saved)), saved.name
        assert result_rows(run_query(store, load_query("partners-of-municipality")))[1]

    def test_building_twice_changes_nothing(self, store, reports, extractor):
        first = build([reports], store, extractor=extractor)
        before = nquads(store)
        second = build([reports], store, extractor=extractor)
        assert second.stored == [] and len(second.unchanged) == 2
        assert nquads(store) == before and second.totals == first.totals

    def test_a_changed_file_replaces_only_its_graph(self, store, reports, extractor, tmp_path):
        folder = tmp_path / "reports"
        shutil.copytree(reports, folder)
        build([folder], store, extractor=extractor)
        graph_a, graph_b = ID + "graph/a_q2_2025.txt", ID + "graph/b_q2_2025.txt"
        a_before, b_before = nquads(store, graph_a), nquads(store, graph_b)
        (folder / "b_q2_2025.txt").write_text(report_text(SHORTER_ROWS), encoding="utf-8")
        report = build([folder], store, extractor=extractor)
        assert report.stored == [str(folder / "b_q2_2025.txt")]
        assert nquads(store, graph_a) == a_before
        expected_b = nquads(reference([folder / "b_q2_2025.txt"], extractor), graph_b)
        assert nquads(store, graph_b) == expected_b != b_before
        dropped_event = f"<{ID}event/b_q2_2025.txt/76>"
        assert any(dropped_event in line for line in b_before)
        assert not any(dropped_event in line for line in nquads(store, graph_b))


class TestOxigraphStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path):
        store = OxigraphStore(tmp_path / "store")
        yield store
        store.close()


# --- the remote store, against `oxigraph serve` on a free loopback port

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """The base URL of an Oxigraph server on a loopback port, for this module's tests."""
    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.exists():
        pytest.skip(f"no oxigraph server binary beside {sys.executable} (pip install oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen([str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {process.stderr.read().decode(errors='replace')}")
            try:
                urllib.request.urlopen(base + "/query", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not answer on {base} within 15 s")
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def emptied(base: str) -> str:
    request = urllib.request.Request(base + "/update", data=b"DROP ALL", method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
    urllib.request.urlopen(request, timeout=10).close()
    return base


class TestRemoteStoreGraphStoreProtocol(StoreContract):
    """Writes by Graph Store PUT and DELETE (no update endpoint); the union of graphs by
    Oxigraph's own request parameter."""

    @pytest.fixture
    def store(self, oxigraph_server):
        base = emptied(oxigraph_server)
        store = RemoteStore(base + "/query", graph_store_url=base + "/store", timeout=10,
                            union_parameter="union-default-graph")
        yield store
        store.close()


class TestRemoteStoreSparqlUpdate(StoreContract):
    """Writes by SPARQL Update (no Graph Store endpoint); the union of graphs by listing
    every named graph in the request's dataset, as any SPARQL 1.1 server understands."""

    @pytest.fixture
    def store(self, oxigraph_server):
        base = emptied(oxigraph_server)
        # The gazetteer graph (57k triples with the census) goes in one INSERT DATA: 10-20 s
        # on a loaded machine.
        store = RemoteStore(base + "/query", update_url=base + "/update", timeout=60)
        yield store
        store.close()


# --- what only the remote store can get wrong

def test_a_refused_connection_is_a_store_error_naming_the_url():
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreError, match=f"cannot reach the SPARQL store at {url}"):
        RemoteStore(url, timeout=5).graphs()


def test_an_http_error_is_a_store_error_naming_the_url(oxigraph_server):
    url = emptied(oxigraph_server) + "/no-such-endpoint"
    with pytest.raises(StoreError, match=f"POST {url} failed: HTTP 404"):
        RemoteStore(oxigraph_server + "/query", update_url=url).remove_graph(G1)


def test_a_store_without_write_endpoints_is_read_only(oxigraph_server):
    store = RemoteStore(emptied(oxigraph_server) + "/query")
    with pytest.raises(StoreError, match="read-only"):
        store.replace_graph(G1, [quad("a", "один", G1)])
    assert store.graphs() == []


def test_a_quad_of_another_graph_is_refused(oxigraph_server):
    store = RemoteStore.oxigraph_server(emptied(oxigraph_server))
    with pytest.raises(ValueError, match="replace_graph"):
        store.replace_graph(G1, [quad("a", "один", G1), quad("b", "два", G2)])
    assert store.graphs() == []


def test_triples_are_put_in_the_named_graph(oxigraph_server):
    store = RemoteStore.oxigraph_server(emptied(oxigraph_server))
    store.replace_graph(G1, [Triple(NamedNode(EX + "a"), NamedNode(EX + "p"), Literal("x"))])
    assert store.graphs() == [G1] and store.triple_count() == 1


def test_a_closed_store_says_so(oxigraph_server):
    store = RemoteStore.oxigraph_server(oxigraph_server)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.graphs()


def test_substitutions_are_not_supported(oxigraph_server):
    with pytest.raises(NotImplementedError):
        RemoteStore.oxigraph_server(oxigraph_server).query("SELECT ?s {}", substitutions={"s": G1})


def test_a_silent_server_is_a_timeout_store_error():
    with socket.socket() as listener:  # accepts connections (backlog) and never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        with pytest.raises(StoreError, match=f"{url} did not answer within 0.3 s"):
            RemoteStore(url, timeout=0.3).graphs()


@pytest.fixture
def fussy_server():
    """A loopback server that answers 401 unless given Basic reader:s3cret, and an empty
    SELECT result otherwise; yields its URL and the Authorization headers it saw."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(self.headers.get("Authorization"))
            ok = self.headers.get("Authorization") == "Basic cmVhZGVyOnMzY3JldA=="
            body = b'{"head":{"vars":["g"]},"results":{"bindings":[]}}' if ok else b"who are you?"
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/sparql-results+json" if ok else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/query", seen
    server.shutdown()
    server.server_close()


def test_credentials_are_sent_and_a_refusal_says_so(fussy_server):
    url, seen = fussy_server
    assert RemoteStore(url, auth=("reader", "s3cret")).graphs() == []
    with pytest.raises(StoreError, match=f"POST {url} failed: HTTP 401.*who are you.*credentials"):
        RemoteStore(url, auth="Bearer wrong").graphs()
    assert seen == ["Basic cmVhZGVyOnMzY3JldA==", "Bearer wrong"]
