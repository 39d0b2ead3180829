"""The server's life: listen, start the engine on a snapshot copy, serve (uvicorn), pick up new
generations, stop. ``with Server(config) as server: server.url`` in tests; ``serve_forever()``
for the command line."""

from __future__ import annotations

import errno
import logging
import shutil
import socket
import threading
import time
from pathlib import Path

import uvicorn

from borderkg.errors import StoreError
from borderkg.serve.app import create_app
from borderkg.serve.engine import (Engine, Served, ServeError, copy_store, release,
                                   remove_stale_copies)
from borderkg.serve.front import GRACE_S, Front, ServeConfig
from borderkg.serve.policy import service_ports
from borderkg.store import published

log = logging.getLogger("borderkg.serve")


def listen(host: str, port: int) -> socket.socket:
    """A listening socket, or ``ServeError`` that says why not (a taken port by name)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted connections inherit TCP_NODELAY (uvicorn given a socket does not set it):
        # without it an answer's body waited for the client's delayed ACK, 40 ms each.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        reason = ("the port is already in use (choose another with --port)"
                  if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc))
        raise ServeError(f"cannot listen on {host}:{port}: {reason}") from exc
    return sock


class Server:
    """The front and its engine."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.front: Front | None = None
        self._socket: socket.socket | None = None
        self._uvicorn: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._watcher: threading.Thread | None = None
        self._stopping = threading.Event()
        self._retired: list[Served] = []
        self._lock = threading.Lock()
        self._failed_generation: int | None = None

    @property
    def served(self) -> Served | None:
        return self.front.served if self.front else None

    @property
    def engine(self) -> Engine | None:
        """The engine answering now."""
        return self.served.engine if self.served else None

    @property
    def generation(self) -> int:
        """The store generation served now (0: a store never published)."""
        return self.served.generation if self.served else 0

    @property
    def url(self) -> str:
        host, port = self._socket.getsockname()[:2]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def start(self) -> "Server":
        config = self.config
        if not Path(config.store).is_dir():
            raise StoreError(f"no store at {config.store}: run `borderkg build` first")
        self._socket = listen(config.host, config.port)
        try:
            for folder in remove_stale_copies():
                log.warning("borderkg serve: removed %s, left by a server that was killed", folder)
            self.front = Front(config, self._serve(published(config.store)))
        except BaseException:
            self.stop()
            raise
        settings = uvicorn.Config(create_app(self.front), lifespan="on", log_config=None,
                                  access_log=True, timeout_keep_alive=60,
                                  timeout_graceful_shutdown=max(2.0, config.timeout + GRACE_S),
                                  limit_concurrency=1000)
        self._uvicorn = uvicorn.Server(settings)
        if config.reload_interval > 0:
            self._watcher = threading.Thread(target=self._watch, name="borderkg-reload", daemon=True)
            self._watcher.start()
        return self

    def _serve(self, found: tuple[int, Path] | None) -> Served:
        """An engine started on (a copy of) the published snapshot ``found``, or on the store
        itself when nothing was published."""
        config = self.config
        snapshot = None
        try:
            if config.snapshot:
                snapshot = copy_store(found[1] if found else Path(config.store))
            engine = Engine(snapshot / "store" if snapshot else Path(config.store),
                            config.memory_limit_mb, service_ports(config.allow_service)
                            if config.allow_service else [])
            try:
                engine.start()
            except BaseException:
                engine.stop()
                raise
        except BaseException:
            if snapshot is not None:
                shutil.rmtree(snapshot, ignore_errors=True)
            raise
        return Served(engine, found[0] if found else 0, snapshot)

    def _watch(self) -> None:
        while not self._stopping.wait(self.config.reload_interval):
            try:
                self.reload()
            except Exception:  # the watcher must outlive any one failure
                log.exception("borderkg serve: checking for a new generation failed")

    def reload(self) -> bool:
        """Serve the newest published generation if it is not served yet; True if it was
        swapped in. The old engine ends when the queries it answers are past their limit."""
        found = published(self.config.store)
        if (found is None or self.front is None or found[0] == self.generation
                or found[0] == self._failed_generation or self._stopping.is_set()):
            return False
        try:
            served = self._serve(found)
        except Exception as exc:  # whatever went wrong, the generation served goes on
            self._failed_generation = found[0]
            log.warning("borderkg serve: could not load generation %d (%s); still serving "
                        "generation %d", found[0], exc, self.generation)
            return False
        with self._lock:  # stop() takes the lock too: no swap after it
            if self._stopping.is_set():
                release(served)
                return False
            old, self.front.served = self.front.served, served
            self._retired.append(old)
        log.warning("borderkg serve: reloaded the store (generation %d)", served.generation)
        timer = threading.Timer(self.config.timeout + GRACE_S + 1.0, self._retire, (old,))
        timer.daemon = True
        timer.start()
        return True

    def _retire(self, served: Served) -> None:
        with self._lock:
            if served not in self._retired:
                return  # stop() did it
            self._retired.remove(served)
        release(served)

    def serve_forever(self) -> None:
        self._uvicorn.run(sockets=[self._socket])

    def start_background(self) -> "Server":
        self.start()
        self._thread = threading.Thread(target=self.serve_forever, name="borderkg-serve", daemon=True)
        self._thread.start()
        until = time.monotonic() + 30
        while not self._uvicorn.started and self._thread.is_alive() and time.monotonic() < until:
            time.sleep(0.01)
        if not self._uvicorn.started:
            self.stop()
            raise ServeError("the front did not start")
        return self

    def stop(self) -> None:
        """Stop serving, end the engines and remove the snapshots. Safe to call twice."""
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join(10)
            self._watcher = None
        if self._thread is not None and self._uvicorn is not None:
            self._uvicorn.should_exit = True
            self._thread.join(self.config.timeout + 10)
            self._thread = None
        if self._socket is not None:
            self._socket.close()
        with self._lock:
            retired, self._retired = self._retired, []
            current = [self.front.served] if self.front else []
        for served in retired + current:
            release(served)

    def __enter__(self) -> "Server":
        return self.start_background()

    def __exit__(self, *exc) -> None:
        self.stop()
