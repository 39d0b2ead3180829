"""borderkg serve against an attacker and an unlucky user (issue 11): SERVICE fetches nothing
whatever the query text, Host and Origin checks, security headers, request framing, symlink
loops, truncated answers, cheap load, starvation, kill -9.

Every request goes to 127.0.0.1; servers and listeners use free ports.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from borderkg.serve import ServeConfig, Server
from servers import SERVICE_TEMPLATES
from test_serve import (alive, assert_untouched, children, endpoint, post_query, remote,  # noqa: F401
                        request, run_serve, store_dir, trap, viz_dir)

LINUX = sys.platform.startswith("linux")
ESCAPES = [  # issue 11: a local-name escape made the old check read the rest as a comment/string
    "PREFIX ex: <http://ex.org/> SELECT * {{ BIND(ex:a\\# AS ?q) SERVICE <{url}> {{ ?x ?y ?z }} }}",
    "PREFIX ex: <http://ex.org/> SELECT * {{ BIND(ex:a\\' AS ?q) SERVICE <{url}> {{ ?x ?y ?z }} }}",
]
VARIANTS = [*SERVICE_TEMPLATES, "SELECT * WHERE {{ SERVI\\u0043E <{url}> {{ ?s ?p ?o }} }}"]


@pytest.fixture(scope="module")
def loop_viz(tmp_path_factory) -> Path:
    viz = tmp_path_factory.mktemp("viz-loop")
    (viz / "index.html").write_text("<!doctype html><title>views</title>map", encoding="utf-8")
    (viz / "a").symlink_to(viz / "b")
    (viz / "b").symlink_to(viz / "a")
    (viz / "self").symlink_to(viz / "self")
    return viz


@pytest.fixture(scope="module")
def server(store_dir, loop_viz):
    # no answer cache: the load tests here must reach the engine with every query
    with Server(ServeConfig(store=store_dir, port=0, timeout=1.0, viz=loop_viz,
                            cached_answers=0)) as running:
        yield running


def send(server, method, query, headers=None):
    """A query sent GET, as a form POST or as application/sparql-query."""
    headers = dict(headers or {}, Accept="application/sparql-results+json")
    if method == "GET":
        return request(endpoint(server) + "?" + urllib.parse.urlencode({"query": query}),
                       headers=headers)
    if method == "form":
        return request(endpoint(server), urllib.parse.urlencode({"query": query}).encode(),
                       {**headers, "Content-Type": "application/x-www-form-urlencoded"})
    return request(endpoint(server), query.encode(),
                   {**headers, "Content-Type": "application/sparql-query"})


# --- SERVICE: nothing fetched, whatever the text ---------------------------------------

@pytest.mark.parametrize("method", ["GET", "form", "sparql-query"])
@pytest.mark.parametrize("template", ESCAPES + VARIANTS)
def test_no_service_payload_reaches_a_listener(server, trap, template, method):
    url, listener = trap
    status, _, body = send(server, method, template.format(url=url))
    assert status == 403 and b"SERVICE" in body, body
    assert_untouched(listener)


@pytest.mark.skipif(not LINUX, reason="the seal is Linux's")
@pytest.mark.parametrize("template", ESCAPES + VARIANTS[:3])
def test_the_sealed_engine_itself_connects_nowhere(store_dir, trap, template):
    """The guarantee does not depend on the text check: the query goes to the engine
    directly, around the front, and still no connection arrives."""
    import httpx

    from borderkg.serve.engine import Engine

    url, listener = trap
    engine = Engine(store_dir, 0)
    engine.start()
    try:
        answer = httpx.post(f"http://127.0.0.1:{engine.port}/query", timeout=20,
                            content=template.format(url=url).encode(),
                            headers={"Content-Type": "application/sparql-query"})
        assert answer.status_code in (200, 400, 500)  # 200: SERVICE SILENT, failing quietly
        assert_untouched(listener)
    finally:
        engine.stop()


@pytest.mark.skipif(not LINUX, reason="Landlock is Linux's")
def test_an_allow_listed_port_is_the_only_one_the_engine_reaches(store_dir, remote, trap):
    import httpx

    from borderkg.serve import seal
    from borderkg.serve.engine import Engine

    if seal.landlock_abi() < 4:
        pytest.skip("no Landlock network rules on this kernel")
    url, listener = trap
    remote_port = urllib.parse.urlsplit(remote.url).port
    engine = Engine(store_dir, 0, [remote_port])
    engine.start()
    try:
        ask = lambda target: httpx.post(  # noqa: E731
            f"http://127.0.0.1:{engine.port}/query", timeout=20,
            content=f"SELECT ?o {{ SERVICE <{target}> {{ ?s ?p ?o }} }} LIMIT 1".encode(),
            headers={"Content-Type": "application/sparql-query",
                     "Accept": "application/sparql-results+json"})
        assert b"remote" in ask(remote.url + "sparql").content
        ask(url)
        assert_untouched(listener)
    finally:
        engine.stop()


def test_the_service_check_is_linear_and_inside_the_limit(server):
    """45 KB of ``?a+`` took the old rdflib-based check 60 s behind a global lock."""
    nested = "SELECT * { SERVICE <http://x/> { ?a ?b ?c FILTER(" + "?a+" * 15000 + "1) } }"
    values = "SELECT * { SERVICE <http://x/> { VALUES ?a { " + " ".join(map(str, range(30000))) + " } } }"
    unions = "SELECT * { SERVICE <http://x/> { " + " UNION ".join(["{ ?a ?b ?c }"] * 3000) + " } }"
    for query in (nested, values, unions):
        started = time.monotonic()
        status, _, _ = post_query(server, query)
        assert status == 403 and time.monotonic() - started < 1.5


# --- who may ask ------------------------------------------------------------------------

def test_only_the_hosts_the_server_was_started_for(server):
    port = urllib.parse.urlsplit(server.url).port
    ask = endpoint(server) + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    for host in ("evil.example.com", f"evil.example.com:{port}", "127.0.0.1.evil.example", "a@b"):
        status, _, body = request(ask, headers={"Host": host})
        assert status in (400, 421) and b"host" in body, host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST"):
        assert request(ask, headers={"Host": host})[0] == 200, host


def test_without_cors_a_cross_site_post_is_refused_but_an_allowed_origin_may(store_dir, loop_viz):
    config = ServeConfig(store=store_dir, port=0, viz=loop_viz, cors=False, reload_interval=0,
                         allow_origin=("https://kg.example",), allow_host=("kg.example",))
    with Server(config) as running:
        port = urllib.parse.urlsplit(running.url).port
        for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                        {"Origin": f"http://127.0.0.1:{port + 1}"},
                        {"Sec-Fetch-Site": "cross-site"},
                        {"Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "cross-site"}):
            for method in ("form", "sparql-query"):
                status, _, body = send(running, method, "ASK {}", headers)
                assert status == 403 and b"cross-site" in body, (headers, method)
        same = {"Origin": f"http://localhost:{port}", "Sec-Fetch-Site": "same-origin"}
        assert send(running, "form", "ASK {}", same)[0] == 200
        assert send(running, "GET", "ASK {}", {"Origin": "https://evil.example"})[0] == 200  # read-only
        allowed = {"Origin": "https://kg.example", "Sec-Fetch-Site": "cross-site", "Host": "kg.example"}
        assert send(running, "form", "ASK {}", allowed)[0] == 200
        status, headers = headers_of(endpoint(running) + "?query=ASK%7B%7D",
                                     headers={"Origin": "https://evil.example"})
        assert status == 200 and "Access-Control-Allow-Origin" not in headers


def test_with_cors_any_origin_may_query_but_nothing_else(server):
    """CORS is on by default: a page of any origin may send a query (GET or POST) and read the
    answer; an update, a graph store write, or a POST elsewhere stays refused."""
    evil = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    for method in ("GET", "form", "sparql-query"):
        assert send(server, method, "ASK {}", evil)[0] == 200, method
    status, headers = headers_of(endpoint(server), b"query=ASK%7B%7D",
                                 {**evil, "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, _, body = request(endpoint(server), b"update=DROP+ALL",
                              {**evil, "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"read-only" in body
    for path in ("store?default", "viz/", ""):
        status, _, body = request(server.url + path, b"<a> <b> <c> .",
                                  {**evil, "Content-Type": "application/n-triples"}, "POST")
        assert status == 403 and b"cross-site" in body, path


# --- answers ----------------------------------------------------------------------------

def headers_of(url, data=None, headers=None, method=None):
    """(status, headers) of a request, error statuses included."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers or {}, method=method),
                                    timeout=20) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def test_security_headers_on_every_answer(server, trap):
    url, _ = trap
    ask = endpoint(server) + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    service = endpoint(server) + "?" + urllib.parse.urlencode(
        {"query": f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})
    bad = endpoint(server) + "?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE { ?x "})
    statuses = set()
    for args in [(server.url,), (server.url + "query.js",), (ask,), (service,), (bad,),
                 (server.url + "missing",), (server.url + "viz/",), (server.url + "viz/self",),
                 (ask, None, {"Host": "evil.example"}),
                 (server.url + "store", b"x", {"Content-Type": "text/plain"}, "PUT")]:
        status, headers = headers_of(*args)
        statuses.add(status)
        assert headers["X-Content-Type-Options"] == "nosniff", args
        assert "default-src 'self'" in headers["Content-Security-Policy"], args
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], args
        assert headers["Referrer-Policy"] == "no-referrer", args
    assert statuses == {200, 400, 403, 404, 405, 421}


def raw(server, data: bytes) -> bytes:
    """What the server answers to bytes sent as they are."""
    port = urllib.parse.urlsplit(server.url).port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(data)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                break
    return answer


@pytest.mark.parametrize("lengths", [[16, 16], [16, 17], ["16, 16"]])
def test_a_duplicated_or_conflicting_content_length_is_refused(server, lengths):
    body = b"query=ASK+%7B%7D"  # 16 bytes: a sound query, refused for its framing only
    head = "".join(f"Content-Length: {n}\r\n" for n in lengths)
    answer = raw(server, (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}Content-Type: "
                          "application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n").encode() + body)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]


def test_chunked_with_a_content_length_is_refused(server):
    answer = raw(server, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n"
                         b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n")
    assert answer.split(b" ")[1] in (b"400", b"411"), answer[:200]


def test_a_symlink_loop_in_viz_is_a_404_not_a_dropped_connection(server):
    for path in ("viz/a", "viz/self", "viz/a/x.html", "viz/self/"):
        status, _, body = request(server.url + path)
        assert status == 404 and b"no view" in body, path
    assert request(server.url + "viz/")[0] == 200


class FakeEngine:
    """Stands for the engine: an HTTP server on loopback that answers 200 and a JSON body cut
    off with an error text, as Oxigraph does when it fails while streaming."""

    generation = 0

    def __init__(self, body: bytes, content_type: str) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        self.answer = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
                       f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(self.answer)

    def alive(self) -> bool:
        return True

    def ready(self):
        from concurrent.futures import Future

        done = Future()
        done.set_result(None)
        return done


@pytest.mark.parametrize("content_type, body", [
    ("application/sparql-results+json", b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":'
                                        b'"uri","value":"http://x/1"}},IO error: Resource temporarily unavailable'),
    ("application/sparql-results+xml", b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/'
                                       b'sparql-results#"><head></head><results><result>IO error'),
])
def test_an_engine_error_mid_answer_is_no_200(content_type, body):
    from borderkg.serve.engine import Served
    from borderkg.serve.front import Front
    from borderkg.serve.policy import Refused

    engine = FakeEngine(body, content_type)
    front = Front(ServeConfig(timeout=5), Served(engine, 1))

    async def ask():
        await front.open()
        try:
            return await front.forward("/query", b"SELECT * {}", {}, front.deadline(), front.served)
        finally:
            await front.close()

    with pytest.raises(Refused) as refused:
        asyncio.run(ask())
    assert refused.value.status == 502 and "partial answer was dropped" in str(refused.value)
    engine.listener.close()


# --- load --------------------------------------------------------------------------------

def threads_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("Threads:")[1].split()[0])


def hammer(server, query: str, clients: int, seconds: float) -> list[tuple[int, float]]:
    """(status, seconds) of every query ``clients`` threads sent in a loop for ``seconds``."""
    import http.client

    port = urllib.parse.urlsplit(server.url).port
    results: list[tuple[int, float]] = []
    until = time.monotonic() + seconds

    def loop() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = urllib.parse.urlencode({"query": query}).encode()
        while time.monotonic() < until:
            began = time.monotonic()
            try:
                connection.request("POST", "/sparql", body, {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json"})
                response = connection.getresponse()
                response.read()
                results.append((response.status, time.monotonic() - began))
            except (OSError, http.client.HTTPException):
                results.append((0, time.monotonic() - began))
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return results


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_cheap_load_leaves_no_engine_threads_behind(server):
    """The old engine kept a thread per query alive for the whole time limit."""
    results = hammer(server, "ASK {}", clients=20, seconds=3)
    assert len(results) > 100 and {status for status, _ in results} == {200}
    assert threads_of(server.engine.process.pid) < 64


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER (STR(?c) != STR(?i)) }"


def test_heavy_queries_do_not_starve_light_ones(server):
    heavy: list = []
    heavy_threads = [threading.Thread(target=lambda: heavy.extend(hammer(server, HEAVY, 1, 6)))
                     for _ in range(4)]
    for thread in heavy_threads:
        thread.start()
    time.sleep(1.5)  # the heavy queries hold their places
    light = hammer(server, "ASK {}", clients=8, seconds=3)
    for thread in heavy_threads:
        thread.join(60)
    assert heavy and all(status in (200, 503) for status, _ in heavy)
    assert len(light) > 50 and {status for status, _ in light} == {200}
    assert max(seconds for _, seconds in light) < 3


# --- kill -9 ----------------------------------------------------------------------------

@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_kill_9_takes_the_engine_along_and_its_copy_goes_at_the_next_start(store_dir, tmp_path,
                                                                          monkeypatch):
    from borderkg.serve.engine import SNAPSHOT_PREFIX

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = run_serve(store_dir, port)
    try:
        assert f"http://127.0.0.1:{port}/" in command.stderr.readline()
        engines = children(command.pid)
        assert len(engines) == 1 and alive(engines[0])
        copies = list(tmp_path.glob(f"{SNAPSHOT_PREFIX}{command.pid}-*"))
        assert len(copies) == 1
    finally:
        os.kill(command.pid, signal.SIGKILL)
        command.wait(10)
    deadline = time.monotonic() + 10
    while alive(engines[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(engines[0])
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    Server(ServeConfig(store=store_dir, port=0, reload_interval=0)).start().stop()
    assert not copies[0].exists()
