"""The SPARQL engine: Oxigraph's own server (``oxigraph serve-read-only``) as a sealed child
process on a private loopback port, under a memory cap, restartable; and the private snapshot
copies it serves.

The engine is started through :mod:`borderkg.serve.seal`, so it dies with the server and cannot
open outbound connections. It is given no ``--timeout-s``: Oxigraph implements that option with
a thread per query that sleeps for the whole limit, so 700 cheap queries a second kept ~7,000
threads alive and the engine ran out of them. The front enforces the limit itself (by a
restart), which also stops the operators Oxigraph's cancellation never reached.

Every engine process is started from one long-lived thread per :class:`Engine`: Linux sends
the parent-death signal when the *thread* that forked a child ends, so a child forked from a
short-lived request thread would be killed with that thread.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from borderkg.errors import BorderkgError, StoreError
from borderkg.serve import seal

log = logging.getLogger("borderkg.serve")

SNAPSHOT_PREFIX = "borderkg-serve-"
ENGINE_NICE = 10  # the engine computes at a lower priority than the front that answers


class ServeError(BorderkgError):
    """The server cannot start: port taken, no store, no engine."""


def engine_binary() -> str:
    """The ``oxigraph`` program: beside this Python, else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise ServeError("the oxigraph server is not installed: pip install 'oxigraph>=0.5'")
    return found


def limit_memory(pid: int, megabytes: int) -> None:
    """Cap the address space of a process (Linux); elsewhere, or with 0, no cap."""
    try:
        import resource

        if megabytes:
            resource.prlimit(pid, resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))
    except (ImportError, AttributeError):
        log.warning("no memory limit on this system")
    except ProcessLookupError:
        pass  # it already ended: start() reports why


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def sealed_command(command: list[str], allow_ports: list[int]) -> list[str]:
    """``command`` run through the seal launcher; unchanged (with a warning) on a platform
    other than Linux, which has no seal; on Linux without libseccomp, ``ServeError``."""
    if not seal.seccomp_available():
        if sys.platform.startswith("linux"):
            raise ServeError("cannot seal the SPARQL engine: libseccomp is missing (install it: "
                             "apt-get install libseccomp2, then pip install pyseccomp)")
        log.warning("borderkg serve: no seccomp on this system: the engine is not sealed, "
                    "SERVICE is refused by reading the query only")
        return command
    if allow_ports and seal.landlock_abi() < 4:
        log.warning("borderkg serve: no Landlock network rules on this system: with "
                    "--allow-service the engine may connect anywhere; other endpoints are "
                    "refused by reading the query only")
        return command
    ports = [arg for port in allow_ports for arg in ("--allow-port", str(port))]
    return [sys.executable, "-m", "borderkg.serve.seal", "--parent", str(os.getpid()),
            "--nice", str(ENGINE_NICE), *ports, "--", *command]


class Engine:
    """``oxigraph serve-read-only`` on a private loopback port, sealed, restartable.
    ``generation`` counts its starts; a query that saw one generation end knows why."""

    def __init__(self, location: Path, memory_limit_mb: int, allow_ports: list[int] = ()) -> None:
        self.location, self.memory_limit_mb = location, memory_limit_mb
        self.allow_ports = list(allow_ports)
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.generation = 0
        self.stopped = False
        self._lock = threading.Lock()
        self._spawner = ThreadPoolExecutor(1, thread_name_prefix="borderkg-engine")
        self._ready: Future = Future()
        self._ready.set_result(None)

    def start(self) -> None:
        """Start the engine (from the spawner thread); ``ServeError`` if it does not."""
        self._spawner.submit(self._start).result()

    def _start(self) -> None:
        lines: list[str] = []
        for _attempt in range(3):  # the free port may be taken between probe and bind
            self.port = free_port()
            command = sealed_command([engine_binary(), "serve-read-only", "--location",
                                      str(self.location), "--bind", f"127.0.0.1:{self.port}",
                                      "--union-default-graph"], self.allow_ports)
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            limit_memory(self.process.pid, self.memory_limit_mb)
            lines = self._wait_ready(self.process)
            if lines is None:
                return
            log.warning("the SPARQL engine did not start: %s", " ".join(lines))
        raise ServeError(f"the SPARQL engine (oxigraph) did not start: {' '.join(lines)[-300:]}")

    def _wait_ready(self, process: subprocess.Popen) -> list[str] | None:
        """``None`` once the engine listens; else the lines it wrote before it ended."""
        ready, listening, lines = threading.Event(), [], []

        def drain() -> None:
            for raw in process.stderr:
                line = raw.decode("utf-8", "replace").rstrip()
                if line.startswith("Listening for requests"):
                    listening.append(True)
                    ready.set()
                elif line:
                    lines.append(line)
                    log.info("engine: %s", line)
            ready.set()

        threading.Thread(target=drain, name="oxigraph-stderr", daemon=True).start()
        ready.wait(30)
        if listening and process.poll() is None:
            return None
        self._end(process)
        return lines or ["no output"]

    def restart(self, generation: int) -> Future:
        """Restart, unless someone already did since ``generation``; a future of it."""
        return self._spawner.submit(self._restart, generation)

    def ready(self) -> Future:
        """Done when no restart is under way (queries wait on it rather than on a port that
        does not listen yet)."""
        return self._ready

    def _restart(self, generation: int) -> None:
        with self._lock:
            if generation != self.generation or self.stopped:
                return
            self._ready = Future()
            try:
                self.generation += 1  # first, so that the queries this ends know why
                self._end(self.process)
                self._start()
                log.warning("the SPARQL engine was restarted")
            finally:
                self._ready.set_result(None)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @staticmethod
    def _end(process: subprocess.Popen | None) -> None:
        if process is None or process.poll() is not None:
            return
        process.kill()  # read-only and answering nothing that matters any more
        process.wait(5)

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            self._end(self.process)
        self._spawner.shutdown(wait=False)


@dataclass(frozen=True)
class Served:
    """What answers now: the engine, the store generation it serves and its snapshot copy
    (swapped whole, so a query sees one of them throughout)."""

    engine: Engine
    generation: int
    snapshot: Path | None = None


def copy_store(source: Path) -> Path:
    """A private copy of a store (hard links where it can) in a new temporary folder named
    after this process, so that the next server removes it if this one is killed."""
    import pyoxigraph

    folder = Path(tempfile.mkdtemp(prefix=f"{SNAPSHOT_PREFIX}{os.getpid()}-"))
    try:
        pyoxigraph.Store.read_only(str(source)).backup(str(folder / "store"))
    except (OSError, RuntimeError, ValueError) as exc:  # RuntimeError: a corrupt store
        shutil.rmtree(folder, ignore_errors=True)
        raise StoreError(f"cannot take a snapshot of the store {source}: {exc}") from exc
    return folder


def remove_stale_copies(directory: Path | None = None) -> list[Path]:
    """Remove the snapshot copies left by servers that no longer run (killed with ``-9``);
    the paths removed."""
    removed = []
    for folder in Path(directory or tempfile.gettempdir()).glob(f"{SNAPSHOT_PREFIX}*-*"):
        pid = folder.name[len(SNAPSHOT_PREFIX):].split("-")[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _running(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's
    return True


def release(served: Served) -> None:
    """End the engine of ``served`` and remove its snapshot copy."""
    served.engine.stop()
    if served.snapshot is not None:
        shutil.rmtree(served.snapshot, ignore_errors=True)
