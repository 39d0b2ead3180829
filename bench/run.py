"""borderkg benchmarks: one command measures ingest, memory, queries, start-up, the endpoint
and the views side by side, prints every figure with its target, and writes them as JSON.

    .venv/bin/python bench/run.py [--scales 10,100,260] [--memory-scale 1000] [--out bench/results.json]
    .venv/bin/python bench/run.py --quick        # the same judge on small corpora, a few minutes

The scales are corpora of that many synthetic quarterly reports (``bench/corpus.py``) plus
the three free-text documents. The smallest gives the rdflib comparison, the small start-up
store and the reference of every query's time; the middle one the natasha references, one build
with each worker count and the views; the largest (260 reports: over a million triples) the
1-versus-2-worker builds (1, 2, 2, 1), the query latencies, the big start-up and the store one more report is added to (against the same
report built alone into an empty store); the endpoint serves the small and the large store in
turn (the small one is its reference). The memory peak is that of the ``--memory-scale``
build (1,000 reports), which is built for that alone.
Every figure is printed beside its target and, where the machine's load could hide a
regression, also as a ratio to a reference measured in the same run.
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
    results.update(environment=environment(), scales=args.scales, memory_scale=args.memory_scale)
    corpora = {}
    for scale in sorted({*args.scales, args.memory_scale, large + 1}):
        corpora[scale] = work / f"corpus-x{scale}"
        results.setdefault("corpora", {})[f"x{scale}"] = write_corpus(corpora[scale], scale, args.seed)
    log(f"corpora written: {', '.join(f'x{s}' for s in corpora)} in {work}")

    stores = {"small": work / f"store-x{small}", "w1": work / f"store-x{middle}-w1",
              "w2": work / f"store-x{middle}-w2", "large": work / f"store-x{large}-w2",
              "memory": work / f"store-x{args.memory_scale}-w2"}
    ingest = results["ingest"] = {"corpus": f"x{middle}"}

    def child(key: str, *child_args: str, timeout: float = 1200) -> dict:
        found = ingest[key] = run_child(*child_args, timeout=timeout)
        seconds = found.get("build_s", found.get("total_s"))
        log(f"  {key}: {seconds} s")
        return found

    log(f"ingest on x{middle} …")
    child("natasha_doc", "natasha", str(corpora[middle]), "--mode", "doc")
    child("natasha_map", "natasha", str(corpora[middle]), "--mode", "map")
    child("build_w1", "build", str(corpora[middle]), str(stores["w1"]), "--workers", "1")
    shutil.rmtree(stores["w1"], ignore_errors=True)
    child("build_w2", "build", str(corpora[middle]), str(stores["w2"]), "--workers", "2")
    # The targets are for a store of a million triples and more: two workers against one on
    # the large corpus, where the fixed costs of a build (the models, the derived layers) weigh
    # what they do on a decade of reports. One worker, two, two, one: the machine's speed
    # drifts (the same build took 43 s and 68 s a quarter of an hour apart), and the ratio of
    # the two pairs' sums cancels a steady drift.
    pairs = results["workers"] = {"corpus": f"x{large}"}
    for key, workers in (("w1", 1), ("w2", 2), ("w2_again", 2), ("w1_again", 1)):
        store = work / f"store-x{large}-{key}"
        shutil.rmtree(store, ignore_errors=True)
        pairs[key] = run_child("build", str(corpora[large]), str(store), "--workers", str(workers),
                               timeout=args.build_timeout)
        log(f"  x{large} {key}: {pairs[key]['build_s']} s")
        shutil.rmtree(store, ignore_errors=True)
    results["build_small"] = run_child("build", str(corpora[small]), str(stores["small"]), "--workers", "1",
                                       timeout=900)
    log(f"  x{small} store built in {results['build_small']['build_s']} s")

    import pyoxigraph

    log(f"build x{large} with 2 workers as `borderkg build` …")
    results["build_large"] = cli_build_with_memory(corpora[large], stores["large"], 2, timeout=args.build_timeout)
    log(f"  {results['build_large']['wall_s']} s")
    if results["build_large"]["returncode"] != 0:
        raise SystemExit(f"the x{large} build failed: {results['build_large']['stderr']}")
    add_one(args, work, results, corpora[large + 1], stores["large"])

    scale = args.memory_scale
    log(f"build x{scale} with 2 workers as `borderkg build` (memory sampled) …")
    results["memory"] = cli_build_with_memory(corpora[scale], stores["memory"], 2, timeout=args.memory_timeout)
    log(f"  {results['memory']['wall_s']} s, tree peak RSS {results['memory']['tree_peak_rss_mb']} MB")
    if results["memory"]["returncode"] != 0:
        raise SystemExit(f"the x{scale} build failed: {results['memory']['stderr']}")
    results["memory"]["triples"] = len(pyoxigraph.Store.read_only(str(stores["memory"])))
    shutil.rmtree(stores["memory"], ignore_errors=True)

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
    for key in ("small", "large"):
        scale = {"small": small, "large": large}[key]
        store = stores[key]
        log(f"endpoint: {args.clients} clients for {args.duration:g} s on {store.name} …")
        found = results["endpoint"][key] = load_test(store, args.clients, args.duration)
        found["store_scale"] = f"x{scale}"
        log(f"  {found['requests_per_s']} requests/s, {found['errors']} errors")
    log(f"views of the x{middle} graph …")
    results["views"] = time_views(stores["w2"], work / "views")
    results["environment"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    results["environment"]["total_s"] = round(time.perf_counter() - STARTED, 1)


def add_one(args, work: Path, results: dict, bigger: Path, store: Path) -> None:
    """Add the next report of the corpus (the first report of ``bigger`` that the large store
    lacks) to a copy of the large store, as ``borderkg build REPORT`` does, derived layers
    included; the reference is the same report built alone into an empty store, in the same run."""
    from ingest import run_child

    scale = args.scales[2]
    extra = sorted(bigger.glob(f"bench_{scale:04d}_*"))[0]
    log(f"add one report ({extra.name}) to the x{scale} store …")
    found = results["add_one"] = {"scale": f"x{scale}", "report": extra.name}
    found["added"] = run_child("add", str(store), str(extra), "--copy-to", str(work / "store-added"),
                               timeout=600)
    found["alone"] = run_child("add", str(work / "store-empty"), str(extra), timeout=600)
    log(f"  added in {found['added']['add_s']} s (derive {found['added']['derive_s']} s); "
        f"alone into an empty store {found['alone']['add_s']} s")
    shutil.rmtree(work / "store-added", ignore_errors=True)


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
    rows.append(("natasha batched map (reference)", f"{rows_of[middle] / nmap['total_s']:.0f} rows/s "
                 f"({nmap['total_s']:.1f} s: load {nmap['load_s']:.1f} + NER {nmap['ner_s']:.1f})", "", middle, None))
    ratio = w1["build_s"] / nmap["total_s"]
    rows.append(("pipeline / natasha batched map", f"{ratio:.2f}× (vs Doc per cell {w1['build_s'] / nat['total_s']:.2f}×)",
                 "(≤ 1.3×)", middle, None))
    steady = w1["steady_s_per_doc"] / (nmap["ner_s"] / nmap["files"])
    rows.append(("  same per row, steady (models loaded)", f"{steady:.2f}×", "≤ 1.3×", middle, steady <= 1.3))
    if w1.get("steady_cpu_s_per_doc") and nmap.get("ner_cpu_s"):
        # The ratio above is of wall time, and one worker writes each graph on a second thread
        # while it extracts the next: the same in CPU time, for what the overlap hides.
        cpu = w1["steady_cpu_s_per_doc"] / (nmap["ner_cpu_s"] / nmap["files"])
        rows.append(("  same in CPU time (writes on their own thread)", f"{cpu:.2f}×", "", middle, None))
    rows.append(("  2 workers vs 1, one build each (reference)", f"{w1['build_s'] / w2['build_s']:.2f}× "
                 f"({w2['build_s']:.1f} s vs {w1['build_s']:.1f} s)", "", middle, None))
    if "workers" in r:
        two = r["workers"]
        pairs = [(two["w1"], two["w2"]), (two["w1_again"], two["w2_again"])]
        speedup = sum(one["build_s"] for one, _ in pairs) / sum(two["build_s"] for _, two in pairs)
        each = "; ".join(f"{two['build_s']:.1f} s vs {one['build_s']:.1f} s" for one, two in pairs)
        steady = two["w1"]["steady_s_per_doc"] / two["w2"]["steady_s_per_doc"]
        rows.append(("2 workers vs 1, builds 1, 2, 2, 1", f"{speedup:.2f}× ({each}; steady {steady:.2f}×)",
                     "≥ 1.7×", two["corpus"], speedup >= 1.7))
        one = two["w1"]
        if one.get("steady_cpu_s_per_doc"):
            # One worker already keeps more than a core busy (it writes on a second thread): two
            # workers on two cores cannot go faster than the cores' CPU time allows.
            cores = min(2, r["environment"]["cpus"] or 1)
            ceiling = cores * one["steady_s_per_doc"] / one["steady_cpu_s_per_doc"]
            rows.append(("  steady ceiling on 2 cores (one worker's wall / CPU time a report)",
                         f"{ceiling:.2f}× ({one['steady_s_per_doc']:.3f} s / {one['steady_cpu_s_per_doc']:.3f} CPU-s)",
                         "", two["corpus"], None))
    add = r.get("add_one")
    if add:
        added, alone = add["added"], add["alone"]
        rows.append((f"add one report to {add['scale']}", f"{added['add_s']:.1f} s (derive {added['derive_s']:.1f} s); "
                     f"×{added['add_s'] / alone['add_s']:.2f} of the same report alone ({alone['add_s']:.1f} s)",
                     "≤ 10 s", add["scale"], added["add_s"] <= 10))
    big = r["build_large"]
    rows.append((f"build {large}, 2 workers", f"{rows_of[large] / big['wall_s']:.0f} rows/s "
                 f"({big['wall_s']:.0f} s)", "", large, None))
    mem, huge = r["memory"], f"x{r['memory_scale']}"
    rows.append((f"build {huge}, 2 workers", f"{rows_of[huge] / mem['wall_s']:.0f} rows/s "
                 f"({mem['wall_s']:.0f} s, {mem['triples']:,} triples)", "", huge, None))
    rows.append(("peak RSS, main process", f"{mem['main_peak_rss_mb']:.0f} MB", "", huge, None))
    tree_gb = mem["tree_peak_rss_mb"] / 1024
    rows.append(("peak RSS, process tree", f"{mem['tree_peak_rss_mb']:.0f} MB (PSS {mem['tree_peak_pss_mb']:.0f} MB)",
                 "≤ 1.5 GB", huge, tree_gb <= 1.5))
    triples = r["store_triples"]["large"]
    rows.append(("triples in the large store", f"{triples:,}", "≥ 1M", large, triples >= 1_000_000))
    rows += query_verdicts(r["queries_large"], r["queries_small_oxigraph"], r["queries_small_rdflib"], large, small)
    start = r["startup"]
    rows.append(("start-up `query twin-links`", f"{start['small']['median_s']:.2f} s (python alone "
                 f"{start['python_median_s']:.2f} s, import cli {start['import_cli_median_s']:.2f} s)",
                 "≤ 0.5 s", small, start["small"]["median_s"] <= 0.5))
    rows.append(("  same on the large store", f"{start['large']['median_s']:.2f} s "
                 f"({start['large']['output_lines']} lines out)", "(≤ 0.5 s)", large, start["large"]["median_s"] <= 0.5))
    reference = r["endpoint"].get("small", {})
    for key, ep in r["endpoint"].items():
        ratio = (f"; ×{ep['requests_per_s'] / reference['requests_per_s']:.2f} of the {reference['store_scale']} rate"
                 if key != "small" and reference.get("requests_per_s") else "")
        judged = key != "small"
        rows.append((f"endpoint, {ep['clients']} clients {ep['duration_s']:.0f} s",
                     f"{ep['requests_per_s']:.1f} req/s, p99 {ep['p99_ms']:.0f} ms, {ep['errors']} errors "
                     f"of {ep['requests']}{ratio}", "≥ 100 req/s, p99 ≤ 1 s, 0 errors" if judged else "(reference)",
                     ep["store_scale"], (ep["requests_per_s"] >= 100 and ep["p99_ms"] <= 1000 and ep["errors"] == 0)
                     if judged else None))
    views = r["views"]
    rows.append(("render all views", f"{views['seconds']:.1f} s ({views['pages']} pages, {views['html_mb']} MB)", "",
                 middle, None))
    return rows


def query_verdicts(large_q: dict, small_q: dict, rdflib_q: dict, large: str, small: str) -> list:
    """One row per saved query: p95 on the large store (target 100 ms), as a ratio to its own
    time on the small store, and rdflib's time over Oxigraph's on the small store (target 30×)."""
    rows = []
    for name, q in large_q.items():
        ox, lib = small_q.get(name, {}), rdflib_q.get(name, {})
        if "p95_ms" not in q:
            rows.append((f"query {name}", q.get("error", "?"), "p95 ≤ 100 ms; rdflib ≥ 30×", large, False))
            continue
        runs = f"n={q['runs']}" if q["runs"] else "1 cold run"
        figure = f"median {q['median_ms']:.0f} ms, p95 {q['p95_ms']:.0f} ms ({runs})"
        faster = None
        if ox.get("p95_ms"):
            figure += f"; ×{q['p95_ms'] / ox['p95_ms']:.1f} of {small} ({ox['p95_ms']:.1f} ms)"
        if "median_ms" in lib and ox.get("median_ms"):
            faster = lib["median_ms"] / ox["median_ms"]
            figure += f"; rdflib ×{faster:.0f}" + (f" (rows differ: {ox['rows']} vs {lib['rows']})"
                                                   if lib["rows"] != ox["rows"] else "")
        elif "error" in lib:
            figure += f"; rdflib {lib['error'][:24]}"
            faster = float("inf") if "stopped" in lib["error"] else None  # rdflib past the limit
        met = q["p95_ms"] <= 100 and faster is not None and faster >= 30
        rows.append((f"query {name}", figure, "p95 ≤ 100 ms; rdflib ≥ 30×", large, met))
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
    parser.add_argument("--scales", default="10,100,260",
                        help="three corpus sizes in reports: small,middle,large (default 10,100,260)")
    parser.add_argument("--memory-scale", type=int, default=1000,
                        help="reports in the build whose memory peak is measured (default 1000)")
    parser.add_argument("--out", type=Path, help="JSON of every figure (default bench/results.json; "
                                                      "with --quick, results-quick.json in the temporary folder)")
    parser.add_argument("--work", type=Path, help="working folder (default: a new temporary one, removed)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of the endpoint test")
    parser.add_argument("--build-timeout", type=float, default=900.0, help="limit of the large build (s)")
    parser.add_argument("--memory-timeout", type=float, default=1800.0, help="limit of the memory build (s)")
    parser.add_argument("--query-limit", type=float, default=10.0,
                        help="a query running longer is stopped and reported as such (s)")
    parser.add_argument("--query-deadline", type=float, default=150.0,
                        help="limit of each Oxigraph query pass (large store, small store) (s)")
    parser.add_argument("--rdflib-deadline", type=float, default=300.0,
                        help="limit of the rdflib pass (s): some queries take rdflib over 4 s on the small "
                             "store, and each stopped query costs a reload")
    parser.add_argument("--quick", action="store_true",
                        help="the same judge, small: scales 3,5,10, memory on 12, 4 clients for 5 s (figures "
                             "are not the targets' scale; checks that everything runs)")
    args = parser.parse_args()
    if args.quick:
        args.scales, args.memory_scale, args.clients, args.duration = "3,5,10", 12, 4, 5.0
        args.out = args.out or Path(tempfile.gettempdir()) / "borderkg-bench-quick.json"
    args.out = args.out or HERE / "results.json"
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
