"""Worker processes that read and extract documents for a build (``--workers N``), each with
its own models, while the building process writes (:class:`Workers`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from borderkg.ingest.document import Outcome, process_file


_WORKER_EXTRACTOR = None


def _init_worker(curation) -> None:
    global _WORKER_EXTRACTOR
    import atexit

    from borderkg.extract import Extractor

    _WORKER_EXTRACTOR = Extractor(curation=curation)
    atexit.register(_end_worker)


def _end_worker() -> None:
    """End a worker process without tearing its interpreter down. A worker's last outcome
    is sent before it starts to exit (the pool's result queue writes synchronously), so
    nothing is lost; freeing the models object by object took about 0.4 CPU-s a worker,
    while the building process computes the derived layers on the same cores."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _work(path: Path, known: dict[str, str]) -> Outcome:
    return process_file(path, known, _WORKER_EXTRACTOR)


class Workers:
    """Outcomes in file order from a pool of worker processes, which start work when this is
    made (a bounded look-ahead keeps memory flat however many files there are)."""

    def __init__(self, files: list[Path], known: dict[str, str], workers: int, extractor) -> None:
        import multiprocessing
        from collections import deque
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")  # no fork of a process holding the store
        self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                         initargs=(extractor.curation,))
        self._known = known
        self._exiting = None  # the thread waiting for the workers to exit (see close)
        self._files = iter(files)
        self._pending = deque()
        for path in self._files:
            self._pending.append(self._pool.submit(_work, path, known))
            if len(self._pending) >= workers * 4:
                break

    def __iter__(self):
        while self._pending:
            outcome = self._pending.popleft().result()
            path = next(self._files, None)
            if path is not None:
                self._pending.append(self._pool.submit(_work, path, self._known))
            yield outcome

    def close(self) -> None:
        """Stop the workers: what is not begun is dropped, what runs is waited for. When every
        outcome was taken, nothing runs: the idle workers exit while the build goes on (their
        interpreters take about half a second to end) instead of before its derived layers."""
        running = bool(self._pending)
        self._pending.clear()
        if running:
            self._pool.shutdown(wait=True, cancel_futures=True)
        else:
            import threading

            self._exiting = threading.Thread(target=self._pool.shutdown, name="borderkg-workers-exit")
            self._exiting.start()

    def join(self) -> None:
        """Wait until the workers have exited (after :meth:`close`)."""
        if self._exiting is not None:
            self._exiting.join()


