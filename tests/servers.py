"""What the tests that start a SPARQL server share: a free loopback port, waiting for the
server to answer, and stopping it (Oxigraph in conftest.py, tests/fuseki.py, tests/virtuoso.py)."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable


# Ways to write a SERVICE call that a text check could miss; ``{url}`` is a listening trap.
SERVICE_TEMPLATES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
    "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "PREFIX : <{url}> SELECT * WHERE {{ SERVICE:{{ ?s ?p ?o }} }}",
    "PREFIX e: <{url}> SELECT * WHERE {{ SERVICEe: {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p 1SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (for any server a test starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(process: subprocess.Popen, url: str, name: str, seconds: float,
                         output: Callable[[], str]) -> None:
    """Return once ``url`` answers a GET; fail the test, showing the server's ``output()``,
    if ``process`` exits or ``seconds`` pass first."""
    import pytest

    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            pytest.fail(f"{name} exited with {process.returncode}: {output()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                pytest.fail(f"{name} did not answer on {url} within {seconds} s: {output()[-2000:]}")
            time.sleep(0.1)


def stop(process: subprocess.Popen, seconds: float = 15) -> None:
    """Terminate ``process`` and wait for it, killing it after ``seconds``."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
