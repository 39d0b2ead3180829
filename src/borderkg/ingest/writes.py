"""The build's writes: one document at a time on a thread of its own (:class:`Writer`), and
each shared line once a build (:class:`SharedLines`)."""

from __future__ import annotations

from collections.abc import Callable


class SharedLines:
    """The N-Triples lines one build has written to the shared entities graph. Every report
    restates the organisations it names (type, name, country, location): each line is
    written once a build, not once a report. The graph only grows while documents are
    written (it is pruned after them), so a line seen is a line stored.

    >>> shared = SharedLines()
    >>> shared.new(b'<urn:a> <urn:p> "1" .\\n<urn:b> <urn:p> "2" .\\n')
    b'<urn:a> <urn:p> "1" .\\n<urn:b> <urn:p> "2" .\\n'
    >>> shared.new(b'<urn:b> <urn:p> "2" .\\n<urn:c> <urn:p> "3" .\\n<urn:c> <urn:p> "3" .\\n')
    b'<urn:c> <urn:p> "3" .\\n'
    """

    def __init__(self) -> None:
        self._seen: set[bytes] = set()

    def new(self, ntriples: bytes) -> bytes:
        """The lines of ``ntriples`` not given before (each ends with its line break)."""
        lines = dict.fromkeys(ntriples.splitlines(keepends=True))  # a report restates its own too
        fresh = [line for line in lines if line not in self._seen]
        self._seen.update(fresh)
        return b"".join(fresh)


class Writer:
    """A build's writes of documents, made one at a time and in order on a thread of their own,
    so that the next document is read and extracted while the last one is written (Oxigraph
    writes without holding the GIL). One write at most is under way: a call waits for the one
    before, and raises its error.

    >>> done = []
    >>> write = Writer()
    >>> write(done.append, 1); write(done.append, 2); write.close(); done
    [1, 2]
    """

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._thread = ThreadPoolExecutor(1, thread_name_prefix="borderkg-write")
        self._pending = None

    def __call__(self, method: Callable, *args) -> None:
        self.wait()
        self._pending = self._thread.submit(method, *args)

    def wait(self) -> None:
        """Wait for the write under way; raise its error."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self._thread.shutdown(wait=True)


