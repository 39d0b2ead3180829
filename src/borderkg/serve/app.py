"""The HTTP app (Starlette): routes and the guard every request passes.

Routes: ``/`` (the query page, YASGUI), its script, style and vendored libraries, ``/sparql``
(also ``/query``; without a query: the Service Description), ``/queries`` (the saved queries
as JSON) and ``/queries/NAME?param=value``, ``/entity?iri=…``, ``/viz/…``; any other method
anywhere is refused as read-only. The :class:`Guard` wraps the whole app, so that its checks
come first and its headers are on every answer, errors included: one ``Content-Length`` at
most and no chunked body (so a body's size is known before it is read), a ``Host`` the server
was started for, no cross-site POST (but queries to ``/sparql`` while CORS is on), and the
security headers. CORS (Starlette's middleware) answers preflights inside the guard.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import (FileResponse, HTMLResponse, JSONResponse, PlainTextResponse,
                                 RedirectResponse, Response)
from starlette.routing import Route

from borderkg.serve.describe import COUNTS, description, syntax_for
from borderkg.serve.entity import entity_page
from borderkg.serve.front import Front
from borderkg.serve.page import ASSETS, examples, folder_listing, media_type, query_page, view_file
from borderkg.serve.policy import (MAX_REQUEST, Refused, allowed_hosts, check_host, check_origin,
                                   read_query)
from borderkg.serve.protocol import accept_for

log = logging.getLogger("borderkg.serve")

QUERY_PATHS = ("/sparql", "/query")
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
COMMON_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                  (b"x-frame-options", b"DENY"), (b"cross-origin-opener-policy", b"same-origin")]
POLICY = (b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
          b"form-action 'self'")
# The query page: YASGUI (CodeMirror, DataTables) writes style attributes; its scripts are
# still only the server's own files.
PAGE_POLICY = (b"default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
# The views are generated pages with inline scripts and styles (pyvis): allowed there, and
# still nothing from another host.
VIEWS_POLICY = (b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
                b"'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'; "
                b"base-uri 'none'; form-action 'self'")


def refusal(refused: Refused) -> PlainTextResponse:
    headers = {"Allow": "GET, HEAD, POST"} if refused.status == 405 else None
    return PlainTextResponse(str(refused) + "\n", refused.status, headers=headers)


class Guard:
    """ASGI middleware around the whole app: request checks and response headers."""

    def __init__(self, app, front: Front) -> None:
        self.app, self.front = app, front
        config = front.config
        self.hosts = allowed_hosts(config.host, config.allow_host)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        policy = VIEWS_POLICY if path.startswith("/viz/") else PAGE_POLICY if path == "/" else POLICY

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"content-security-policy"]
                message = {**message, "headers": [*headers, *COMMON_HEADERS,
                                                  (b"content-security-policy", policy)]}
            await send(message)

        try:
            self.check(scope)
        except Refused as refused:
            return await refusal(refused)(scope, receive, with_headers)
        await self.app(scope, receive, with_headers)

    def check(self, scope) -> None:
        headers: dict[bytes, list[bytes]] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name.lower(), []).append(value)
        lengths = headers.get(b"content-length", [])
        if len(lengths) > 1 or any(b"," in v for v in lengths):
            raise Refused(400, "more than one Content-Length: refused")
        if headers.get(b"transfer-encoding"):
            raise Refused(411, "send the request with a Content-Length, not chunked")
        if lengths and not lengths[0].strip().isdigit():
            raise Refused(400, "bad Content-Length")
        if lengths and int(lengths[0]) > MAX_REQUEST:
            raise Refused(413, f"the request is larger than {MAX_REQUEST} bytes")
        first = lambda name: (headers.get(name) or [None])[0]  # noqa: E731
        check_host((first(b"host") or b"").decode("latin-1"), self.hosts)
        if self.front.config.cors and scope["path"] in QUERY_PATHS:
            return  # read-only queries, open to every origin (updates are refused anyway)
        origin, site = first(b"origin"), first(b"sec-fetch-site")
        check_origin(scope["method"], origin and origin.decode("latin-1"),
                     site and site.decode("latin-1"), scope["server"][1] if scope.get("server") else 0,
                     self.hosts, self.front.config.allow_origin)


async def page(request: Request) -> Response:
    config = request.app.state.front.config
    return HTMLResponse(query_page(config.queries, config.timeout))


async def asset(request: Request) -> Response:
    path = request.url.path
    target, kind = ASSETS[path]
    return FileResponse(target, media_type=kind, headers={"Cache-Control": "max-age=3600"})


async def views(request: Request) -> Response:
    relative = request.path_params.get("path", "")
    if request.url.path == "/viz":
        return RedirectResponse("/viz/", 301)
    target = view_file(request.app.state.front.config.viz, relative)
    if target.is_dir():
        if not request.url.path.endswith("/"):
            return RedirectResponse(request.url.path + "/", 301)
        return HTMLResponse(folder_listing(target))
    return FileResponse(target, media_type=media_type(target))


def answer(status: int, kind: str, body: bytes, generation: int) -> Response:
    return Response(body, status, headers={"Content-Type": kind,
                                           "X-Borderkg-Generation": str(generation)})


async def sparql(request: Request) -> Response:
    front: Front = request.app.state.front
    method = request.method
    params = request.query_params
    if method == "GET" and "query" not in params and "update" not in params:
        accept = request.headers.get("accept", "")
        if "text/html" in accept:
            return RedirectResponse("/", 303)  # a person, not a client
        return await service_description(front, str(request.url.replace(query="")), accept)
    deadline = front.deadline()
    body = await request.body() if method == "POST" else b""
    query, dataset = read_query("POST" if method == "POST" else "GET", request.url.query,
                                request.headers.get("content-type", ""), body)
    fmt = params.get("format") or params.get("output")
    if fmt is None and method == "POST" and body and "form" in request.headers.get("content-type", ""):
        form = parse_qs(body.decode("utf-8", "replace"))
        fmt = (form.get("format") or form.get("output") or [None])[0]
    accept = accept_for(fmt, request.headers.get("accept"))
    return answer(*await front.ask(query, accept, dataset, deadline))


async def service_description(front: Front, endpoint: str, accept: str) -> Response:
    """The Service Description with the VoID figures, counted once per generation."""
    served = front.served
    cache = front.descriptions
    if served.generation not in cache:
        names = list(COUNTS)
        try:
            rows = await asyncio.gather(*(front.select(COUNTS[name]) for name in names))
        except Refused as refused:  # busy or too long: the description without the figures
            log.warning("borderkg serve: the VoID figures could not be counted (%s)", refused)
            rows = None
        if rows is not None:
            cache.clear()
            cache[served.generation] = dict(zip(names, rows))
    kind, syntax = syntax_for(accept)
    body = description(endpoint, cache.get(served.generation, {}), syntax)
    return Response(body, 200, headers={"Content-Type": f"{kind}; charset=utf-8",
                                        "X-Borderkg-Generation": str(served.generation)})


async def saved_list(request: Request) -> Response:
    base = str(request.url.replace(query="")).rstrip("/")
    return JSONResponse([{**item, "url": f"{base}/{item['name']}"}
                         for item in examples(request.app.state.front.config.queries)])


async def saved_run(request: Request) -> Response:
    """A saved query with its parameters (``?NAME=VALUE``) bound as RDF terms."""
    from borderkg.errors import QueryError
    from borderkg.query import bound_text, load_query

    front: Front = request.app.state.front
    name = request.path_params["name"].removesuffix(".rq")
    params = dict(request.query_params)
    fmt = params.pop("format", None) or params.pop("output", None)
    params.pop("query", None)  # the text run is the saved one (YASGUI sends what it shows)
    try:
        if not re.fullmatch(r"[\w.-]+", name):
            raise QueryError(f"no saved query named {name!r}")
        saved = load_query(name, front.config.queries)
        text = bound_text(saved, params)
    except QueryError as exc:
        raise Refused(404 if "no saved query" in str(exc) else 400, str(exc)) from None
    return answer(*await front.ask(text, accept_for(fmt, request.headers.get("accept"))))


async def entity(request: Request) -> Response:
    iri = request.query_params.get("iri", "")
    if not iri:
        raise Refused(400, "give the resource as /entity?iri=IRI")
    return HTMLResponse(await entity_page(request.app.state.front, iri))


async def elsewhere(request: Request) -> Response:
    path = request.url.path
    if request.method == "OPTIONS":  # not a CORS preflight (that is answered before)
        return Response(None, 204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})
    if request.method not in ("GET", "HEAD"):
        raise Refused(405, f"this endpoint is read-only: {request.method} {path} is refused "
                           "(queries go to /sparql; updates and graph store writes are refused)")
    raise Refused(404, f"nothing at {path}: the query page is at /, the endpoint at /sparql")


async def on_refused(request: Request, refused: Refused) -> Response:
    return refusal(refused)


def create_app(front: Front) -> Guard:
    """The app serving ``front``; its client to the engine opens and closes with the app."""
    @contextlib.asynccontextmanager
    async def lifespan(app):
        await front.open()
        try:
            yield
        finally:
            await front.close()

    app = Starlette(routes=[
        Route("/", page, methods=["GET"]),
        *(Route(path, asset, methods=["GET"]) for path in ASSETS),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/query", sparql, methods=["GET", "POST"]),
        Route("/queries", saved_list, methods=["GET"]),
        Route("/queries/{name}", saved_run, methods=["GET"]),
        Route("/entity", entity, methods=["GET"]),
        Route("/viz", views, methods=["GET"]),
        Route("/viz/{path:path}", views, methods=["GET"]),
        Route("/{rest:path}", elsewhere, methods=ALL_METHODS),
    ], exception_handlers={Refused: on_refused}, lifespan=lifespan)
    app.state.front = front
    config = front.config
    # CORS (Starlette's): on by default for any origin, since the endpoint is read-only; with
    # --no-cors only the --allow-origin origins. Inside the guard, so its checks come first.
    cors = CORSMiddleware(app, allow_origins=["*"] if config.cors else list(config.allow_origin),
                          allow_methods=["GET", "HEAD", "POST", "OPTIONS"], allow_headers=["*"],
                          expose_headers=["X-Borderkg-Generation"], max_age=600)
    return Guard(cors, front)
