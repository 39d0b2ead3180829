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
that implements the Protocol. It differs from the embedded store in three ways borderkg
never meets: the server's real default graph is left out of the union (borderkg
never writes to it), a graph written by another client between the two requests is
missed, and a triple in several graphs may count once (Jena merges the listed graphs
without duplicates; Oxigraph's union keeps one per graph) — no triple of a build is in two
graphs. A server may offer a parameter of its own instead (Oxigraph server:
``union-default-graph``): give its name as ``union_parameter`` and it is sent in place of the
list (one request, the embedded store's exact semantics, and about five times faster on
Oxigraph for the heaviest saved query). With ``use_default_graph_as_union=False`` no dataset
is sent, so the query sees the server's default graph: run servers without a
union-default-graph setting (Virtuoso has no other: its default graph is every graph; the
queries borderkg sends without a dataset name their graphs, ``GRAPH ?g``). ``triple_count``
counts the quads of the named graphs, for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO
from urllib.parse import quote, urlencode, urlsplit

from borderkg.errors import QueryError, StoreError
from borderkg.store.auth import Credentials, opener, split_userinfo
from borderkg.store.sparql import (DOCUMENT_HASHES, graph_triples, iri, prefix_lines,
                                   query_form, patch_update, replace_update, serialize_ntriples)

# SELECT/ASK answers in JSON (lossless, and the format every server offers); CONSTRUCT and
# DESCRIBE in N-Triples, Turtle or RDF/XML. Asked by the query's form: Virtuoso 7 takes the
# first type listed whatever the form, and sends a graph as a table of ?s ?p ?o when asked
# for SPARQL results first.
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
# Virtuoso 7 answers ASK with a one-row table of this variable (1 or 0), not a boolean.
VIRTUOSO_ASK = "__ASK_RETVAL"
# GROUP BY, not DISTINCT, and the prefixes of graphs_under tested here, not in a FILTER: for the
# 66k quads of a data/reports build Virtuoso 7 answers this in 0.03 s, DISTINCT in 8-14 s and a
# FILTER on STR(?g) in 0.5 s (Oxigraph server: 0.09 s, and 0.4 s with the FILTER); every query
# over the union of graphs lists them first.
GRAPHS = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
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


class RemoteStore:
    """A SPARQL store reached over HTTP; ``auth`` is ``(user, password)`` or
    :class:`~borderkg.store.auth.Credentials` for HTTP Basic, or a whole ``Authorization``
    header value such as ``"Bearer …"`` (user information in a URL is taken as credentials
    when ``auth`` is None, and removed from the URL); ``union_parameter`` names the server's
    own request parameter for a union default graph, if it has one. The header is sent to
    the store's origin only, never on to another after a redirect, and no message shows it.
    ``graphs_under`` (IRI prefixes) makes the store the named graphs under them alone, for a
    server that holds other graphs too (another project's; Virtuoso's own, such as
    ``http://www.openlinksw.com/schemas/virtrdf#``): :meth:`graphs`, :meth:`triple_count`,
    :meth:`quads`, :meth:`document_hashes` and the listed union of graphs see no other (a
    ``union_parameter`` union is the server's, of every graph)."""

    parallel_writes = False  # a server may deadlock on concurrent updates (Virtuoso can)

    def __init__(self, query_url: str, update_url: str | None = None,
                 graph_store_url: str | None = None, timeout: float = 300,
                 auth: tuple[str, str] | str | None = None,
                 union_parameter: str | None = None, graphs_under: tuple[str, ...] = ()) -> None:
        query_url, user, password = split_userinfo(query_url)
        if auth is None and user is not None:
            auth = Credentials(user, password or "")
        self.query_url = query_url
        self.update_url = update_url and split_userinfo(update_url)[0]
        self.graph_store_url = graph_store_url and split_userinfo(graph_store_url)[0]
        self.timeout = timeout
        self.union_parameter = union_parameter
        self.graphs_under = tuple(graphs_under)
        self._authorization = _authorization(auth)
        self._secret = auth.password if isinstance(auth, Credentials) else \
            auth[1] if isinstance(auth, tuple) else auth  # never in a message
        self._opener = opener()
        self._closed = False

    @classmethod
    def oxigraph_server(cls, base_url: str, read_only: bool = False, **kwargs) -> "RemoteStore":
        """The endpoints of ``oxigraph serve`` at ``base_url`` (``http://localhost:7878``);
        ``read_only`` leaves out the write endpoints.

        >>> RemoteStore.oxigraph_server("http://localhost:7878/").graph_store_url
        'http://localhost:7878/store'
        >>> RemoteStore.oxigraph_server("http://localhost:7878/", read_only=True).update_url is None
        True
        """
        base = _take_userinfo(base_url, kwargs)
        kwargs.setdefault("union_parameter", "union-default-graph")
        if read_only:
            return cls(f"{base}/query", **kwargs)
        return cls(f"{base}/query", f"{base}/update", f"{base}/store", **kwargs)

    @classmethod
    def dataset(cls, url: str, read_only: bool = False, **kwargs) -> "RemoteStore":
        """A dataset that takes queries and updates at its own URL, as Fuseki's does
        (``fuseki-server --mem /ds``: ``http://localhost:3030/ds``); writes are SPARQL Updates.

        >>> store = RemoteStore.dataset("http://localhost:3030/ds/")
        >>> store.query_url, store.update_url, store.graph_store_url
        ('http://localhost:3030/ds', 'http://localhost:3030/ds', None)
        >>> RemoteStore.dataset("http://localhost:3030/ds", read_only=True).update_url is None
        True
        """
        url = _take_userinfo(url, kwargs)
        return cls(url, **kwargs) if read_only else cls(url, url, **kwargs)

    @classmethod
    def from_url(cls, url: str, **kwargs) -> "RemoteStore":
        """The store at the URL given as ``--store``: with no path, an Oxigraph server
        (:meth:`oxigraph_server`); with a path, a dataset URL (:meth:`dataset`).

        >>> RemoteStore.from_url("http://localhost:7878").query_url
        'http://localhost:7878/query'
        >>> RemoteStore.from_url("https://kg.example.org/fuseki/borderkg").update_url
        'https://kg.example.org/fuseki/borderkg'
        """
        if urlsplit(url).path.strip("/"):
            return cls.dataset(url, **kwargs)
        return cls.oxigraph_server(url, **kwargs)

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    def document_hashes(self) -> dict[str, str]:
        """File name → content hash of every document in the store."""
        return {row["id"].value: row["sha"].value for row in self.query(self._scoped(DOCUMENT_HASHES))}

    def quads(self) -> Iterable:
        """Every quad of the named graphs: the graphs listed, then each read by a CONSTRUCT in a
        graph format. Virtuoso 7 writes the 57k triples of the gazetteer as N-Triples in 1.2 s
        and as JSON results in 12 s: the 66k quads of a data/reports build take 2.2 s so, 20 s
        by one SELECT of every quad (an Oxigraph server: 1.4 s and 3.5 s). A graph written by
        another client meanwhile may be missed, and a blank node is one graph's (borderkg
        writes none)."""
        from pyoxigraph import NamedNode, Quad

        for graph in self.graphs():
            name = NamedNode(graph)
            for triple in self._constructed(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}"):
                yield Quad(triple.subject, triple.predicate, triple.object, name)

    def dump(self, output: BinaryIO, format, prefixes: dict[str, str] | None = None) -> None:
        """The named graphs in a dataset format (``RdfFormat.TRIG``, ``N_QUADS``) to ``output``."""
        from pyoxigraph import serialize

        serialize(self.quads(), output, format, prefixes=prefixes)

    def replace_graph(self, graph: str, quads: Iterable) -> None:
        """Replace the named graph ``graph`` with ``quads`` in one request; none removes it."""
        self.replace_graph_ntriples(graph, serialize_ntriples(graph_triples(graph, quads)))

    def replace_graph_ntriples(self, graph: str, ntriples: bytes, merge: tuple[str, bytes] | None = None) -> None:
        """:meth:`replace_graph` with the triples already serialised as N-Triples; ``merge``
        is (another graph, N-Triples) added to that graph, in the same request when the
        server takes SPARQL updates."""
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

    def patch_graph(self, graph: str, removed: bytes, added: bytes, whole) -> None:
        """Take the N-Triples ``removed`` out of ``graph`` and add ``added``, in one update;
        a server with a Graph Store alone gets the graph replaced by ``whole`` (N-Triples, or
        a function giving them)."""
        if not self.update_url:
            self.replace_graph_ntriples(graph, whole() if callable(whole) else whole)
            return
        self._update(patch_update(graph, removed, added))

    def remove_graph(self, graph: str) -> None:
        """Remove the named graph ``graph``; removing a graph that is not there does nothing."""
        if self.graph_store_url and not self.update_url:
            self._request("DELETE", graph_store_target(self.graph_store_url, graph), ok_statuses=(404,))
        else:
            self._update(f"DROP SILENT GRAPH {iri(graph)}")

    def query(self, sparql: str, *, use_default_graph_as_union: bool = False,
              prefixes: dict[str, str] | None = None, substitutions=None,
              default_graph: str | list[str] | None = None):
        """Run a query; SELECT gives ``QuerySolutions``, ASK ``QueryBoolean`` and CONSTRUCT or
        DESCRIBE ``QueryTriples``, as pyoxigraph's ``Store.query`` does. ``default_graph``
        makes that named graph (or the union of those) the default graph (the protocol's
        ``default-graph-uri``)."""
        if substitutions:
            raise NotImplementedError("RemoteStore.query does not take substitutions: "
                                      "bind values in the query text (VALUES)")
        form = [("query", prefix_lines(prefixes) + sparql)]
        if default_graph is not None:
            graphs = [default_graph] if isinstance(default_graph, str) else default_graph
            form += [("default-graph-uri", graph) for graph in graphs]
        elif use_default_graph_as_union and self.union_parameter:
            form.append((self.union_parameter, "true"))
        elif use_default_graph_as_union:
            for graph in self.graphs():
                form += [("default-graph-uri", graph), ("named-graph-uri", graph)]
        form_keyword = query_form(form[0][1])
        accept = GRAPH_ACCEPT if form_keyword in ("CONSTRUCT", "DESCRIBE") else RESULTS_ACCEPT
        content_type, body = self._request(
            "POST", self.query_url, urlencode(form).encode("ascii"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, is_query=True)
        results = _adapt_results(content_type, body, self.query_url)
        return _as_boolean(results) if form_keyword == "ASK" else results

    def _constructed(self, construct: str) -> Iterable:
        """The triples a CONSTRUCT gives, parsed straight from the response (``query`` loads
        them into a scratch store first, to hand back ``QueryTriples``)."""
        import pyoxigraph

        media_type, body = self._request(
            "POST", self.query_url, urlencode([("query", construct)]).encode("ascii"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": GRAPH_ACCEPT}, is_query=True)
        rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type)
        if rdf_format is None:
            raise StoreError(f"{self.query_url} answered a CONSTRUCT with {media_type or 'no media type'}, not RDF")
        try:
            return list(pyoxigraph.parse(body, rdf_format))
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.query_url} sent a malformed {media_type} response: {exc}") from exc

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs that hold at least one triple, sorted."""
        names = (row["g"].value for row in self.query(GRAPHS))
        return sorted(name for name in names if not self.graphs_under or name.startswith(self.graphs_under))

    def triple_count(self) -> int:
        """How many quads the named graphs hold."""
        return int(next(iter(self.query(self._scoped(QUAD_COUNT))))["n"].value)

    def flush(self) -> None:
        """Nothing to do: the server commits each request before it answers."""

    def publish(self) -> None:
        """Nothing to do: other clients see each request once the server has answered it."""

    def close(self) -> None:
        self._closed = True

    def _scoped(self, query: str) -> str:
        """One of the fixed queries above, whose ``?g`` is each named graph, kept to the graphs
        under ``graphs_under``: a FILTER put last in its WHERE group.

        >>> RemoteStore("http://h/q", graphs_under=("urn:bkg:",))._scoped(QUAD_COUNT)
        'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "urn:bkg:")) }'
        >>> RemoteStore("http://h/q")._scoped(QUAD_COUNT) == QUAD_COUNT
        True
        """
        from pyoxigraph import Literal

        if not self.graphs_under:
            return query
        tests = " || ".join(f"STRSTARTS(STR(?g), {Literal(prefix)})" for prefix in self.graphs_under)
        return f"{query.rstrip()[:-1].rstrip()} FILTER({tests}) }}"

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
        import urllib.request

        if self._closed:
            raise StoreError(f"the store at {self.query_url} is closed")
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
        if self._authorization:  # unredirected: see borderkg.store.auth.OriginRedirects
            request.add_unredirected_header("Authorization", self._authorization)
        try:
            return self._send(request, ok_statuses, is_query)
        except StoreError as exc:  # a server may echo the credentials: never show them
            message = str(exc)
            for secret in (self._authorization, self._secret):
                if secret:
                    message = message.replace(secret, "***")
            if message != str(exc):
                raise type(exc)(message) from None
            raise

    def _send(self, request, ok_statuses: tuple[int, ...], is_query: bool) -> tuple[str, bytes]:
        import http.client
        import urllib.error

        method, url = request.get_method(), request.full_url
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
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


def _take_userinfo(url: str, kwargs: dict) -> str:
    """The URL without a trailing slash or user information; the latter, if any, becomes
    ``kwargs["auth"]`` unless credentials were given."""
    url, user, password = split_userinfo(url.rstrip("/"))
    if user is not None:
        kwargs.setdefault("auth", Credentials(user, password or ""))
    return url


def _authorization(auth: Credentials | tuple[str, str] | str | None) -> str | None:
    """The ``Authorization`` header value for ``auth``.

    >>> _authorization(("reader", "s3cret"))
    'Basic cmVhZGVyOnMzY3JldA=='
    """
    if auth is None or isinstance(auth, str):
        return auth
    return (auth if isinstance(auth, Credentials) else Credentials(*auth)).header()


def _as_boolean(results):
    """An ASK's answer as ``QueryBoolean``, also when the server sent it as Virtuoso 7 does
    (a table of one row, ``__ASK_RETVAL`` = 1 or 0).

    >>> import pyoxigraph
    >>> table = b'{"head":{"vars":["__ASK_RETVAL"]},"results":{"bindings":[{"__ASK_RETVAL":'
    >>> table += b'{"type":"typed-literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"1"}}]}}'
    >>> _as_boolean(pyoxigraph.parse_query_results(table, pyoxigraph.QueryResultsFormat.JSON))
    <QueryBoolean true>
    """
    import pyoxigraph

    if not isinstance(results, pyoxigraph.QuerySolutions) or \
            [v.value for v in results.variables] != [VIRTUOSO_ASK]:
        return results
    rows = list(results)
    answer = bool(rows) and rows[0][VIRTUOSO_ASK] is not None and rows[0][VIRTUOSO_ASK].value not in ("0", "false")
    return pyoxigraph.parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if answer else b"false"),
                                          pyoxigraph.QueryResultsFormat.JSON)


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
