"""``borderkg serve``: a read-only SPARQL 1.1 Protocol endpoint, a query page and the views.

The SPARQL engine is Oxigraph's own server (``oxigraph serve-read-only``), run as a child
process on a private loopback port. In front of it a small HTTP server

* serves the query page at ``/`` (plain HTML and a few lines of script, nothing fetched from
  elsewhere), the saved queries as its examples, and the files of ``viz/`` under ``/viz/``;
* forwards ``GET``/``POST /sparql`` to the engine once the request has passed the policies:
  every update is refused (403/405), and so is SPARQL ``SERVICE`` unless the endpoint is
  allow-listed — Oxigraph would otherwise fetch any URL a client names;
* enforces the time limit itself. Oxigraph's own ``--timeout-s`` is passed too, but it cancels
  only some operators (a sort over a cross product ran on for minutes and took 24 GB), and a
  cancelled result arrives as ``200 OK`` with an error text appended. So the front buffers
  each answer and, when the limit passes, answers 503 and restarts the engine (a restart also
  ends queries in flight, which the front then retries once). The engine also runs under a
  memory limit (``RLIMIT_AS``): a query that exhausts it kills the engine, not the machine.

The store is a RocksDB directory that a build opens read-write, and no other process may open
it while a build writes (undefined behaviour, even read-only). So the server never serves the
store itself: a finished build publishes a snapshot of it and bumps a generation number
(:meth:`borderkg.store.OxigraphStore.publish`); the server copies that snapshot (hard links,
milliseconds) and serves its copy. A thread looks at the generation every second; when a new
one is published it starts an engine on a new copy, swaps it in, logs
``borderkg serve: reloaded the store (generation N)``, and ends the old engine once the
queries it was answering are past their time limit. Every ``/sparql`` answer carries the
generation it was computed on in ``X-Borderkg-Generation``. A store that was never published
(built by an older borderkg) is copied itself at start, which is safe only while no build
runs; ``--no-snapshot`` serves the store directory itself, restarted on a new generation.
"""

from __future__ import annotations

import errno
import html
import http.client
import json
import logging
import math
import mimetypes
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from borderkg import paths
from borderkg.errors import BorderkgError, StoreError
from borderkg.store import published

log = logging.getLogger("borderkg.serve")

CANCELLED = b"The SPARQL operation has been cancelled"  # what Oxigraph appends on its timeout
GRACE_S = 0.5            # the engine's own cancellation gets this long before the front acts
MAX_REQUEST = 1 << 20    # bytes of a query request
MAX_RESPONSE = 256 << 20  # bytes of an answer held in memory
MAX_CHECKED = 64 << 10   # characters of a query with SERVICE that rdflib is asked to parse
QUERY_TYPES = ("application/sparql-query", "application/x-www-form-urlencoded")


class ServeError(BorderkgError):
    """The server cannot start: port taken, no store, no engine."""


class EngineCancelled(Exception):
    """The engine stopped a query at its own time limit (and is free again)."""


class Refused(Exception):
    """A request the endpoint will not run: an HTTP status and a sentence for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ServeConfig:
    """What ``borderkg serve`` serves, where, and under which limits."""

    store: Path = paths.STORE
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    allow_service: tuple[str, ...] = ()
    viz: Path = paths.VIZ
    queries: Path = paths.QUERIES
    snapshot: bool = True
    memory_limit_mb: int = 8192
    max_concurrent: int = 4
    reload_interval: float = 1.0  # seconds between looks for a new generation; 0: never


# --- policies -------------------------------------------------------------------------------

_TOKENS = re.compile(r'''
    "{3}(?:[^"\\]|\\.|"(?!""))*+(?:"{3}|\Z) | '{3}(?:[^'\\]|\\.|'(?!''))*+(?:'{3}|\Z)
  | "(?:[^"\\\n]|\\.)*+(?:"|(?=\n)|\Z) | '(?:[^'\\\n]|\\.)*+(?:'|(?=\n)|\Z)    # strings
  | <[^<>"{}|^`\\\x00-\x20]*+>                                               # IRIs
  | \#[^\n]*                                                                 # comments
  | [?$][\w\u00b7\u0300-\u036f\u203f\u2040]+                                 # variables
  | (?P<prefix>[^\W\d][\w.-]*+)?:[\w.:%-]*                                   # prefixed names
  | (?P<word>[\w.-]+)
''', re.X | re.S)  # every alternative matches or fails within its own token: linear time
_RDFLIB_LOCK = threading.Lock()  # pyparsing's packrat cache is shared module state


def service_mentions(query: str) -> int:
    """How many places of ``query`` could be a ``SERVICE`` keyword, as Oxigraph's parser may
    read it: outside strings, IRIs, comments, variables and prefixed names — but counting
    ``SERVICE:x`` and ``SERVICEex:x``, which Oxigraph reads as the keyword and a name.

    >>> service_mentions('SELECT ?service WHERE { ?s schema:serviceType "SERVICE" } # SERVICE')
    0
    >>> service_mentions('SELECT * { ?s ?p 1SERVICE <http://x/> {} sErViCe:q {} }')
    2
    """
    if "service" not in query.lower():
        return 0

    def blank(match: re.Match) -> str:
        keep = match.group("word") or (match.group("prefix") or "").lower().startswith("service")
        return match.group(0) if keep else " "

    return len(re.findall("service", _TOKENS.sub(blank, query), re.I))


def service_endpoints(query: str) -> list:
    """The endpoint of every ``SERVICE`` in ``query`` (an IRI string, or ``None`` for a
    variable), read with rdflib's SPARQL parser; ``Refused`` if it cannot be read."""
    from rdflib import URIRef
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        with _RDFLIB_LOCK:
            algebra = translateQuery(parseQuery(query)).algebra
    except Exception as exc:  # any failure means: not verifiable, so not run
        raise Refused(403, "the query uses SERVICE and could not be checked "
                           f"({type(exc).__name__}); it is refused") from exc
    found, stack = [], [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                found.append(str(term) if isinstance(term, URIRef) else None)
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return found


def check_service(query: str, allowed: tuple[str, ...] = ()) -> None:
    """Refuse a query whose ``SERVICE`` would make the server fetch a URL not allow-listed.

    >>> check_service("SELECT * { ?s ?p ?o }")
    >>> check_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    borderkg.serve.Refused: SERVICE <http://example.org/sparql> is refused: this server fetches no URL for a client (the operator can allow an endpoint with --allow-service URL)
    >>> check_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    ...               ("http://example.org/sparql",))
    """
    mentions = service_mentions(query)
    if not mentions:
        return
    if len(query) > MAX_CHECKED:
        raise Refused(403, f"a query with SERVICE longer than {MAX_CHECKED} characters is refused")
    if re.search(r"\\[uU]", query):
        raise Refused(403, r"a query with SERVICE may not use \u escapes; it is refused")
    endpoints = service_endpoints(query)
    if len(endpoints) < mentions:
        raise Refused(403, "the query mentions SERVICE in a way that could not be checked; it is refused")
    for endpoint in endpoints:
        if endpoint is None:
            raise Refused(403, "SERVICE with a variable endpoint is refused: this server fetches "
                               "no URL for a client")
        if endpoint not in allowed:
            raise Refused(403, f"SERVICE <{endpoint}> is refused: this server fetches no URL for a "
                               "client (the operator can allow an endpoint with --allow-service URL)")


def read_query(method: str, query_string: str, content_type: str, body: bytes) -> tuple[str, list]:
    """The query text of a SPARQL Protocol request and its dataset parameters
    (``default-graph-uri``, ``named-graph-uri``); ``Refused`` for an update or a malformed one.
    Only these reach the engine, re-encoded, so it runs exactly the text that was checked.

    >>> read_query("GET", "query=ASK%20%7B%7D&format=json&default-graph-uri=http://x/g", "", b"")
    ('ASK {}', [('default-graph-uri', 'http://x/g')])
    >>> read_query("POST", "", "application/x-www-form-urlencoded", b"update=DROP+ALL")
    Traceback (most recent call last):
    borderkg.serve.Refused: this endpoint is read-only: SPARQL Update is refused
    """
    read_only = Refused(403, "this endpoint is read-only: SPARQL Update is refused")
    params = parse_qs(query_string, keep_blank_values=True)
    if "update" in params:
        raise read_only
    text = None
    if method == "POST":
        kind = content_type.split(";")[0].strip().lower()
        if kind == "application/sparql-update":
            raise read_only
        if kind not in QUERY_TYPES:
            raise Refused(415, f"send a query as {' or '.join(QUERY_TYPES)}, not {kind or 'no type'}")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Refused(400, "the request body is not UTF-8") from exc
        if "query" in params:
            raise Refused(400, "a query in the URL of a POST: send it in the body")
        if kind == "application/x-www-form-urlencoded":
            params = parse_qs(text, keep_blank_values=True)
            if "update" in params:
                raise read_only
            text = None
    if text is None:
        queries = params.get("query", [])
        if len(queries) != 1:
            raise Refused(400, "send exactly one query parameter (the query page is at /)")
        text = queries[0]
    dataset = [(name, value) for name in ("default-graph-uri", "named-graph-uri")
               for value in params.get(name, [])]
    return text, dataset


# --- the engine: an oxigraph child process -------------------------------------------------

def engine_binary() -> str:
    """The ``oxigraph`` program: beside this Python, else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise ServeError("the oxigraph server is not installed: pip install 'oxigraph>=0.5'")
    return found


def limit_memory(pid: int, megabytes: int) -> None:
    """Cap the address space of a process (Linux); elsewhere, or with 0, no cap."""
    try:
        import resource

        if megabytes:
            resource.prlimit(pid, resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))
    except (ImportError, AttributeError):
        log.warning("no memory limit on this system")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class Engine:
    """``oxigraph serve-read-only`` on a private loopback port, restartable."""

    def __init__(self, location: Path, timeout: float, memory_limit_mb: int) -> None:
        self.location, self.timeout, self.memory_limit_mb = location, timeout, memory_limit_mb
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.generation = 0
        self.stopped = False
        self._lock = threading.Lock()

    def start(self) -> None:
        for _attempt in range(3):  # the free port may be taken between probe and bind
            self.port = free_port()
            command = [engine_binary(), "serve-read-only", "--location", str(self.location),
                       "--bind", f"127.0.0.1:{self.port}", "--union-default-graph",
                       "--timeout-s", str(max(1, math.ceil(self.timeout)))]
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            limit_memory(self.process.pid, self.memory_limit_mb)
            lines = self._wait_ready(self.process)
            if lines is None:
                return
            log.warning("the SPARQL engine did not start: %s", " ".join(lines))
        raise ServeError(f"the SPARQL engine (oxigraph) did not start: {' '.join(lines)[-300:]}")

    def _wait_ready(self, process: subprocess.Popen) -> list[str] | None:
        """``None`` once the engine listens; else the lines it wrote before it ended."""
        ready, listening, lines = threading.Event(), [], []

        def drain() -> None:
            for raw in process.stderr:
                line = raw.decode("utf-8", "replace").rstrip()
                if line.startswith("Listening for requests"):
                    listening.append(True)
                    ready.set()
                elif line:
                    lines.append(line)
                    log.info("engine: %s", line)
            ready.set()

        threading.Thread(target=drain, name="oxigraph-stderr", daemon=True).start()
        ready.wait(30)
        if listening and process.poll() is None:
            return None
        self._end(process)
        return lines or ["no output"]

    def restart(self, generation: int) -> None:
        """Restart, unless someone already did since ``generation``."""
        with self._lock:
            if generation != self.generation or self.stopped:
                return
            self.generation += 1  # first, so that the queries this ends know why
            self._end(self.process)
            _POOL.drop(self.port)
            self.start()
            log.warning("the SPARQL engine was restarted")

    def current(self) -> tuple[int, int]:
        """Generation and port of the running engine, after a restart in progress, and
        after restarting an engine that ended while idle."""
        with self._lock:
            if not self.stopped and self.process is not None and self.process.poll() is not None:
                self.generation += 1
                self.start()
                log.warning("the SPARQL engine had ended; it was restarted")
            return self.generation, self.port

    @staticmethod
    def _end(process: subprocess.Popen | None) -> None:
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            self._end(self.process)
            _POOL.drop(self.port)


@dataclass(frozen=True)
class Served:
    """What answers now: the engine, the store generation it serves and its snapshot copy
    (swapped whole, so a query sees one of them throughout)."""

    engine: Engine
    generation: int
    snapshot: Path | None = None


# --- the front -----------------------------------------------------------------------------

class _Front(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    served: Served
    config: ServeConfig
    slots: threading.BoundedSemaphore

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            log.info("%s went away: %s", client_address[0], error)
        else:
            log.exception("error while answering %s", client_address[0])


class _Front6(_Front):
    address_family = socket.AF_INET6


class Handler(BaseHTTPRequestHandler):
    """Routes: ``/`` and ``/query.js`` (query page), ``/sparql`` (also ``/query``), ``/viz/…``."""

    server: _Front
    protocol_version = "HTTP/1.1"
    server_version = "borderkg-serve"
    timeout = 60  # an idle keep-alive connection is closed after this

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, status: int, body: bytes | str, content_type: str = "text/plain; charset=utf-8",
              headers: dict | None = None) -> None:
        body = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            raise Refused(411, "send the request with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            raise Refused(400, "bad Content-Length")
        if length > MAX_REQUEST:
            self.close_connection = True
            raise Refused(413, f"the request is larger than {MAX_REQUEST} bytes")
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        try:
            body = self._body() if self.command in ("POST", "PUT", "PATCH", "DELETE") else b""
            if url.path in ("/sparql", "/query") and self.command in ("GET", "HEAD", "POST"):
                return self._sparql(url.query, body)
            if self.command not in ("GET", "HEAD"):
                raise Refused(405, f"this endpoint is read-only: {self.command} {url.path} is refused "
                                   "(queries go to /sparql; updates and graph store writes are refused)")
            if url.path == "/":
                return self._send(200, query_page(self.server.config), "text/html; charset=utf-8",
                                  {"Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline'"})
            if url.path == "/query.js":
                return self._send(200, QUERY_JS, "text/javascript; charset=utf-8")
            if url.path == "/viz":
                return self._send(301, "", headers={"Location": "/viz/"})
            if url.path.startswith("/viz/"):
                return self._static(unquote(url.path[len("/viz/"):]))
            raise Refused(404, f"nothing at {url.path}: the query page is at /, the endpoint at /sparql")
        except Refused as refusal:
            self._send(refusal.status, str(refusal) + "\n", headers={"Allow": "GET, HEAD, POST"}
                       if refusal.status == 405 else None)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch

    def _static(self, relative: str) -> None:
        root = Path(self.server.config.viz).resolve()
        try:
            target = (root / relative).resolve()
            found = target.is_relative_to(root) and target.exists()
        except (OSError, ValueError):
            found = False
        if not found:
            raise Refused(404, f"no view at /viz/{relative}")
        if target.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return self._send(301, "", headers={"Location": self.path.split("?")[0] + "/"})
            if (target / "index.html").is_file():
                target = target / "index.html"
            else:
                items = "".join(f'<li><a href="{html.escape(p.name)}{"/" if p.is_dir() else ""}">'
                                f"{html.escape(p.name)}</a></li>" for p in sorted(target.iterdir()))
                return self._send(200, f"<!doctype html><meta charset=utf-8><title>views</title>"
                                       f"<ul>{items}</ul>", "text/html; charset=utf-8")
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix == ".geojson":
            kind = "application/geo+json"
        if kind.startswith("text/") or kind in ("application/json", "application/geo+json"):
            kind += "; charset=utf-8"
        self._send(200, target.read_bytes(), kind)

    def _sparql(self, query_string: str, body: bytes) -> None:
        if (self.command == "GET" and "query" not in parse_qs(query_string)
                and "text/html" in self.headers.get("Accept", "")):
            return self._send(303, "", headers={"Location": "/"})  # a person, not a client
        query, dataset = read_query(self.command, query_string, self.headers.get("Content-Type", ""), body)
        check_service(query, self.server.config.allow_service)
        headers = {"Accept": self.headers.get("Accept") or "*/*",
                   "Content-Type": "application/sparql-query; charset=utf-8"}
        target = "/query" + (f"?{urlencode(dataset)}" if dataset else "")
        served = self.server.served
        status, content_type, answer = forward(self.server, target, query.encode("utf-8"), headers,
                                               served)
        self._send(status, answer, content_type, {"X-Borderkg-Generation": str(served.generation)})


def forward(front: _Front, target: str, body: bytes, headers: dict,
            served: Served | None = None) -> tuple[int, str, bytes]:
    """Send a query to the engine (of ``served``, by default the current one) and read the
    whole answer before the time limit."""
    config, engine = front.config, (served or front.served).engine
    deadline = time.monotonic() + config.timeout + GRACE_S
    too_long = Refused(503, f"the query was stopped at the time limit of {config.timeout:g} s; "
                            "make it more selective (or ask the operator for a longer --timeout)")
    if not front.slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise Refused(503, "the server is busy with other queries; try again")
    try:
        for attempt in (1, 2):  # a second time only if a restart ended the first
            generation, port = engine.current()
            try:
                return _exchange(port, target, body, headers, deadline)
            except EngineCancelled:
                raise too_long from None
            except TimeoutError:
                engine.restart(generation)  # the only way to stop some queries
                raise too_long from None
            except (OSError, http.client.HTTPException) as exc:
                if engine.generation != generation and attempt == 1:
                    continue  # another query's restart ended this one: ask again
                engine.restart(generation)  # the engine died under this query
                raise Refused(503, "the query engine stopped while answering (the query may need "
                                   f"more memory than allowed); it was restarted ({exc})") from exc
    except ServeError as exc:  # a restart failed
        raise Refused(503, str(exc)) from exc
    finally:
        front.slots.release()
    raise AssertionError("unreachable")


def _exchange(port: int, target: str, body: bytes, headers: dict,
              deadline: float) -> tuple[int, str, bytes]:
    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    connection, reused = _POOL.take(port, remaining())
    reusable = False
    try:
        try:
            connection.request("POST", target, body, headers)
            response = connection.getresponse()
        except (OSError, http.client.HTTPException):
            if not reused:
                raise
            # A kept-alive connection the engine had closed: not the query's fault.
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=remaining())
            connection.request("POST", target, body, headers)
            response = connection.getresponse()
        chunks, size = [], 0
        while True:
            connection.sock.settimeout(remaining())
            chunk = response.read1(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_RESPONSE:
                raise Refused(500, f"the answer is larger than {MAX_RESPONSE >> 20} MB; add a LIMIT")
            chunks.append(chunk)
        answer = b"".join(chunks)
        if response.status == 200 and answer.endswith(CANCELLED):
            raise EngineCancelled
        reusable = not response.will_close
        return response.status, response.getheader("Content-Type", "text/plain"), answer
    finally:
        if reusable:
            _POOL.give(port, connection)
        else:
            connection.close()


class _ConnectionPool:
    """Kept-alive connections to the engine, per port. A new connection per query made the
    engine start a thread per query; under sustained load it ran out of threads."""

    def __init__(self, per_port: int = 32) -> None:
        self._idle: dict[int, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        self._per_port = per_port

    def take(self, port: int, timeout: float) -> tuple[http.client.HTTPConnection, bool]:
        """A connection to the engine, and whether it was kept alive from an earlier query."""
        with self._lock:
            idle = self._idle.get(port)
            connection = idle.pop() if idle else None
        if connection is None:
            return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout), False
        connection.timeout = timeout
        if connection.sock is not None:
            connection.sock.settimeout(timeout)
        return connection, True

    def give(self, port: int, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(port, [])
            if len(idle) < self._per_port:
                idle.append(connection)
                return
        connection.close()

    def drop(self, port: int) -> None:
        """Close the idle connections to an engine that is going away."""
        with self._lock:
            idle = self._idle.pop(port, [])
        for connection in idle:
            connection.close()


_POOL = _ConnectionPool()


# --- lifecycle -----------------------------------------------------------------------------

class Server:
    """The front and its engine. ``with Server(config) as server: server.url`` in tests;
    ``serve_forever()`` for the command line."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.front: _Front | None = None
        self.served: Served | None = None
        self._thread: threading.Thread | None = None
        self._watcher: threading.Thread | None = None
        self._stopping = threading.Event()
        self._retired: list[Served] = []
        self._retired_lock = threading.Lock()
        self._failed_generation: int | None = None

    @property
    def engine(self) -> Engine | None:
        """The engine answering now."""
        return self.served.engine if self.served else None

    @property
    def generation(self) -> int:
        """The store generation served now (0: a store never published)."""
        return self.served.generation if self.served else 0

    @property
    def url(self) -> str:
        host, port = self.front.server_address[:2]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def start(self) -> "Server":
        config = self.config
        if not Path(config.store).is_dir():
            raise StoreError(f"no store at {config.store}: run `borderkg build` first")
        front_class = _Front6 if ":" in config.host else _Front
        try:
            front = front_class((config.host, config.port), Handler)
        except OSError as exc:
            reason = ("the port is already in use (choose another with --port)"
                      if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc))
            raise ServeError(f"cannot listen on {config.host}:{config.port}: {reason}") from exc
        try:
            found = published(config.store)
            self.served = self._serve(found)
        except BaseException:
            front.server_close()
            self.stop()
            raise
        front.config, front.served = config, self.served
        front.slots = threading.BoundedSemaphore(config.max_concurrent)
        self.front = front
        if config.reload_interval > 0:
            self._watcher = threading.Thread(target=self._watch, name="borderkg-reload", daemon=True)
            self._watcher.start()
        return self

    def _serve(self, found: tuple[int, Path] | None) -> Served:
        """An engine started on (a copy of) the published snapshot ``found``, or on the store
        itself when nothing was published."""
        config = self.config
        snapshot = None
        try:
            if config.snapshot:
                snapshot = self._copy(found[1] if found else Path(config.store))
            engine = Engine(snapshot / "store" if snapshot else Path(config.store),
                            config.timeout, config.memory_limit_mb)
            engine.start()
        except BaseException:
            if snapshot is not None:
                shutil.rmtree(snapshot, ignore_errors=True)
            raise
        return Served(engine, found[0] if found else 0, snapshot)

    def _copy(self, source: Path) -> Path:
        """A private copy of a store (hard links where it can), in a new temporary folder."""
        import pyoxigraph

        folder = Path(tempfile.mkdtemp(prefix="borderkg-serve-"))
        try:
            pyoxigraph.Store.read_only(str(source)).backup(str(folder / "store"))
        except (OSError, RuntimeError, ValueError) as exc:  # RuntimeError: a corrupt store
            shutil.rmtree(folder, ignore_errors=True)
            raise StoreError(f"cannot take a snapshot of the store {source}: {exc}") from exc
        return folder

    def _watch(self) -> None:
        while not self._stopping.wait(self.config.reload_interval):
            try:
                self.reload()
            except Exception:  # the watcher must outlive any one failure
                log.exception("borderkg serve: checking for a new generation failed")

    def reload(self) -> bool:
        """Serve the newest published generation if it is not served yet; True if it was
        swapped in. The old engine ends when the queries it answers are past their limit."""
        found = published(self.config.store)
        if (found is None or self.served is None or found[0] == self.served.generation
                or found[0] == self._failed_generation or self._stopping.is_set()):
            return False
        try:
            served = self._serve(found)
        except Exception as exc:  # whatever went wrong, the generation served goes on
            self._failed_generation = found[0]
            log.warning("borderkg serve: could not load generation %d (%s); still serving "
                        "generation %d", found[0], exc, self.served.generation)
            return False
        with self._retired_lock:  # stop() takes the lock too: no swap after it
            if self._stopping.is_set():
                _release(served)
                return False
            old, self.served = self.served, served
            self.front.served = served
            self._retired.append(old)
        log.warning("borderkg serve: reloaded the store (generation %d)", served.generation)
        timer = threading.Timer(self.config.timeout + GRACE_S + 1.0, self._retire, (old,))
        timer.daemon = True
        timer.start()
        return True

    def _retire(self, served: Served) -> None:
        with self._retired_lock:
            if served not in self._retired:
                return  # stop() did it
            self._retired.remove(served)
        _release(served)

    def serve_forever(self) -> None:
        self.front.serve_forever(poll_interval=0.2)

    def start_background(self) -> "Server":
        self.start()
        self._thread = threading.Thread(target=self.serve_forever, name="borderkg-serve", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end the engines and remove the snapshots. Safe to call twice."""
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join(10)
            self._watcher = None
        if self._thread is not None and self.front is not None:
            self.front.shutdown()
            self._thread.join(5)
            self._thread = None
        if self.front is not None:
            self.front.server_close()
        with self._retired_lock:
            retired, self._retired = self._retired, []
            current = [self.served] if self.served else []
        for served in retired + current:
            _release(served)

    def __enter__(self) -> "Server":
        return self.start_background()

    def __exit__(self, *exc) -> None:
        self.stop()


def _release(served: Served) -> None:
    served.engine.stop()
    if served.snapshot is not None:
        shutil.rmtree(served.snapshot, ignore_errors=True)


# --- the query page ------------------------------------------------------------------------

def examples(directory: Path = paths.QUERIES) -> list[dict]:
    """The saved queries as runnable examples: prefixes declared, parameters bound to their
    defaults where they have one."""
    from borderkg.query import bound_text, saved_queries
    from borderkg.vocab import sparql_prefixes

    found = []
    for saved in saved_queries(directory):
        try:
            text = bound_text(saved)
        except BorderkgError:
            text = saved.text
        found.append({"name": saved.name, "title": saved.title or saved.name,
                      "description": saved.description, "text": sparql_prefixes() + text})
    return found


def query_page(config: ServeConfig) -> str:
    items = examples(config.queries)
    data = json.dumps(items, ensure_ascii=False).replace("<", "\\u003c")
    listing = "".join(f'<li><a href="#" data-example="{i}" title="{html.escape(q["description"])}">'
                      f'{html.escape(q["title"])}</a> <code>{html.escape(q["name"])}</code></li>'
                      for i, q in enumerate(items))
    first = html.escape(items[0]["text"]) if items else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    return PAGE.format(listing=listing, data=data, first=first, timeout=f"{config.timeout:g}")


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>borderkg SPARQL</title>
<style>body{{font:15px sans-serif;margin:1.5em;max-width:75em}}textarea{{width:100%;height:18em;
font:13px monospace}}table{{border-collapse:collapse;font-size:13px}}td,th{{border:1px solid #ccc;
padding:2px 6px;text-align:left;vertical-align:top}}pre{{background:#f6f6f6;padding:.5em;
overflow:auto}}#status{{margin-left:1em}}.error{{color:#a00}}</style></head>
<body><h1>borderkg SPARQL endpoint</h1>
<p>Endpoint: <code>/sparql</code> (SPARQL 1.1 Protocol, GET or POST; read-only; a query stops
after {timeout} s). Views: <a href="/viz/">/viz/</a>.</p>
<h2>Saved queries</h2><ul id="examples">{listing}</ul>
<form id="form"><textarea id="query" name="query" spellcheck="false">{first}</textarea><br>
<label>Result format <select id="accept">
<option value="application/sparql-results+json">table (JSON)</option>
<option value="application/sparql-results+xml">XML</option><option value="text/csv">CSV</option>
<option value="text/tab-separated-values">TSV</option><option value="text/turtle">Turtle</option>
<option value="application/n-triples">N-Triples</option>
<option value="application/ld+json">JSON-LD</option></select></label>
<button type="submit">Run</button><span id="status"></span></form>
<div id="result"></div>
<script type="application/json" id="example-data">{data}</script>
<script src="/query.js"></script></body></html>
"""

QUERY_JS = """\
const examples = JSON.parse(document.getElementById('example-data').textContent);
const $ = (id) => document.getElementById(id);
document.querySelectorAll('[data-example]').forEach((a) => a.addEventListener('click', (e) => {
  e.preventDefault(); $('query').value = examples[a.dataset.example].text;
}));
function table(json) {
  const t = document.createElement('table'), head = t.insertRow();
  if (json.boolean !== undefined) { head.insertCell().textContent = String(json.boolean); return t; }
  json.head.vars.forEach((v) => { const th = document.createElement('th'); th.textContent = v; head.appendChild(th); });
  json.results.bindings.forEach((b) => {
    const row = t.insertRow();
    json.head.vars.forEach((v) => { row.insertCell().textContent = b[v] ? b[v].value : ''; });
  });
  return t;
}
$('form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const accept = $('accept').value, started = performance.now();
  $('status').textContent = 'running…'; $('result').replaceChildren();
  try {
    const response = await fetch('/sparql', {method: 'POST', headers: {'Accept': accept},
      body: new URLSearchParams({query: $('query').value})});
    const text = await response.text(), type = response.headers.get('Content-Type') || '';
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      const pre = document.createElement('pre'); pre.className = 'error'; pre.textContent = text;
      $('result').appendChild(pre); $('status').textContent = response.status + ' (' + seconds + ' s)';
      return;
    }
    let node;
    if (type.startsWith('application/sparql-results+json')) {
      const json = JSON.parse(text); node = table(json);
      $('status').textContent = (json.results ? json.results.bindings.length + ' rows' : 'answer') + ' in ' + seconds + ' s';
    } else {
      node = document.createElement('pre'); node.textContent = text; $('status').textContent = seconds + ' s';
    }
    $('result').appendChild(node);
  } catch (err) { $('status').textContent = 'failed: ' + err; }
});
"""
