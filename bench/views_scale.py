"""Benchmark: the partnership network at scale in headless Chromium.

A synthetic network of 5,000 nodes (municipalities and Belarusian places with coordinates)
and 20,000 edges (one or two events each) is rendered with borderkg's network code; the
page is opened from file:// and the time from navigation start until the network is
interactive (drawn, physics off: ``bkgView.readyAt``) is printed. Target: under 3 s.

    .venv/bin/python bench/views_scale.py [--nodes 5000] [--edges 20000] [--runs 3] [--force]

``--force`` also times the force layout (physics on until stabilised) on the same graph.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from borderkg.views.browser import chromium
from borderkg.views.model import Event, Municipality, Partnership, Place, Source, ViewData
from borderkg.views.network import render_network
from borderkg.views.render import copy_static

OBLASTS = ["by-vitebsk-oblast", "by-mogilev-oblast", "by-minsk-oblast", "by-gomel-oblast",
           "by-grodno-oblast", "by-brest-oblast"]


def synthetic(nodes: int, edges: int, seed: int = 1) -> ViewData:
    """A ViewData with ``nodes`` nodes (5 % municipalities) and ``edges`` distinct pairs."""
    rng = random.Random(seed)
    n_muni = max(1, nodes // 20)
    munis = {f"m{i}": Municipality(f"m{i}", f"Муниципалитет {i} муниципальный округ",
                                   rng.uniform(53.6, 56.0), rng.uniform(31.0, 35.0)) for i in range(n_muni)}
    places = {f"p{i}": Place(f"p{i}", f"Населённый пункт {i}", "settlement", rng.choice(OBLASTS), "",
                             rng.uniform(51.3, 56.1), rng.uniform(23.5, 32.7)) for i in range(nodes - n_muni)}
    muni_ids, place_ids = list(munis), list(places)
    pairs: set[tuple[str, str]] = set()
    for place in place_ids:  # every place gets at least one partner
        pairs.add((rng.choice(muni_ids), place))
    while len(pairs) < edges:
        pairs.add((rng.choice(muni_ids), rng.choice(place_ids)))
    events, partnerships = [], []
    for i, (muni, place) in enumerate(sorted(pairs)):
        pair = Partnership(muni, place, named_places=[place])
        for k in range(1 + (i % 4 == 0)):
            year = rng.choice((2022, 2023, 2024, 2025))
            events.append(Event(f"bench.txt/{i}-{k}", f"Мероприятие {i}-{k} «Дружба»",
                                Source("bench.txt", i + 1), f"{year}-{rng.randint(1, 12):02d}-15",
                                municipality=muni, partners=[place]))
            pair.events.append(events[-1])
        pair.joint_events = len(pair.events)
        partnerships.append(pair)
    # the partnerships as the layer would give them (each synthetic place is its own partner)
    return ViewData(munis, places, events, [], {o: o for o in OBLASTS}, partnerships)


PHASES = """() => { const t = bkgView.timings, nav = performance.getEntriesByType('navigation')[0];
    return {'load and parse the page': t.start, 'read the data': t.parsed - t.start,
            'filters and styles': t.computed - t.parsed, 'build the vis network': t.network - t.computed,
            'first drawing': bkgView.readyAt - t.network, 'file read (responseEnd)': nav.responseEnd}; }"""


def measure(page_path: Path, runs: int, force: bool) -> tuple[list[float], list[float], list[dict]]:
    ready, stabilised, phases = [], [], []
    with chromium(width=1400, height=900) as open_page:
        for _ in range(runs):
            visit = open_page(page_path.as_uri())
            visit.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=120_000)
            ready.append(visit.page.evaluate("bkgView.readyAt") / 1000)
            phases.append(visit.page.evaluate(PHASES))
            phases[-1]["labels on first zoom-in"] = visit.page.evaluate("""() => new Promise(done => {
                const t = performance.now(), n = bkgView.network;
                n.once('afterDrawing', () => done(performance.now() - t));
                bkgView.addLabels(); n.moveTo({scale: 1}); })""")
            if visit.errors:
                raise SystemExit(f"JavaScript errors: {visit.errors[:3]}")
            if force:
                started = time.perf_counter()
                visit.page.evaluate("""() => new Promise(done => {
                    bkgView.network.once('stabilizationIterationsDone', done);
                    document.getElementById('l-force').click(); })""")
                stabilised.append(time.perf_counter() - started)
            visit.page.close()
    return ready, stabilised, phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--force", action="store_true", help="also time the force layout")
    parser.add_argument("--out", type=Path, default=None, help="keep the page in this folder")
    args = parser.parse_args()

    started = time.perf_counter()
    data = synthetic(args.nodes, args.edges)
    out = args.out or Path(tempfile.mkdtemp(prefix="borderkg-views-bench-"))
    copy_static(out)
    page_path = out / "network.html"
    page_path.write_text(render_network(data), encoding="utf-8")
    render_s = time.perf_counter() - started
    ready, stabilised, phases = measure(page_path, args.runs, args.force)
    print(f"network: {args.nodes} nodes, {args.edges} edges, {len(data.events)} events; "
          f"page {page_path.stat().st_size / 1e6:.1f} MB, rendered in {render_s:.1f} s")
    print(f"time to interactive (navigation start -> drawn, physics off), {args.runs} runs: "
          f"median {statistics.median(ready):.2f} s, max {max(ready):.2f} s  (target < 3 s)")
    print("phases (medians; labels are added after the view is interactive, on the first zoom-in):")
    for phase in phases[0]:
        print(f"  {phase:28s} median {statistics.median(p[phase] for p in phases) / 1000:.2f} s")
    if stabilised:
        print(f"force layout until stabilised: median {statistics.median(stabilised):.1f} s")


if __name__ == "__main__":
    main()
