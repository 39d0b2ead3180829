"""Endpoint benchmark: ``borderkg serve`` under concurrent clients, on loopback only.

The server runs as ``borderkg serve --store STORE --port PORT --quiet`` (a child process).
``clients`` threads each send the saved queries (every local one, default parameters bound,
prefixes declared: what the query page offers) in turn, as SPARQL Protocol POSTs asking for
JSON results, until ``duration_s`` has passed; a request in flight then may finish (each has
its own time-out). Reported: requests per second, median/p95/p99 latency, and every error
(a status other than 200, or a failed connection) by kind.
"""

from __future__ import annotations

import collections
import contextlib
import http.client
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"  # loopback only


def query_mix() -> list[tuple[str, str]]:
    """(name, text) of every local saved query, parameters bound to their defaults."""
    from borderkg.goldens import local_queries
    from borderkg.query import bound_text
    from borderkg.vocab import sparql_prefixes

    return [(saved.name, sparql_prefixes() + bound_text(saved)) for saved in local_queries()]


def wait_ready(port: int, process: subprocess.Popen, timeout_s: float = 120) -> float:
    """Seconds until the query page answers; raises if the server ended or never answered."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout_s:
        if process.poll() is not None:
            raise RuntimeError(f"borderkg serve ended: {process.stderr.read()[-1000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return time.perf_counter() - began
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"borderkg serve did not answer within {timeout_s:.0f} s")


def post(connection, port: int, body: bytes):
    """One SPARQL Protocol POST on a keep-alive ``connection`` (a new one when None): (the
    connection to use next — None after a failure —, status, detail of a failure)."""
    try:
        if connection is None:
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
        connection.request("POST", "/sparql", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        answer = response.read()
        detail = "" if response.status == 200 else answer[:200].decode("utf-8", "replace")
        return connection, response.status, detail
    except (OSError, http.client.HTTPException) as exc:
        return None, 0, f"{type(exc).__name__}: {exc}"


def client(port: int, mix: list[tuple[str, str]], offset: int, until: float, results: list) -> None:
    """One client: a keep-alive connection, a new one after any failure."""
    connection = None
    i = offset
    while time.perf_counter() < until:
        name, text = mix[i % len(mix)]
        i += 1
        body = urlencode({"query": text}).encode()
        began = time.perf_counter()
        connection, status, detail = post(connection, port, body)
        results.append((name, status, time.perf_counter() - began, detail))


@contextlib.contextmanager
def serving(store_path: Path, *options: str):
    """``borderkg serve`` on a free loopback port, as a child process: (port, seconds until
    it answered). Stopped with SIGTERM at the end."""
    from borderkg.serve import free_port

    port = free_port(HOST)
    command = [str(Path(sys.executable).parent / "borderkg"), "serve", "--store", str(store_path),
               "--port", str(port), "--host", HOST, "--quiet", *options]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        yield port, wait_ready(port, process)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load_test(store_path: Path, clients: int = 20, duration_s: float = 30.0) -> dict:
    """Start the server on a free port, run the clients, stop the server."""
    from queries import percentile

    with serving(store_path) as (port, ready_s):
        mix = query_mix()
        results: list = []
        until = time.perf_counter() + duration_s
        began = time.perf_counter()
        threads = [threading.Thread(target=client, args=(port, mix, k, until, results), daemon=True)
                   for k in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(duration_s + 90)
        elapsed = time.perf_counter() - began
    latencies = [r[2] for r in results]
    errors = [r for r in results if r[1] != 200]
    kinds = collections.Counter(f"{r[1]} {r[3][:80]}" for r in errors)
    per_query = {}
    for name, _ in mix:
        mine = [r[2] for r in results if r[0] == name and r[1] == 200]
        if mine:
            per_query[name] = {"requests": len(mine), "median_ms": round(statistics.median(mine) * 1000, 1),
                               "p99_ms": round(percentile(mine, 99) * 1000, 1)}
    return {"store": str(store_path), "clients": clients, "duration_s": round(elapsed, 2),
            "ready_s": round(ready_s, 2), "requests": len(results),
            "requests_per_s": round(len(results) / elapsed, 1) if elapsed else 0,
            "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p95_ms": round(percentile(latencies, 95) * 1000, 1) if latencies else None,
            "p99_ms": round(percentile(latencies, 99) * 1000, 1) if latencies else None,
            "errors": len(errors), "error_kinds": dict(kinds.most_common(5)), "per_query": per_query}
