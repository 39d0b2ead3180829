"""The endpoint's policies as pure functions: which requests are SPARQL queries, which
``SERVICE`` calls get a friendly refusal, which host names and origins are served, and whether
an answer of the engine came whole.

None of these is the guarantee that SERVICE fetches nothing: the engine is sealed
(:mod:`borderkg.serve.seal`) and cannot open a connection whatever it is asked. The textual
check here only turns the common cases into a clear 403 before the engine is asked. It reads
the query once, left to right (linear time), and at most :data:`MAX_REQUEST` bytes of it.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

MAX_REQUEST = 1 << 20    # bytes of a query request
QUERY_TYPES = ("application/sparql-query", "application/x-www-form-urlencoded")
CANCELLED = b"The SPARQL operation has been cancelled"  # what Oxigraph appends when it stops
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class Refused(Exception):
    """A request the endpoint will not run: an HTTP status and a sentence for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


# --- the SPARQL protocol --------------------------------------------------------------------

def read_query(method: str, query_string: str, content_type: str, body: bytes) -> tuple[str, list]:
    """The query text of a SPARQL Protocol request and its dataset parameters
    (``default-graph-uri``, ``named-graph-uri``); ``Refused`` for an update or a malformed one.
    Only these reach the engine, re-encoded, so it runs exactly the text that was checked.

    >>> read_query("GET", "query=ASK%20%7B%7D&format=json&default-graph-uri=http://x/g", "", b"")
    ('ASK {}', [('default-graph-uri', 'http://x/g')])
    >>> read_query("POST", "", "application/x-www-form-urlencoded", b"update=DROP+ALL")
    Traceback (most recent call last):
    borderkg.serve.policy.Refused: this endpoint is read-only: SPARQL Update is refused
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


# --- SERVICE: a friendly refusal (the seal is the guarantee) --------------------------------

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKENS = re.compile(r'''
    (?P<string> "{3}(?:[^"\\]|\\.|"(?!""))*+(?:"{3}|\Z) | '{3}(?:[^'\\]|\\.|'(?!''))*+(?:'{3}|\Z)
              | "(?:[^"\\\n]|\\.)*+(?:"|(?=\n)|\Z) | '(?:[^'\\\n]|\\.)*+(?:'|(?=\n)|\Z) )
  | (?P<iri> <[^<>"{}|^`\\\x00-\x20]*+> )
  | (?P<comment> \#[^\n]* )
  | (?P<var> [?$][\w\u00b7\u0300-\u036f\u203f\u2040]+ )
  | (?P<name> (?:[^\W\d][\w.-]*+)?:(?:[\w.:%-]|\\[_~.!$&'()*+,;=/?\#@%-])*+ )
  | (?P<word> [\w.-]+ )
''', re.X | re.S)  # each alternative ends within its own token: one pass, linear time


def unescape(query: str) -> str:
    r"""The query with its ``\u``/``\U`` escapes decoded, as a SPARQL parser reads it first.

    >>> unescape(r"SERVI\u0043E <http://x/>")
    'SERVICE <http://x/>'
    """
    def decode(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"

    return _ESCAPE.sub(decode, query)


def service_calls(query: str) -> list[str | None]:
    """What follows each place of ``query`` that could be a ``SERVICE`` keyword, as Oxigraph's
    parser may read it: the endpoint IRI, or ``None`` when it is not a plain IRI (a variable,
    a prefixed name, or a keyword glued to a name such as ``SERVICE:x`` or ``1SERVICE``).
    Strings, IRIs, comments, variables and prefixed names with escapes (``ex:a\\#``) are
    skipped whole, so the word elsewhere is no call.

    >>> service_calls('SELECT ?service { ?s schema:serviceType "SERVICE" } # SERVICE')
    []
    >>> service_calls('SELECT * { SERVICE SILENT <http://a/> {} SERVICE ?e {} sErViCe:q {} }')
    ['http://a/', None, None]
    >>> service_calls(r'PREFIX ex: <http://e/> SELECT * { BIND(ex:a\\# AS ?q) SERVICE <http://b/> {} }')
    ['http://b/']
    """
    text = unescape(query)
    if "service" not in text.lower():
        return []
    calls: list[str | None] = []
    expecting = False  # just after a SERVICE keyword (and SILENT)
    for match in _TOKENS.finditer(text):
        kind, token = match.lastgroup, match.group(0)
        if kind == "comment":
            continue
        if expecting and kind == "word" and token.lower() == "silent":
            continue
        if expecting:
            calls.append(token[1:-1] if kind == "iri" else None)
            expecting = False
        lowered = token.lower()
        if kind == "word" and lowered == "service":
            expecting = True
        elif ((kind == "word" and "service" in lowered)
              or (kind == "name" and "service" in lowered.split(":")[0])):
            calls.append(None)  # a glued form the engine may read as the keyword
    if expecting:
        calls.append(None)
    return calls


def service_mentions(query: str) -> int:
    """How many places of ``query`` could be a ``SERVICE`` call.

    >>> service_mentions('SELECT * { ?s ?p 1SERVICE <http://x/> {} sErViCe:q {} }')
    2
    """
    return len(service_calls(query))


def check_service(query: str, allowed: tuple[str, ...] = ()) -> None:
    """Refuse, with a sentence, a query whose ``SERVICE`` names an endpoint not allow-listed.

    >>> check_service("SELECT * { ?s ?p ?o }")
    >>> check_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    borderkg.serve.policy.Refused: SERVICE <http://example.org/sparql> is refused: this server fetches no URL for a client (the operator can allow an endpoint with --allow-service URL)
    >>> check_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    ...               ("http://example.org/sparql",))
    """
    for endpoint in service_calls(query):
        if endpoint is None:
            raise Refused(403, "SERVICE without a plain endpoint IRI is refused: this server "
                               "fetches no URL for a client")
        if endpoint not in allowed:
            raise Refused(403, f"SERVICE <{endpoint}> is refused: this server fetches no URL for a "
                               "client (the operator can allow an endpoint with --allow-service URL)")


def service_ports(allowed: tuple[str, ...]) -> list[int]:
    """The TCP ports the allow-listed SERVICE endpoints are on (the engine's seal opens these).

    >>> service_ports(("http://example.org/sparql", "https://x.org:8443/q"))
    [80, 8443]
    """
    ports = []
    for url in allowed:
        parts = urlsplit(url)
        ports.append(parts.port or (443 if parts.scheme == "https" else 80))
    return sorted(set(ports))


# --- who may ask: host names and origins ----------------------------------------------------

def host_name(header: str) -> str | None:
    """The host name of a ``Host`` header (or an origin's authority), lower-case, without the
    port and IPv6 brackets; ``None`` when malformed.

    >>> host_name("LocalHost:7878"), host_name("[::1]:80"), host_name("a b")
    ('localhost', '::1', None)
    """
    try:
        parts = urlsplit("//" + header.strip())
        name = parts.hostname
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return None
    return name if name and not re.search(r"[\s/\\@]", header) else None


def allowed_hosts(host: str, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The host names the server answers to: loopback's, the address it listens on, and the
    operator's ``--allow-host`` names (a DNS-rebinding page names its own host: refused).

    >>> sorted(allowed_hosts("0.0.0.0", ("kg.example.org",)))
    ['0.0.0.0', '127.0.0.1', '::1', 'kg.example.org', 'localhost']
    """
    return frozenset(name.strip("[]").lower() for name in (*LOCAL_HOSTS, host, *extra))


def check_host(header: str, hosts: frozenset[str]) -> None:
    """Refuse a request whose ``Host`` is not one of ``hosts``.

    >>> check_host("127.0.0.1:7878", allowed_hosts("127.0.0.1"))
    >>> check_host("evil.example.com", allowed_hosts("127.0.0.1"))
    Traceback (most recent call last):
    borderkg.serve.policy.Refused: this server does not answer for the host evil.example.com (the operator can allow a name with --allow-host)
    """
    if host_name(header) not in hosts:
        shown = header[:100] or "(none)"
        raise Refused(421 if header else 400, f"this server does not answer for the host {shown} "
                                              "(the operator can allow a name with --allow-host)")


def check_origin(method: str, origin: str | None, fetch_site: str | None, port: int,
                 hosts: frozenset[str], origins: tuple[str, ...] = ()) -> None:
    """Refuse a cross-site request that could act (anything but GET/HEAD/OPTIONS): one whose
    ``Origin`` is not this server's, or that a browser marks ``Sec-Fetch-Site: cross-site``,
    unless the operator allowed that origin (``--allow-origin``). Clients that send neither
    header (curl, SPARQLWrapper) are not browsers acting for a page and are let through.

    >>> hosts = allowed_hosts("127.0.0.1")
    >>> check_origin("POST", "http://localhost:7878", "same-origin", 7878, hosts)
    >>> check_origin("GET", "https://evil.example", "cross-site", 7878, hosts)
    >>> check_origin("POST", "https://evil.example", None, 7878, hosts)
    Traceback (most recent call last):
    borderkg.serve.policy.Refused: a cross-site POST from https://evil.example is refused (the operator can allow an origin with --allow-origin)
    """
    if method in ("GET", "HEAD", "OPTIONS"):
        return
    if origin is not None and origin in origins:
        return
    same = origin is None
    if origin is not None:
        parts = urlsplit(origin)
        try:
            same = (parts.scheme in ("http", "https") and host_name(parts.netloc) in hosts
                    and (parts.port or (443 if parts.scheme == "https" else 80)) == port)
        except ValueError:
            same = False
    if not same or (fetch_site or "").lower() == "cross-site":
        raise Refused(403, f"a cross-site {method} from {(origin or 'another site')[:100]} is "
                           "refused (the operator can allow an origin with --allow-origin)")


# --- answers --------------------------------------------------------------------------------

def answer_is_whole(content_type: str, body: bytes) -> bool:
    """Whether an engine answer that came as ``200`` is whole. Oxigraph reports an error met
    while it streams (its own cancellation included) by appending the error's text to the
    body it has begun; JSON and XML answers are checked to be complete documents.

    >>> answer_is_whole("application/sparql-results+json", b'{"head":{"vars":[]},"boolean":true}')
    True
    >>> answer_is_whole("application/sparql-results+json", b'{"head":{"vars":["a"]},"results":{"bindings":[{Error')
    False
    >>> answer_is_whole("text/csv", b"n\\r\\n1\\r\\n" + CANCELLED)
    False
    """
    if body.endswith(CANCELLED):
        return False
    kind = content_type.split(";")[0].strip().lower()
    if kind.endswith("json"):
        try:
            json.loads(body)
        except ValueError:
            return False
    elif kind.endswith("xml"):
        tail = body.rstrip()[-16:]
        return tail.endswith(b"</sparql>") or tail.endswith(b"</rdf:RDF>") or tail.endswith(b"/>")
    return True
