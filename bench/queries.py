"""Query benchmarks: saved-query latency on Oxigraph and on rdflib, and CLI start-up.

Every saved query that runs on the store alone (``borderkg.goldens.local_queries``: all but
the federated one) is run with its default parameters exactly as ``borderkg query`` runs it
(``borderkg.query.run_query``: the union of the graphs, parameters bound as RDF terms), and
its whole answer is read. One warm-up run, then timed runs until both a minimum count and a
time budget are reached (or a maximum count); the median and the 95th percentile (nearest
rank) of the timed runs are reported with their count.

rdflib runs in a child process (a slow query cannot be interrupted inside a thread):

    .venv/bin/python bench/queries.py rdflib STORE   # one JSON line per query
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile.

    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)
    10
    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)
    5
    """
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def sample(run, min_runs: int = 10, max_runs: int = 40, budget_s: float = 2.0) -> dict:
    """Latencies of ``run()``: a warm-up, then at least ``min_runs`` timed runs, more while
    within ``budget_s``, never more than ``max_runs`` nor past four budgets."""
    began = time.perf_counter()
    rows = run()
    cold = time.perf_counter() - began
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < max_runs:
        elapsed = time.perf_counter() - started
        if (len(times) >= min_runs and elapsed >= budget_s) or elapsed >= 4 * budget_s:
            break
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return {"rows": rows, "cold_ms": round(cold * 1000, 2), "runs": len(times),
            "median_ms": round(statistics.median(times) * 1000, 2) if times else round(cold * 1000, 2),
            "p95_ms": round(percentile(times, 95) * 1000, 2) if times else round(cold * 1000, 2)}


def consume(result) -> int:
    """Read a whole answer (Oxigraph evaluates lazily); the number of rows or triples."""
    if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
        return 1
    return sum(1 for _ in result)


def oxigraph_latencies(store_path: Path, **sampling) -> dict[str, dict]:
    """Every local saved query on the Oxigraph store at ``store_path`` (opened read-only)."""
    from borderkg.goldens import local_queries
    from borderkg.query import run_query
    from borderkg.store import OxigraphStore

    store = OxigraphStore(store_path, read_only=True)
    results = {}
    for saved in local_queries():
        results[saved.name] = sample(lambda: consume(run_query(store, saved)), **sampling)
    store.close()
    return results


def rdflib_dataset(store_path: Path):
    """The Oxigraph store's quads in an rdflib ``Dataset`` whose default graph is the union."""
    import pyoxigraph
    from rdflib import Dataset

    data = pyoxigraph.Store.read_only(str(store_path)).dump(format=pyoxigraph.RdfFormat.N_QUADS)
    dataset = Dataset(default_union=True)
    dataset.parse(data=data, format="nquads")
    return dataset


def rdflib_child(store_path: Path, **sampling) -> None:
    """Print a JSON line for the load, then one per query, as each finishes."""
    from borderkg.goldens import local_queries
    from borderkg.query import bound_text
    from borderkg.vocab import PREFIXES

    began = time.perf_counter()
    dataset = rdflib_dataset(store_path)
    print(json.dumps({"load_s": round(time.perf_counter() - began, 2), "quads": len(dataset)}), flush=True)
    for saved in local_queries():
        text = bound_text(saved)
        try:
            found = sample(lambda: len(list(dataset.query(text, initNs=PREFIXES))), **sampling)
        except Exception as exc:  # an rdflib limitation is a finding, not a crash
            found = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
        print(json.dumps({"query": saved.name, **found}, ensure_ascii=False), flush=True)


def rdflib_latencies(store_path: Path, deadline_s: float) -> tuple[dict, dict[str, dict]]:
    """Run :func:`rdflib_child` in a child process for at most ``deadline_s``; what it
    finished (a load line and the queries done), the rest marked as not run."""
    command = [sys.executable, str(HERE / "queries.py"), "rdflib", str(store_path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=deadline_s)
        out = done.stdout
    except subprocess.TimeoutExpired as stopped:
        out = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else (stopped.stdout or "")
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    load = lines[0] if lines and "load_s" in lines[0] else {"error": "did not load in time"}
    return load, {line.pop("query"): line for line in lines if "query" in line}


def startup(store_path: Path, runs: int = 7, name: str = "twin-links") -> dict:
    """Wall time of ``borderkg query NAME --store STORE`` as a new process (median of runs)."""
    command = [str(Path(sys.executable).parent / "borderkg"), "query", name, "--store", str(store_path)]
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, timeout=120)
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            return {"error": done.stderr.decode()[-500:]}
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3), "runs": runs, "output_lines": done.stdout.count(b"\n")}


def interpreter_startup(runs: int = 7) -> dict:
    """What any Python command pays: the interpreter, and importing the click CLI."""
    found = {}
    for label, code in (("python", "pass"), ("import_cli", "import borderkg.cli")):
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
            times.append(time.perf_counter() - began)
        found[f"{label}_median_s"] = round(statistics.median(times), 3)
    return found


if __name__ == "__main__":
    if sys.argv[1:2] == ["rdflib"]:
        rdflib_child(Path(sys.argv[2]), min_runs=3, max_runs=10, budget_s=1.5)
    else:
        raise SystemExit(__doc__)
