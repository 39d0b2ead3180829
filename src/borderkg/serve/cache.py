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

    def __init__(self, max_entries: int = 512, max_bytes: int = 64 << 20, max_item_bytes: int = 4 << 20) -> None:
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
