"""The HTTP app (Starlette): routes and the guard every request passes.

Routes: ``/`` (query page), ``/query.js`` and ``/query.css``, ``/sparql`` (also ``/query``),
``/viz/…``; any other method anywhere is refused as read-only. The :class:`Guard` wraps the
whole app, so that its checks come first and its headers are on every answer, errors
included: one ``Content-Length`` at most and no chunked body (so a body's size is known before
it is read), a ``Host`` the server was started for, no cross-site POST, and the security
headers. Room is left for what comes later (CORS for read-only GETs, a service description):
``check_origin`` lets GETs through whatever their origin.
"""

from __future__ import annotations

import contextlib
import logging
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from borderkg.serve.front import Front
from borderkg.serve.page import ASSETS, STATIC, folder_listing, media_type, query_page, view_file
from borderkg.serve.policy import (MAX_REQUEST, Refused, allowed_hosts, check_host, check_origin,
                                   read_query)

log = logging.getLogger("borderkg.serve")

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
COMMON_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                  (b"x-frame-options", b"DENY"), (b"cross-origin-opener-policy", b"same-origin")]
POLICY = (b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
          b"form-action 'self'")
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
        policy = VIEWS_POLICY if scope["path"].startswith("/viz/") else POLICY

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
        origin, site = first(b"origin"), first(b"sec-fetch-site")
        check_origin(scope["method"], origin and origin.decode("latin-1"),
                     site and site.decode("latin-1"), scope["server"][1] if scope.get("server") else 0,
                     self.hosts, self.front.config.allow_origin)


async def page(request: Request) -> Response:
    config = request.app.state.front.config
    return HTMLResponse(query_page(config.queries, config.timeout))


async def asset(request: Request) -> Response:
    name = request.url.path.lstrip("/")
    return FileResponse(STATIC / name, media_type=ASSETS[name])


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


async def sparql(request: Request) -> Response:
    front: Front = request.app.state.front
    method = request.method
    if (method == "GET" and "query" not in request.query_params
            and "text/html" in request.headers.get("accept", "")):
        return RedirectResponse("/", 303)  # a person, not a client
    deadline = front.deadline()
    body = await request.body() if method == "POST" else b""
    query, dataset = read_query("POST" if method == "POST" else "GET", request.url.query,
                                request.headers.get("content-type", ""), body)
    await front.check(query, deadline)
    headers = {"Accept": request.headers.get("accept") or "*/*",
               "Content-Type": "application/sparql-query; charset=utf-8"}
    target = "/query" + (f"?{urlencode(dataset)}" if dataset else "")
    served = front.served
    status, kind, answer = await front.forward(target, query.encode("utf-8"), headers, deadline,
                                               served)
    return Response(answer, status, headers={"Content-Type": kind,
                                             "X-Borderkg-Generation": str(served.generation)})


async def elsewhere(request: Request) -> Response:
    path = request.url.path
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
        Route("/query.js", asset, methods=["GET"]),
        Route("/query.css", asset, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/query", sparql, methods=["GET", "POST"]),
        Route("/viz", views, methods=["GET"]),
        Route("/viz/{path:path}", views, methods=["GET"]),
        Route("/{rest:path}", elsewhere, methods=ALL_METHODS),
    ], exception_handlers={Refused: on_refused}, lifespan=lifespan)
    app.state.front = front
    return Guard(app, front)
