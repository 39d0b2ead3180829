"""Forwarding a checked query to the engine, within the time limit the front enforces itself.

The answer is read whole (up to :data:`MAX_RESPONSE`) before anything is sent, so the client
gets either a complete ``200`` or an error status: never a ``200`` with a body cut short or
with an engine error appended. When the time limit passes, the front answers 503 and restarts
the engine (the only way to stop some of Oxigraph's operators); the queries that a restart
ended are asked again on the new engine, within their own deadline. Connections to the engine are kept alive (httpx's pool,
bounded), and queries go through :class:`~borderkg.serve.lanes.Lanes`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import anyio
import httpx

from borderkg import paths
from borderkg.serve.engine import Served, ServeError
from borderkg.serve.lanes import Busy, Lanes
from borderkg.serve.policy import CANCELLED, Refused, answer_is_whole, check_service
from borderkg.serve.protocol import error_sentence, with_prefixes
from borderkg.serve.cache import Answer, AnswerCache, Flights, answer_key

GRACE_S = 0.5             # the front adds this to the limit before it acts
MAX_RESPONSE = 256 << 20  # bytes of an answer held in memory
INLINE_CHECK = 4096       # characters of a query checked in the event loop; longer: a thread


@dataclass(frozen=True)
class ServeConfig:
    """What ``borderkg serve`` serves, where, and under which limits."""

    store: Path = paths.STORE
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    allow_service: tuple[str, ...] = ()
    allow_host: tuple[str, ...] = ()
    allow_origin: tuple[str, ...] = ()
    viz: Path = paths.VIZ
    queries: Path = paths.QUERIES
    snapshot: bool = True
    memory_limit_mb: int = 8192
    max_concurrent: int = 4       # places of the short lane
    long_slots: int = 2           # places of the long lane
    long_after: float = 0.5       # seconds after which a query counts as long
    reload_interval: float = 1.0  # seconds between looks for a new generation; 0: never
    cors: bool = True             # any web origin may send read-only queries and read answers
    cached_answers: int = 512     # whole answers kept per generation for repeated queries; 0: none


class Front:
    """The state the HTTP app shares: what is served now, the lanes, the client to the engine."""

    def __init__(self, config: ServeConfig, served: Served) -> None:
        self.config, self.served = config, served
        self.lanes = Lanes(config.max_concurrent, config.long_slots, config.long_after)
        self.client: httpx.AsyncClient | None = None
        self._checks = anyio.CapacityLimiter(2)
        self.descriptions: dict[int, dict] = {}  # the VoID figures, by generation
        self.answers = AnswerCache(max_entries=config.cached_answers)  # of the generation served
        self.flights = Flights()  # identical queries being computed, shared while they are

    async def open(self) -> None:
        size = 4 * (self.config.max_concurrent + self.config.long_slots)
        self.client = httpx.AsyncClient(
            limits=httpx.Limits(max_connections=size, max_keepalive_connections=size,
                                keepalive_expiry=30),
            timeout=httpx.Timeout(self.config.timeout + GRACE_S), trust_env=False)

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()

    def deadline(self) -> float:
        return asyncio.get_running_loop().time() + self.config.timeout + GRACE_S

    def too_long(self) -> Refused:
        return Refused(503, f"the query was stopped at the time limit of {self.config.timeout:g} s; "
                            "make it more selective (or ask the operator for a longer --timeout)")

    async def check(self, query: str, deadline: float) -> None:
        """The friendly SERVICE check, within the deadline; a long query is read in a worker
        thread (two at most), so that the event loop never waits on it."""
        allowed = self.config.allow_service
        if len(query) <= INLINE_CHECK:
            return check_service(query, allowed)
        try:
            async with asyncio.timeout(deadline - asyncio.get_running_loop().time()):
                await anyio.to_thread.run_sync(check_service, query, allowed,
                                               limiter=self._checks, abandon_on_cancel=True)
        except TimeoutError:
            raise self.too_long() from None

    async def ask(self, query: str, accept: str, dataset: list | tuple = (),
                  deadline: float | None = None) -> tuple[int, str, bytes, int]:
        """Run a client's query: the project's prefixes it does not declare put in front, the
        SERVICE check, the engine; a parser error becomes one sentence (a 400). Returns the
        status, media type, body and the generation that answered."""
        deadline = self.deadline() if deadline is None else deadline
        text, added = with_prefixes(query)
        served = self.served
        key = answer_key(text, accept or "*/*", dataset)
        kept = self.answers.get(served.generation, key)  # a new generation empties the cache
        if kept is not None:  # the same query on the same published store: the same answer
            return kept.status, kept.content_type, kept.body, served.generation
        await self.check(text, deadline)
        headers = {"Accept": accept or "*/*", "Content-Type": "application/sparql-query; charset=utf-8"}
        target = "/query" + (f"?{urlencode(list(dataset))}" if dataset else "")

        async def compute():
            return await self.forward(target, text.encode("utf-8"), headers, deadline, served)

        if served.generation and self.config.cached_answers:  # answers that will be kept are shared
            try:  # the first of identical queries runs under forward's own deadline, the others wait
                status, kind, answer = await self.flights.run((served.generation, key), compute, deadline)
            except TimeoutError:
                raise self.too_long() from None
        else:
            status, kind, answer = await compute()
        if status == 200:
            self.answers.put(served.generation, key, Answer(status, kind, answer))
        if status == 400:
            raise Refused(400, error_sentence(answer.decode("utf-8", "replace"), query, added))
        return status, kind, answer, served.generation

    async def select(self, query: str) -> list[dict[str, str]]:
        """The rows of a SELECT the server itself asks (values as text; unbound: absent)."""
        status, _, answer, _ = await self.ask(query, "application/sparql-results+json")
        if status != 200:
            raise Refused(502, f"the engine answered {status}: {answer[:200].decode('utf-8', 'replace')}")
        return [{name: cell["value"] for name, cell in row.items()}
                for row in json.loads(answer)["results"]["bindings"]]

    async def forward(self, target: str, body: bytes, headers: dict, deadline: float,
                      served: Served) -> tuple[int, str, bytes]:
        """Send a query to the engine of ``served`` and read its whole answer. It waits for a
        place until ``deadline`` at most, then has the whole time limit to run."""
        loop = asyncio.get_running_loop()
        engine = served.engine
        key = int.from_bytes(hashlib.blake2b(target.encode() + b"\0" + body, digest_size=8).digest())
        try:
            async with self.lanes.admit(key, deadline - loop.time()):
                deadline = self.deadline()  # the limit counts from the start of the run
                closed = 0  # kept-alive connections found closed
                while True:  # until an answer, an error, or the deadline
                    if not engine.ready().done():  # a restart under way: wait for it
                        await asyncio.wrap_future(engine.ready())
                    generation = engine.generation
                    try:
                        if not engine.alive():  # it ended while idle
                            await asyncio.wrap_future(engine.restart(generation))
                            generation = engine.generation
                        async with asyncio.timeout(deadline - loop.time()):
                            return await self._exchange(engine.port, target, body, headers)
                    except TimeoutError:
                        self.lanes.remember_long(key)
                        await asyncio.wrap_future(engine.restart(generation))
                        raise self.too_long() from None
                    except httpx.TransportError as exc:
                        if engine.generation != generation:  # another query's restart ended it
                            if self.lanes.known_long(key):  # a long one is not run twice
                                raise Refused(503, "the engine was restarted to stop another query "
                                                   "at the time limit, which ended this long one "
                                                   "too; try again") from exc
                            continue  # a short one is asked again
                        closed += 1
                        if closed == 1 and engine.alive():
                            continue  # a kept-alive connection the engine had closed
                        await asyncio.wrap_future(engine.restart(generation))
                        raise Refused(503, "the query engine stopped while answering (the query may "
                                           "need more memory than allowed); it was restarted "
                                           f"({type(exc).__name__})") from exc
        except Busy:
            raise Refused(503, "the server is busy with other queries; try again") from None
        except ServeError as exc:  # a restart failed
            raise Refused(503, str(exc)) from exc

    async def _exchange(self, port: int, target: str, body: bytes,
                        headers: dict) -> tuple[int, str, bytes]:
        url = f"http://127.0.0.1:{port}{target}"
        async with self.client.stream("POST", url, content=body, headers=headers) as response:
            chunks, size = [], 0
            async for chunk in response.aiter_raw():
                size += len(chunk)
                if size > MAX_RESPONSE:
                    raise Refused(500, f"the answer is larger than {MAX_RESPONSE >> 20} MB; add a LIMIT")
                chunks.append(chunk)
            status = response.status_code
            kind = response.headers.get("content-type", "text/plain")
        answer = b"".join(chunks)
        if status == 200:
            if answer.endswith(CANCELLED):
                raise self.too_long()
            whole = (answer_is_whole(kind, answer) if size < (1 << 20)
                     else await anyio.to_thread.run_sync(answer_is_whole, kind, answer))
            if not whole:
                tail = answer[-300:].decode("utf-8", "replace")
                raise Refused(502, "the query engine failed while writing the answer; the partial "
                                   f"answer was dropped. It ended with: {tail}")
        return status, kind, answer
