"""bench/run.py's default command gets as far as the benchmarks (no benchmark is run here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture
def run(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Reached(Exception):
    """Raised by the stand-in for the benchmarks once main() has called them."""


def test_the_default_command_reaches_the_benchmarks_and_removes_its_folder(run, monkeypatch, tmp_path):
    seen = []

    def measure(args, work, results):
        seen.append((work, work.is_dir(), list(work.iterdir())))
        raise Reached

    monkeypatch.setattr(run, "measure", measure)
    monkeypatch.setattr(sys, "argv", ["run.py", "--out", str(tmp_path / "results.json")])
    with pytest.raises(Reached):  # was FileExistsError before any benchmark ran
        run.main()
    (work, existed, content), = seen
    assert existed and content == [] and work.name.startswith("borderkg-bench-")
    assert not work.exists()  # a temporary folder is removed


def test_a_given_work_folder_is_emptied_and_kept(run, tmp_path):
    given = tmp_path / "work"
    (given / "old").mkdir(parents=True)
    assert run.work_folder(given) == (given, False)
    assert given.is_dir() and list(given.iterdir()) == []
    fresh = tmp_path / "new" / "work"
    assert run.work_folder(fresh) == (fresh, False) and fresh.is_dir()


def test_two_workers_are_judged_on_both_pairs_of_builds_of_the_large_corpus(run):
    import copy
    import json

    recorded = json.loads((BENCH / "results.json").read_text(encoding="utf-8"))
    results = copy.deepcopy(recorded)
    base = recorded["ingest"]["build_w1"]
    results["workers"] = {"corpus": "x260"}
    for key, seconds, steady in (("w1", 100.0, 0.5), ("w2", 50.0, 0.2), ("w2_again", 70.0, 0.3),
                                 ("w1_again", 104.0, 0.5)):
        results["workers"][key] = {**base, "build_s": seconds, "steady_s_per_doc": steady}
    judged = [row for row in run.verdicts(results) if row[0].startswith("2 workers vs 1, builds")]
    (what, figure, target, corpus, met), = judged
    assert figure.startswith("1.70×") and "50.0 s vs 100.0 s; 70.0 s vs 104.0 s; steady 2.50×" in figure
    assert (target, corpus, met) == ("≥ 1.7×", "x260", True)
    results["workers"]["w2_again"]["build_s"] = 71.0
    (row,) = [row for row in run.verdicts(results) if row[0].startswith("2 workers vs 1, builds")]
    assert row[1].startswith("1.69×") and row[4] is False
    # the one build of each on the middle corpus is shown, not judged
    (reference,) = [row for row in run.verdicts(results) if row[0].strip().startswith("2 workers vs 1, one build")]
    assert reference[4] is None and reference[2] == ""
    # beside it, what two cores allow: twice one worker's wall time a report over its CPU time
    results["workers"]["w1"]["steady_cpu_s_per_doc"] = 0.625
    results["environment"]["cpus"] = 2
    (ceiling,) = [row for row in run.verdicts(results) if "ceiling" in row[0]]
    assert ceiling[1].startswith("1.60× (0.500 s / 0.625 CPU-s)") and ceiling[4] is None
    del results["workers"]  # a run from before the pairs moved to the large corpus
    assert not [row for row in run.verdicts(results) if row[0].startswith("2 workers vs 1, builds")]
