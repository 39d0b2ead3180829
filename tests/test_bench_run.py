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


def test_two_workers_are_judged_on_both_pairs_of_builds(run):
    import copy
    import json

    recorded = json.loads((BENCH / "results.json").read_text(encoding="utf-8"))
    results = copy.deepcopy(recorded)
    ingest = results["ingest"]
    for key, seconds in (("build_w1", 100.0), ("build_w2", 50.0), ("build_w2_again", 70.0), ("build_w1_again", 104.0)):
        ingest[key] = {**recorded["ingest"]["build_w1"], "build_s": seconds}
    row, = [row for row in run.verdicts(results) if row[0] == "2 workers vs 1"]
    assert row[1].startswith("1.70×") and "50.0 s vs 100.0 s; 70.0 s vs 104.0 s" in row[1] and row[4] is True
    ingest.pop("build_w1_again"), ingest.pop("build_w2_again")  # a run before the second pair existed
    row, = [row for row in run.verdicts(results) if row[0] == "2 workers vs 1"]
    assert row[1].startswith("2.00×") and row[4] is True
