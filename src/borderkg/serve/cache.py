"""Answers of the SPARQL endpoint kept for repeated identical queries on one store generation.

A published store does not change under a generation number (a build publishes a new one and
the endpoint reloads), so an answer computed on generation N stays right for as long as N is
served. The cache is keyed by the generation and by what makes two requests the same query
(its text as sent to the engine, the media type asked for and the dataset parameters); seeing
another generation empties it, which is the invalidation on reload. It holds only whole
answers the engine gave with status 200, at most ``max_entries`` of them and ``max_bytes`` in
all (least recently used go first); an answer bigger than ``max_item_bytes`` is not kept.
Generation 0 (a store never published, whose content may change under the server) is never
cached. Thread-safe, no I/O: the front calls ``get`` before forwarding and ``put`` after.

    >>> cache = AnswerCache(max_entries=2)
    >>> key = answer_key("SELECT * { ?s ?p ?o }", "application/sparql-results+json")
    >>> cache.get(3, key) is None
    True
    >>> cache.put(3, key, Answer(200, "application/sparql-results+json", b"{}"))
    True
    >>> cache.get(3, key).body
    b'{}'
    >>> cache.get(4, key) is None  # the store was reloaded: generation 3's answers are gone
    True
    >>> len(cache)
    0
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    """What the engine answered: status, media type and the whole body."""

    status: int
    content_type: str
    body: bytes


def answer_key(query: str, accept: str, dataset: Iterable[tuple[str, str]] = ()) -> tuple:
    """What makes two requests the same: the query text as sent to the engine, the media
    type asked for, and the dataset parameters (default-graph-uri, named-graph-uri) in order.

    >>> answer_key("ASK {}", "*/*") == answer_key("ASK {}", "*/*", [])
    True
    >>> answer_key("ASK {}", "*/*") == answer_key("ASK {}", "text/csv")
    False
    """
    return (query, accept, tuple(tuple(pair) for pair in dataset))


class AnswerCache:
    """Least-recently-used answers of one generation, bounded in count and in bytes."""

    # 16 MB an answer: the largest saved answer at a million triples (partnership-dynamics,
    # 7,000 rows) is 4.5 MB of JSON and costs the engine half a second each time it is asked.
    def __init__(self, max_entries: int = 512, max_bytes: int = 256 << 20, max_item_bytes: int = 16 << 20) -> None:
        self.max_entries, self.max_bytes, self.max_item_bytes = max_entries, max_bytes, max_item_bytes
        self._entries: OrderedDict[tuple, Answer] = OrderedDict()
        self._generation = 0
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _switch(self, generation: int) -> None:
        """Forget every answer of another generation (the caller holds the lock)."""
        if generation != self._generation:
            self._entries.clear()
            self._bytes = 0
            self._generation = generation

    def get(self, generation: int, key: tuple) -> Answer | None:
        """The answer kept for ``key`` on ``generation``, or None.

        >>> cache = AnswerCache()
        >>> cache.get(0, answer_key("ASK {}", "*/*")) is None
        True
        """
        with self._lock:
            self._switch(generation)
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, generation: int, key: tuple, answer: Answer) -> bool:
        """Keep ``answer`` for ``key`` on ``generation`` if it may be kept; True if it was.

        >>> cache = AnswerCache(max_entries=1, max_item_bytes=4)
        >>> cache.put(1, ("a",), Answer(200, "text/csv", b"x"))
        True
        >>> cache.put(1, ("b",), Answer(200, "text/csv", b"y"))  # "a" goes, least recently used
        True
        >>> cache.get(1, ("a",)) is None, cache.get(1, ("b",)).body
        (True, b'y')
        >>> cache.put(1, ("c",), Answer(503, "text/plain", b"busy"))  # only whole answers
        False
        >>> cache.put(1, ("d",), Answer(200, "text/csv", b"12345"))  # too big to keep
        False
        >>> cache.put(0, ("e",), Answer(200, "text/csv", b"z"))  # never published: may change
        False
        """
        size = len(answer.body)
        if answer.status != 200 or generation == 0 or size > self.max_item_bytes:
            return False
        with self._lock:
            self._switch(generation)
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = answer
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)
            return True


class Flights:
    """Identical queries asked while one is computing wait for its answer instead of each
    going to the engine (when many clients open the same page after a reload, each saved query
    is computed once). Only a whole answer is shared: if the first request fails or is
    cancelled, each waiting one computes its own.

    >>> import asyncio
    >>> flights, calls = Flights(), []
    >>> async def compute():
    ...     calls.append(1)
    ...     await asyncio.sleep(0.01)
    ...     return (200, "text/csv", b"a")
    >>> async def many():
    ...     return await asyncio.gather(*(flights.run("q", compute) for _ in range(5)))
    >>> len(asyncio.run(many())), len(calls)
    (5, 1)
    """

    def __init__(self) -> None:
        self._running: dict = {}

    async def run(self, key, compute, wait_until: float | None = None):
        """``compute()``'s answer, or that of the identical query computing now (waited for
        until the event loop's time ``wait_until`` at most: TimeoutError past it)."""
        import asyncio

        leader = self._running.get(key)
        if leader is not None:
            async with asyncio.timeout_at(wait_until):
                shared = await asyncio.shield(leader)
            if shared is not None:
                return shared
            return await compute()
        future = asyncio.get_running_loop().create_future()
        self._running[key] = future
        result = None
        try:
            result = await compute()
            return result
        finally:
            del self._running[key]
            future.set_result(result if result is not None and result[0] == 200 else None)
