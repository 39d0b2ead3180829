"""Load test of ``borderkg serve`` (issue 11): cheap queries alone, then beside heavy ones.

    .venv/bin/python bench/load.py [--store DIR] [--light 20] [--heavy 4] [--duration 30]

Two phases on one server (a child process on a free 127.0.0.1 port; nothing else is reached):

1. ``light`` clients loop ``ASK {}`` for ``duration`` seconds;
2. the same, beside ``heavy`` clients looping a cross product (which runs into the time
   limit, so the front stops it by restarting the engine).

Each client is a thread with a keep-alive connection (a new one after a failure). Reported per
phase and kind: requests, requests per second, median/p99 latency, and the errors (any status
but 200, or a failed connection) by kind. For the light clients the target is zero errors in
both phases; a heavy client may get 503 (time limit, or «busy»). Without ``--store`` a store is
built from ``data/reports`` in a temporary folder first. The figures depend on the machine's
load: the load average is printed beside them.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from endpoint import post, serving
from queries import percentile

LIGHT = "ASK {}"
HEAVY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
         "FILTER (STR(?c) != STR(?i)) }")


def loop(port: int, query: str, until: float, results: list) -> None:
    """One client: ``query`` again and again until ``until``; (status, seconds, detail) each."""
    connection = None
    body = urlencode({"query": query}).encode()
    while time.perf_counter() < until:
        began = time.perf_counter()
        connection, status, detail = post(connection, port, body)
        results.append((status, time.perf_counter() - began, detail[:80]))


def summary(results: list, seconds: float) -> dict:
    latencies = [r[1] for r in results if r[0] == 200]
    errors = collections.Counter(f"{r[0]} {r[2]}" for r in results if r[0] != 200)
    return {"requests": len(results), "requests_per_s": round(len(results) / seconds, 1),
            "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p99_ms": round(percentile(latencies, 99) * 1000, 1) if latencies else None,
            "errors": sum(errors.values()), "error_kinds": dict(errors.most_common(5))}


def phase(port: int, light: int, heavy: int, duration: float) -> dict:
    """``light`` and ``heavy`` clients for ``duration`` seconds."""
    found: dict[str, list] = {"light": [], "heavy": []}
    until = time.perf_counter() + duration
    threads = [threading.Thread(target=loop, args=(port, LIGHT, until, found["light"]), daemon=True)
               for _ in range(light)]
    threads += [threading.Thread(target=loop, args=(port, HEAVY, until, found["heavy"]), daemon=True)
                for _ in range(heavy)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 90)
    # throughput over the window the clients sent in (a heavy query may end up to the time
    # limit later)
    report = {"light": summary(found["light"], duration)}
    if heavy:
        report["heavy"] = summary(found["heavy"], duration)
    return report


def build_store(folder: Path) -> Path:
    """A store of ``data/reports`` (what ``make run`` builds), in ``folder``."""
    import subprocess

    store = folder / "store"
    subprocess.run([str(Path(sys.executable).parent / "borderkg"), "build", "data/reports",
                    "--store", str(store), "--quiet"], check=True)
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a built store (default: build data/reports)")
    parser.add_argument("--light", type=int, default=20)
    parser.add_argument("--heavy", type=int, default=4)
    parser.add_argument("--duration", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="borderkg-load-") as work:
        store = args.store or build_store(Path(work))
        load = os.getloadavg()
        with serving(store, "--answer-cache", "0") as (port, ready_s):  # the engine, every query
            result = {"store": str(store), "ready_s": round(ready_s, 2), "duration_s": args.duration,
                      "load_average_before": [round(x, 2) for x in load],
                      "alone": phase(port, args.light, 0, args.duration),
                      "beside_heavy": phase(port, args.light, args.heavy, args.duration),
                      "load_average_after": [round(x, 2) for x in os.getloadavg()]}
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
