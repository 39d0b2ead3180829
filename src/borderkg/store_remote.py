"""A remote triple store (Fuseki, GraphDB, Virtuoso, Oxigraph server) behind ``GraphStore``.

It speaks the SPARQL 1.1 Protocol (query, update) and the Graph Store HTTP Protocol with
the standard library alone, and hands back pyoxigraph's own result types, parsed from the
standard result formats, so callers cannot tell it from ``OxigraphStore``.

Writes. ``replace_graph`` is one HTTP request, so the server applies it whole or not at all:
a Graph Store ``PUT`` of the graph as N-Triples when ``graph_store_url`` is given, else one
SPARQL Update request ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }`` (SPARQL 1.1
Update asks servers to apply a request atomically). ``remove_graph`` is ``DROP SILENT
GRAPH`` when ``update_url`` is given (unambiguous), else a ``DELETE`` whose 404 is taken to
mean there was nothing to remove. A store with neither URL is read-only. The server commits
each request before it answers, so ``flush`` does nothing.

Union of graphs. Servers disagree on what the default graph is (the union of all graphs in
GraphDB and Virtuoso, and in Oxigraph server started with ``--union-default-graph``; the
real default graph in Fuseki and in Oxigraph by default), and no rewrite of a query's text
gives the union in general. So ``query(..., use_default_graph_as_union=True)`` states the
dataset in the request, as the SPARQL 1.1 Protocol allows: every named graph, listed by one
query first, is passed both as ``default-graph-uri`` (their merge is the default graph) and
as ``named-graph-uri`` (so ``GRAPH ?g`` still sees each of them). This works on every server
that implements the Protocol. It differs from the embedded store in two ways borderkg
never meets: the server's real default graph is left out of the union (borderkg
never writes to it), and a graph written by another client between the two requests is
missed. A server may offer a parameter of its own instead (Oxigraph server:
``union-default-graph``): give its name as ``union_parameter`` and it is sent in place of the
list (one request, the embedded store's exact semantics, and about five times faster on
Oxigraph for the heaviest saved query). With ``use_default_graph_as_union=False`` no dataset
is sent, so the query sees the server's default graph: run servers without a
union-default-graph setting. ``triple_count`` counts the quads of the named graphs, for the
same reason.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from urllib.parse import quote, urlencode

from borderkg.errors import QueryError, StoreError
from borderkg.vocab import BKG, DCT

# SELECT/ASK answers in JSON (lossless, and the format every server offers); CONSTRUCT and
# DESCRIBE in N-Triples, Turtle or RDF/XML, whichever the server prefers of the three.
ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
          "application/n-triples;q=0.8, text/turtle;q=0.7, application/rdf+xml;q=0.5")
DOCUMENT_HASHES = (f"SELECT ?id ?sha WHERE {{ GRAPH ?g {{ ?d <{DCT}identifier> ?id ; "
                   f"<{BKG}sha256> ?sha }} }}")
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
QUAD_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


class RemoteQueryError(QueryError, StoreError):
    """The server refused a query (HTTP 400): invalid SPARQL, or a feature it lacks."""


def graph_store_target(graph_store_url: str, graph: str) -> str:
    """The Graph Store Protocol address of one named graph (indirect identification).

    >>> graph_store_target("http://localhost:7878/store", "https://w3id.org/borderkg/id/graph/a b")
    'http://localhost:7878/store?graph=https%3A%2F%2Fw3id.org%2Fborderkg%2Fid%2Fgraph%2Fa%20b'
    >>> graph_store_target("http://h/ds/data?x=1", "urn:g")
    'http://h/ds/data?x=1&graph=urn%3Ag'
    """
    return f"{graph_store_url}{'&' if '?' in graph_store_url else '?'}graph={quote(graph, safe='')}"


def prefix_lines(prefixes: dict[str, str] | None) -> str:
    """SPARQL ``PREFIX`` declarations to put before a query; its own declarations come later
    and so take precedence, as with pyoxigraph's ``prefixes`` argument.

    >>> prefix_lines({"schema": "http://schema.org/"})
    'PREFIX schema: <http://schema.org/>\\n'
    """
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (prefixes or {}).items())


def graph_triples(graph: str, quads: Iterable) -> list:
    """The triples of ``quads``, every one of which must be in ``graph`` (or be a triple).

    >>> from pyoxigraph import NamedNode, Quad
    >>> s, p = NamedNode("urn:s"), NamedNode("urn:p")
    >>> graph_triples("urn:g", [Quad(s, p, s, NamedNode("urn:g"))])
    [<Triple subject=<NamedNode value=urn:s> predicate=<NamedNode value=urn:p> object=<NamedNode value=urn:s>>]
    >>> graph_triples("urn:g", [Quad(s, p, s, NamedNode("urn:other"))])
    Traceback (most recent call last):
    ...
    ValueError: a quad of graph <urn:other> was given to replace_graph(<urn:g>)
    """
    from pyoxigraph import NamedNode, Quad

    node = NamedNode(graph)
    triples = []
    for quad in quads:
        if isinstance(quad, Quad):
            if quad.graph_name != node:
                raise ValueError(f"a quad of graph {quad.graph_name} was given to replace_graph({node})")
            quad = quad.triple
        triples.append(quad)
    return triples


def _iri(graph: str) -> str:
    """A graph name as an IRI in SPARQL text, checked by pyoxigraph so it cannot break out.

    >>> _iri("urn:g")
    '<urn:g>'
    >>> _iri("urn:g> } ; DROP ALL ; #")
    Traceback (most recent call last):
    ...
    ValueError: Invalid IRI code point '>'
    """
    from pyoxigraph import NamedNode

    return str(NamedNode(graph))


def _ntriples(triples: list) -> bytes:
    from pyoxigraph import RdfFormat, serialize

    return serialize(triples, format=RdfFormat.N_TRIPLES) or b""


class RemoteStore:
    """A SPARQL store reached over HTTP; ``auth`` is ``(user, password)`` for HTTP Basic,
    or a whole ``Authorization`` header value such as ``"Bearer …"``; ``union_parameter``
    names the server's own request parameter for a union default graph, if it has one."""

    def __init__(self, query_url: str, update_url: str | None = None,
                 graph_store_url: str | None = None, timeout: float = 30,
                 auth: tuple[str, str] | str | None = None,
                 union_parameter: str | None = None) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self.timeout = timeout
        self.union_parameter = union_parameter
        self._authorization = _authorization(auth)
        self._closed = False

    @classmethod
    def oxigraph_server(cls, base_url: str, **kwargs) -> "RemoteStore":
        """The endpoints of ``oxigraph serve`` at ``base_url`` (``http://localhost:7878``).

        >>> RemoteStore.oxigraph_server("http://localhost:7878/").graph_store_url
        'http://localhost:7878/store'
        """
        base = base_url.rstrip("/")
        kwargs.setdefault("union_parameter", "union-default-graph")
        return cls(f"{base}/query", f"{base}/update", f"{base}/store", **kwargs)

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    def document_hashes(self) -> dict[str, str]:
        """File name → content hash of every document in the store."""
        return {row["id"].value: row["sha"].value for row in self.query(DOCUMENT_HASHES)}

    def replace_graph(self, graph: str, quads: Iterable) -> None:
        """Replace the named graph ``graph`` with ``quads`` in one request; none removes it."""
        self.replace_graph_ntriples(graph, _ntriples(graph_triples(graph, quads)))

    def replace_graph_ntriples(self, graph: str, ntriples: bytes, merge: tuple[str, bytes] | None = None) -> None:
        """:meth:`replace_graph` with the triples already serialised as N-Triples; ``merge``
        is (another graph, N-Triples) added to that graph, in the same request when the
        server takes SPARQL updates."""
        from borderkg.store import replace_update

        has_merge = merge is not None and merge[1].strip()
        if not self.graph_store_url or (self.update_url and has_merge):
            self._update(replace_update(graph, ntriples, merge))  # pyoxigraph checks the IRIs
            return
        if not ntriples.strip():
            self.remove_graph(graph)
        else:
            self._request("PUT", graph_store_target(self.graph_store_url, graph), ntriples,
                          {"Content-Type": "application/n-triples"})
        if has_merge:  # a Graph Store alone: a POST adds the triples to the other graph
            self._request("POST", graph_store_target(self.graph_store_url, merge[0]), merge[1],
                          {"Content-Type": "application/n-triples"})

    def patch_graph(self, graph: str, removed: bytes, added: bytes, whole: bytes) -> None:
        """Take the N-Triples ``removed`` out of ``graph`` and add ``added``, in one update;
        a server with a Graph Store alone gets the graph replaced by ``whole``."""
        from borderkg.store import patch_update

        if not self.update_url:
            self.replace_graph_ntriples(graph, whole)
            return
        self._update(patch_update(graph, removed, added))

    def remove_graph(self, graph: str) -> None:
        """Remove the named graph ``graph``; removing a graph that is not there does nothing."""
        if self.graph_store_url and not self.update_url:
            self._request("DELETE", graph_store_target(self.graph_store_url, graph), ok_statuses=(404,))
        else:
            self._update(f"DROP SILENT GRAPH {_iri(graph)}")

    def query(self, sparql: str, *, use_default_graph_as_union: bool = False,
              prefixes: dict[str, str] | None = None, substitutions=None):
        """Run a query; SELECT gives ``QuerySolutions``, ASK ``QueryBoolean`` and CONSTRUCT or
        DESCRIBE ``QueryTriples``, as pyoxigraph's ``Store.query`` does."""
        if substitutions:
            raise NotImplementedError("RemoteStore.query does not take substitutions: "
                                      "bind values in the query text (VALUES)")
        form = [("query", prefix_lines(prefixes) + sparql)]
        if use_default_graph_as_union and self.union_parameter:
            form.append((self.union_parameter, "true"))
        elif use_default_graph_as_union:
            for graph in self.graphs():
                form += [("default-graph-uri", graph), ("named-graph-uri", graph)]
        content_type, body = self._request(
            "POST", self.query_url, urlencode(form).encode("ascii"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT}, is_query=True)
        return _adapt_results(content_type, body, self.query_url)

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs that hold at least one triple, sorted."""
        return sorted(row["g"].value for row in self.query(GRAPHS))

    def triple_count(self) -> int:
        """How many quads the named graphs hold."""
        return int(next(iter(self.query(QUAD_COUNT)))["n"].value)

    def flush(self) -> None:
        """Nothing to do: the server commits each request before it answers."""

    def close(self) -> None:
        self._closed = True

    def _update(self, update: str) -> None:
        if not self.update_url:
            raise StoreError(f"the store at {self.query_url} is read-only: "
                             "give it an update_url or a graph_store_url to write")
        self._request("POST", self.update_url, update.encode("utf-8"),
                      {"Content-Type": "application/sparql-update; charset=utf-8"})

    def _request(self, method: str, url: str, body: bytes | None = None,
                 headers: dict[str, str] | None = None, ok_statuses: tuple[int, ...] = (),
                 is_query: bool = False) -> tuple[str, bytes]:
        """Send one request; give back the response's media type and body, or raise StoreError."""
        import http.client
        import urllib.error
        import urllib.request

        if self._closed:
            raise StoreError(f"the store at {self.query_url} is closed")
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
        if self._authorization:
            request.add_header("Authorization", self._authorization)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                media_type = response.headers.get_content_type()
                return media_type, response.read()
        except urllib.error.HTTPError as exc:
            if exc.code in ok_statuses:
                return "", b""
            detail = " ".join(exc.read(600).decode("utf-8", "replace").split())
            message = f"{method} {url} failed: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
            if exc.code in (401, 403):
                message += " (check the store's credentials)"
            if is_query and exc.code == 400:
                raise RemoteQueryError(f"{url} rejected the query (HTTP 400): {detail}") from exc
            raise StoreError(message) from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise StoreError(f"{url} did not answer within {self.timeout} s") from exc
            raise StoreError(f"cannot reach the SPARQL store at {url}: {reason}") from exc
        except TimeoutError as exc:
            raise StoreError(f"{url} did not answer within {self.timeout} s") from exc
        except (http.client.HTTPException, ConnectionError) as exc:
            raise StoreError(f"{method} {url} failed: {type(exc).__name__}: {exc}") from exc


def _authorization(auth: tuple[str, str] | str | None) -> str | None:
    """The ``Authorization`` header value for ``auth``.

    >>> _authorization(("reader", "s3cret"))
    'Basic cmVhZGVyOnMzY3JldA=='
    """
    if auth is None or isinstance(auth, str):
        return auth
    user, password = auth
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")


def _adapt_results(media_type: str, body: bytes, url: str):
    """pyoxigraph's result objects for a query response, by its media type."""
    import pyoxigraph

    try:
        results_format = pyoxigraph.QueryResultsFormat.from_media_type(media_type)
        if results_format is not None:
            return pyoxigraph.parse_query_results(body, results_format)
        rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type)
        if rdf_format is not None:
            # Loaded into a scratch store and read back by CONSTRUCT, the graph comes back
            # as the very QueryTriples an embedded query gives (iterable, serialize()).
            scratch = pyoxigraph.Store()
            scratch.extend(list(pyoxigraph.parse(body, rdf_format)))
            return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"{url} sent a malformed {media_type} response: {exc}") from exc
    raise StoreError(f"{url} answered with {media_type or 'no media type'}, "
                     "neither SPARQL results nor RDF")
