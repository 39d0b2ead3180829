"""``borderkg serve``: a read-only SPARQL 1.1 Protocol endpoint, a query page and the views.

The SPARQL engine is Oxigraph's own server (``oxigraph serve-read-only``), run as a sealed
child process on a private loopback port; in front of it a Starlette app served by uvicorn
talks to it with httpx. The package is split by concern:

* :mod:`~borderkg.serve.policy` — pure functions: what a SPARQL Protocol request asks, the
  friendly SERVICE refusal, host names and origins, whether an answer came whole;
* :mod:`~borderkg.serve.seal` — the engine cannot open a connection (seccomp, Landlock for
  allow-listed ports) and dies with the server (``PR_SET_PDEATHSIG``);
* :mod:`~borderkg.serve.engine` — the engine process (memory cap, restart) and the snapshot
  copies it serves;
* :mod:`~borderkg.serve.lanes` — short and long queries get separate places in the engine;
* :mod:`~borderkg.serve.front` — forwarding within the time limit the front enforces itself;
* :mod:`~borderkg.serve.app` — routes and the guard (Host, Origin, headers);
* :mod:`~borderkg.serve.page` and ``static/`` — the query page and the views;
* :mod:`~borderkg.serve.server` — listening, reload of new generations, stop.

The store is a RocksDB directory that a build opens read-write, so the server never serves the
store itself: a finished build publishes a snapshot and bumps a generation number; the server
copies that snapshot (hard links) and serves its copy, swaps in a new one within a second of a
new generation, and marks every ``/sparql`` answer with ``X-Borderkg-Generation``.

Importing this package loads no web stack (the seal launcher imports it before each engine).
"""

from borderkg.serve.engine import ServeError, free_port
from borderkg.serve.policy import Refused, check_service, read_query, service_mentions

__all__ = ["Refused", "ServeConfig", "ServeError", "Server", "check_service", "examples",
           "free_port", "read_query", "service_mentions"]


def __getattr__(name: str):
    """``Server``, ``ServeConfig`` and ``examples``, imported with the web stack when asked."""
    if name == "Server":
        from borderkg.serve.server import Server
        return Server
    if name == "ServeConfig":
        from borderkg.serve.front import ServeConfig
        return ServeConfig
    if name == "examples":
        from borderkg.serve.page import examples
        return examples
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
