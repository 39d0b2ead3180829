"""Query benchmarks: saved-query latency on Oxigraph and on rdflib, and CLI start-up.

Every saved query that runs on the store alone (``borderkg.goldens.local_queries``: all but
the federated one) is run with its default parameters exactly as ``borderkg query`` runs it
(``borderkg.query.run_query``: the union of the graphs, parameters bound as RDF terms), and
its whole answer is read. One warm-up run, then timed runs until both a minimum count and a
time budget are reached (or a maximum count); the median and the 95th percentile (nearest
rank) of the timed runs are reported with their count.

The queries run in a child process, watched: a query that runs past its limit cannot be
interrupted inside a process, so the child is ended, marked, and started again after it.

    .venv/bin/python bench/queries.py oxigraph|rdflib STORE FIRST SAMPLING_JSON  # JSON lines
"""

from __future__ import annotations

import json
import math
import queue
import statistics
import subprocess
import sys
import threading
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
    """Latencies of ``run()``: a warm-up, then timed runs until ``min_runs`` are done and
    ``budget_s`` has passed, never more than ``max_runs`` nor past four budgets. A query
    whose warm-up alone takes longer than four budgets is not run again: its figures are
    that one cold run (``runs`` 0)."""
    began = time.perf_counter()
    rows = run()
    cold = time.perf_counter() - began
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < max_runs and cold < 4 * budget_s:
        elapsed = time.perf_counter() - started
        if (len(times) >= min_runs and elapsed >= budget_s) or elapsed >= 4 * budget_s:
            break
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    runs = len(times)
    times = times or [cold]
    return {"rows": rows, "cold_ms": round(cold * 1000, 2), "runs": runs,
            "median_ms": round(statistics.median(times) * 1000, 2),
            "p95_ms": round(percentile(times, 95) * 1000, 2)}


def consume(result) -> int:
    """Read a whole answer (Oxigraph evaluates lazily); the number of rows or triples."""
    if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
        return 1
    return sum(1 for _ in result)


def rdflib_dataset(store_path: Path):
    """The Oxigraph store's quads in an rdflib ``Dataset`` whose default graph is the union."""
    import pyoxigraph
    from rdflib import Dataset

    data = pyoxigraph.Store.read_only(str(store_path)).dump(format=pyoxigraph.RdfFormat.N_QUADS)
    dataset = Dataset(default_union=True)
    dataset.parse(data=data, format="nquads")
    return dataset


def engine_child(engine: str, store_path: Path, first: int, sampling: dict) -> None:
    """Print a JSON line when the store is open, then one per query from the ``first``-th."""
    from borderkg.goldens import local_queries
    from borderkg.query import bound_text, run_query
    from borderkg.vocab import PREFIXES

    began = time.perf_counter()
    if engine == "rdflib":
        dataset = rdflib_dataset(store_path)
        size = len(dataset)
    else:
        from borderkg.store import OxigraphStore

        store = OxigraphStore(store_path, read_only=True)
        size = store.triple_count()
    print(json.dumps({"load_s": round(time.perf_counter() - began, 2), "quads": size}), flush=True)
    for saved in local_queries()[first:]:
        if engine == "rdflib":
            text = bound_text(saved)
            run = lambda: len(list(dataset.query(text, initNs=PREFIXES)))  # noqa: E731
        else:
            run = lambda: consume(run_query(store, saved))  # noqa: E731
        try:
            found = sample(run, **sampling)
        except Exception as exc:  # an engine's limitation is a finding, not a crash
            found = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
        print(json.dumps({"query": saved.name, **found}, ensure_ascii=False), flush=True)


def latencies(engine: str, store_path: Path, sampling: dict, per_query_s: float = 20.0,
              deadline_s: float = 300.0) -> tuple[dict, dict[str, dict]]:
    """Every local saved query on ``engine`` (``oxigraph`` or ``rdflib``) over the store, in
    watched child processes: the load figures, and per query its figures or its error
    (stopped after ``per_query_s``, or not reached within ``deadline_s``)."""
    from borderkg.goldens import local_queries

    names = [saved.name for saved in local_queries()]
    found: dict[str, dict] = {}
    load: dict = {"error": "did not load in time"}
    began, index = time.perf_counter(), 0
    while index < len(names) and time.perf_counter() - began < deadline_s:
        child = subprocess.Popen([sys.executable, str(HERE / "queries.py"), engine, str(store_path), str(index),
                                  json.dumps(sampling)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        lines: queue.Queue = queue.Queue()

        def read(stream=child.stdout, out=lines) -> None:
            for line in stream:
                out.put(line)
            out.put(None)

        threading.Thread(target=read, daemon=True).start()
        try:
            first = lines.get(timeout=max(1.0, deadline_s - (time.perf_counter() - began)))
            if not first:
                load = {"error": "the query child ended before opening the store"}
                break
            load = json.loads(first)
            while index < len(names):
                left = deadline_s - (time.perf_counter() - began)
                try:
                    line = lines.get(timeout=max(0.1, min(per_query_s, left)))
                except queue.Empty:
                    if left > per_query_s:
                        found[names[index]] = {"error": f"stopped after {per_query_s:g} s"}
                        index += 1
                    break
                if line is None:
                    index = len(names)
                    break
                answer = json.loads(line)
                found[answer.pop("query")] = answer
                index += 1
        except queue.Empty:
            break
        finally:
            child.kill()
            child.wait()
    for name in names:
        found.setdefault(name, {"error": "not reached within the time limit"})
    return load, found


def startup(store_path: Path, runs: int = 7, name: str = "twin-links") -> dict:
    """Wall time of ``borderkg query NAME --store STORE`` as a new process (median of runs)."""
    command = [str(Path(sys.executable).parent / "borderkg"), "query", name, "--store", str(store_path)]
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, timeout=120)
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            return {"error": done.stderr.decode()[-500:], "median_s": float("nan"), "output_lines": 0}
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
    if len(sys.argv) != 5 or sys.argv[1] not in ("oxigraph", "rdflib"):
        raise SystemExit(__doc__)
    engine_child(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4]))
