"""borderkg benchmarks: one command measures ingest, memory, queries, start-up, the endpoint
and the views side by side, prints every figure with its target, and writes them as JSON.

    .venv/bin/python bench/run.py [--scales 10,100,1000] [--out bench/results.json]

The three scales are corpora of that many synthetic quarterly reports (``bench/corpus.py``)
plus the three free-text documents. The smallest gives the rdflib comparison and the small
start-up store, the middle one the 1-versus-2-worker builds, the natasha references and the
views, the largest the memory peak, the query latencies and the big start-up; the endpoint
serves the small and the middle store in turn.
Progress goes to stderr; see ``bench/README.md`` for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STARTED = time.perf_counter()
GB = 1 << 30


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


def environment() -> dict:
    import pyoxigraph

    memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    commit = subprocess.run(["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "memory_gb": round(int(memory) / (1 << 20), 1),
            "python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__,
            "commit": commit, "load_average_start": [round(x, 2) for x in os.getloadavg()],
            "date": time.strftime("%Y-%m-%d %H:%M")}


def measure(args, work: Path, results: dict) -> None:
    """Run every benchmark in order, filling ``results`` as each finishes."""
    from corpus import write_corpus
    from endpoint import load_test
    from ingest import cli_build_with_memory, run_child
    from queries import interpreter_startup, latencies, startup

    small, middle, large = args.scales
    results.update(environment=environment(), scales=args.scales)
    corpora = {}
    for scale in sorted(set(args.scales)):
        corpora[scale] = work / f"corpus-x{scale}"
        results.setdefault("corpora", {})[f"x{scale}"] = write_corpus(corpora[scale], scale, args.seed)
    log(f"corpora written: {', '.join(f'x{s}' for s in corpora)} in {work}")

    stores = {"small": work / f"store-x{small}", "w1": work / f"store-x{middle}-w1",
              "w2": work / f"store-x{middle}-w2", "large": work / f"store-x{large}-w2"}
    ingest = results["ingest"] = {"corpus": f"x{middle}"}

    def child(key: str, *child_args: str, timeout: float = 1200) -> dict:
        found = ingest[key] = run_child(*child_args, timeout=timeout)
        seconds = found.get("build_s", found.get("total_s"))
        log(f"  {key}: {seconds} s")
        return found

    log(f"ingest on x{middle} …")
    child("natasha_doc", "natasha", str(corpora[middle]), "--mode", "doc")
    child("natasha_map", "natasha", str(corpora[small]), "--mode", "map")
    for workers in (1, 2):
        shutil.rmtree(stores[f"w{workers}"], ignore_errors=True)
        child(f"build_w{workers}", "build", str(corpora[middle]), str(stores[f"w{workers}"]), "--workers", str(workers))
    shutil.rmtree(stores["w1"], ignore_errors=True)
    results["build_small"] = run_child("build", str(corpora[small]), str(stores["small"]), "--workers", "1",
                                       timeout=900)
    log(f"  x{small} store built in {results['build_small']['build_s']} s")

    log(f"build x{large} with 2 workers as `borderkg build` (memory sampled) …")
    results["memory"] = cli_build_with_memory(corpora[large], stores["large"], 2, timeout=args.build_timeout)
    log(f"  {results['memory']['wall_s']} s, tree peak RSS {results['memory']['tree_peak_rss_mb']} MB")
    if results["memory"]["returncode"] != 0:
        raise SystemExit(f"the x{large} build failed: {results['memory']['stderr']}")

    import pyoxigraph

    results["store_triples"] = {name: len(pyoxigraph.Store.read_only(str(path)))
                                for name, path in stores.items() if path.exists()}
    log(f"queries on the x{large} store ({results['store_triples']['large']:,} triples) …")
    limit = args.query_limit
    results["queries_large_load"], results["queries_large"] = latencies(
        "oxigraph", stores["large"], dict(min_runs=5, max_runs=30, budget_s=1.0), limit, args.query_deadline)
    log(f"queries on the x{small} store, Oxigraph then rdflib …")
    results["queries_small_oxigraph_load"], results["queries_small_oxigraph"] = latencies(
        "oxigraph", stores["small"], dict(min_runs=10, max_runs=40, budget_s=0.5), limit, args.query_deadline)
    results["queries_small_rdflib_load"], results["queries_small_rdflib"] = latencies(
        "rdflib", stores["small"], dict(min_runs=3, max_runs=10, budget_s=1.0), limit, args.rdflib_deadline)

    log("start-up of `borderkg query twin-links` …")
    results["startup"] = {"small": startup(stores["small"]), "large": startup(stores["large"]),
                          **interpreter_startup()}
    results["endpoint"] = {}
    for key in ("small", "middle"):
        scale = {"small": small, "middle": middle}[key]
        store = stores["small"] if key == "small" else stores["w2"]
        log(f"endpoint: {args.clients} clients for {args.duration:g} s on {store.name} …")
        found = results["endpoint"][key] = load_test(store, args.clients, args.duration)
        found["store_scale"] = f"x{scale}"
        log(f"  {found['requests_per_s']} requests/s, {found['errors']} errors")
    log(f"views of the x{middle} graph …")
    results["views"] = time_views(stores["w2"], work / "views")
    results["environment"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    results["environment"]["total_s"] = round(time.perf_counter() - STARTED, 1)


def time_views(store_path: Path, out_dir: Path) -> dict:
    from borderkg.store import OxigraphStore
    from borderkg.views.render import render_all

    began = time.perf_counter()
    store = OxigraphStore(store_path, read_only=True)
    pages = render_all(store, out_dir=out_dir)
    elapsed = time.perf_counter() - began
    size = sum(p.stat().st_size for p in out_dir.rglob("*.html"))
    return {"store": store_path.name, "seconds": round(elapsed, 2), "pages": len(pages),
            "html_mb": round(size / (1 << 20), 1)}


def verdicts(r: dict) -> list[tuple[str, str, str, str, bool | None]]:
    """(what, figure, target, which store/corpus, met) rows of the summary table."""
    small, middle, large = (f"x{s}" for s in r["scales"])
    ingest, rows = r["ingest"], []
    rows_of = {name: corpus["report_rows"] for name, corpus in r["corpora"].items()}

    def rate(build: dict, corpus: str) -> str:
        return (f"{rows_of[corpus] / build['build_s']:.0f} rows/s, {build['files'] / build['build_s']:.2f} docs/s "
                f"({build['build_s']:.1f} s; derive {build['derive_s']:.1f} s)")

    w1, w2, nat, nmap = ingest["build_w1"], ingest["build_w2"], ingest["natasha_doc"], ingest["natasha_map"]
    rows.append(("ingest, 1 worker", rate(w1, middle), "", middle, None))
    rows.append(("natasha alone (Doc per cell)", f"{rows_of[middle] / nat['total_s']:.0f} rows/s ({nat['total_s']:.1f} s: "
                 f"load {nat['load_s']:.1f} + NER {nat['ner_s']:.1f})", "", middle, None))
    rows.append(("natasha batched map (reference)", f"{rows_of[small] / nmap['total_s']:.0f} rows/s "
                 f"({nmap['total_s']:.1f} s)", "", small, None))
    ratio = w1["build_s"] / nat["total_s"]
    rows.append(("pipeline / natasha alone", f"{ratio:.2f}×", "≤ 1.3×", middle, ratio <= 1.3))
    steady = w1["steady_s_per_doc"] / (nat["ner_s"] / nat["files"])
    rows.append(("  same, steady rate (models loaded)", f"{steady:.2f}×", "(≤ 1.3×)", middle, None))
    speedup = w1["build_s"] / w2["build_s"]
    rows.append(("2 workers vs 1", f"{speedup:.2f}× ({w2['build_s']:.1f} s vs {w1['build_s']:.1f} s)", "≥ 1.7×",
                 middle, speedup >= 1.7))
    mem = r["memory"]
    rows.append((f"build {large}, 2 workers", f"{rows_of[large] / mem['wall_s']:.0f} rows/s "
                 f"({mem['wall_s']:.0f} s)", "", large, None))
    rows.append(("peak RSS, main process", f"{mem['main_peak_rss_mb']:.0f} MB", "", large, None))
    tree_gb = mem["tree_peak_rss_mb"] / 1024
    rows.append(("peak RSS, process tree", f"{mem['tree_peak_rss_mb']:.0f} MB (PSS {mem['tree_peak_pss_mb']:.0f} MB)",
                 "≤ 1.5 GB", large, tree_gb <= 1.5))
    triples = r["store_triples"]["large"]
    rows.append(("triples in the large store", f"{triples:,}", "≥ 1M", large, triples >= 1_000_000))
    for name, q in r["queries_large"].items():
        ox, lib = r["queries_small_oxigraph"].get(name, {}), r["queries_small_rdflib"].get(name, {})
        if "median_ms" in lib and ox.get("median_ms"):
            ref = f"; {small}: oxigraph {ox['median_ms']:.1f} ms, rdflib ×{lib['median_ms'] / ox['median_ms']:.0f}"
            if lib["rows"] != ox["rows"]:
                ref += f" (rows differ: {ox['rows']} vs {lib['rows']})"
        elif ox.get("median_ms"):
            ref = f"; {small}: oxigraph {ox['median_ms']:.1f} ms, rdflib {lib.get('error', '?')[:24]}"
        else:
            ref = f"; {small}: oxigraph {ox.get('error', '?')[:24]}"
        if "p95_ms" in q:
            runs = f"n={q['runs']}" if q["runs"] else "1 cold run"
            figure = f"median {q['median_ms']:.0f} ms, p95 {q['p95_ms']:.0f} ms ({runs})"
        else:
            figure = q["error"]
        rows.append((f"query {name}", figure + ref, "p95 ≤ 100 ms", large, q.get("p95_ms", 1e9) <= 100))
    start = r["startup"]
    rows.append(("start-up `query twin-links`", f"{start['small']['median_s']:.2f} s (python alone "
                 f"{start['python_median_s']:.2f} s, import cli {start['import_cli_median_s']:.2f} s)",
                 "≤ 0.5 s", small, start["small"]["median_s"] <= 0.5))
    rows.append(("  same on the large store", f"{start['large']['median_s']:.2f} s "
                 f"({start['large']['output_lines']} lines out)", "(≤ 0.5 s)", large, start["large"]["median_s"] <= 0.5))
    for ep in r["endpoint"].values():
        rows.append((f"endpoint, {ep['clients']} clients {ep['duration_s']:.0f} s",
                     f"{ep['requests_per_s']:.1f} req/s, p99 {ep['p99_ms']:.0f} ms, {ep['errors']} errors "
                     f"of {ep['requests']}", "0 errors", ep["store_scale"], ep["errors"] == 0))
    views = r["views"]
    rows.append(("render all views", f"{views['seconds']:.1f} s ({views['pages']} pages, {views['html_mb']} MB)", "",
                 middle, None))
    return rows


def table(rows) -> str:
    header = ("what", "figure", "target", "on", "met")
    cells = [header] + [(a, b, c, d, "" if ok is None else ("yes" if ok else "NO")) for a, b, c, d, ok in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def work_folder(given: Path | None) -> tuple[Path, bool]:
    """The working folder, empty, and whether it is a temporary one to remove at the end:
    ``--work`` emptied (or made), else a new temporary folder (made once, by mkdtemp)."""
    if given is None:
        return Path(tempfile.mkdtemp(prefix="borderkg-bench-")), True
    if given.exists():
        shutil.rmtree(given)
    given.mkdir(parents=True)
    return given, False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10,100,1000",
                        help="three corpus sizes in reports: small,middle,large (default 10,100,1000)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--work", type=Path, help="working folder (default: a new temporary one, removed)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of the endpoint test")
    parser.add_argument("--build-timeout", type=float, default=900.0, help="limit of the large build (s)")
    parser.add_argument("--query-limit", type=float, default=10.0,
                        help="a query running longer is stopped and reported as such (s)")
    parser.add_argument("--query-deadline", type=float, default=150.0,
                        help="limit of each Oxigraph query pass (large store, small store) (s)")
    parser.add_argument("--rdflib-deadline", type=float, default=100.0, help="limit of the rdflib pass (s)")
    args = parser.parse_args()
    args.scales = [int(s) for s in args.scales.split(",")]
    if len(args.scales) != 3 or sorted(args.scales) != args.scales:
        raise SystemExit("--scales takes three increasing sizes, e.g. 10,100,1000")
    work, temporary = work_folder(args.work)
    results: dict = {}
    try:
        measure(args, work, results)
    except BaseException as exc:
        results["error"] = f"{type(exc).__name__}: {exc}"
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        log(f"stopped: {results['error']} (what was measured is in {args.out})")
        raise
    finally:
        if temporary:
            shutil.rmtree(work, ignore_errors=True)
    rows = verdicts(results)
    results["summary"] = [{"what": a, "figure": b, "target": c, "on": d, "met": ok} for a, b, c, d, ok in rows]
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    env = results["environment"]
    print(f"borderkg benchmarks, {env['date']}, commit {env['commit']}, {env['cpus']} CPUs, {env['memory_gb']} GB; "
          f"load average {env['load_average_start']} at start, {env['load_average_end']} at end; "
          f"{env['total_s']:.0f} s in all")
    print(table(rows))
    print(f"JSON: {args.out}")


if __name__ == "__main__":
    main()
