"""The benchmark corpus (bench/corpus.py) is read by borderkg as real quarterly reports."""

from __future__ import annotations

import doctest
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from borderkg.gazetteer import load_gazetteer
from borderkg.link.municipality import resolve_municipality
from borderkg.parse import Column, parse_report
from borderkg.read import read_document

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-corpus")
    manifest = bench_module("corpus").write_corpus(out, 3, seed=11)
    return out, manifest


def test_corpus_files_and_manifest(corpus):
    out, manifest = corpus
    reports = sorted(out.glob("bench_*.txt"))
    assert len(reports) == 3 and manifest["files"] == 6 and manifest["report_rows"] == 3 * 97
    assert {p.name for p in out.glob("0*.txt")} == {"000_5aa18e902abd1b5b.txt", "003_896a61d3b8a214c2.txt",
                                                    "004_2e546239e9f184f4.txt"}


def test_each_report_parses_with_its_period_sections_and_dates(corpus):
    out, _ = corpus
    gazetteer = load_gazetteer()
    months = {1: {1, 3}, 2: {3, 4, 5, 6}, 3: {6, 7, 8, 9}, 4: {9, 10, 12}}
    for path in sorted(out.glob("bench_*.txt")):
        year, quarter = map(int, re.search(r"_(\d{4})q(\d)\.txt$", path.name).groups())
        document = read_document(path)
        report = parse_report(document)
        assert (document.period.year, document.period.quarter) == (year, quarter)
        assert [row.n for row in report.rows] == list(range(1, 98))
        sections = Counter(row.section for row in report.rows)
        assert len(sections) >= 6
        for section in sections:
            assert resolve_municipality(section, gazetteer) is not None, section
            is_city = section.lower().startswith("город") or "«город" in section
            assert ("район" in section) == (year < 2024 and not is_city)
        dated = [row.cell(Column.DATES) for row in report.rows if row.cell(Column.DATES)]
        assert all(str(year) in text for text in dated)
        shifted = bench_module("corpus")._MONTH_WORD.findall(" ".join(dated))
        month_of = bench_module("corpus")._FORM
        assert {month_of[word.lower()][0] for word in shifted} <= months[quarter]


def test_same_seed_same_corpus(tmp_path):
    corpus = bench_module("corpus")
    corpus.write_corpus(tmp_path / "a", 2, seed=5)
    corpus.write_corpus(tmp_path / "b", 2, seed=5)
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


@pytest.mark.parametrize("name", ["corpus", "queries"])
def test_bench_doctests(name):
    failed, attempted = doctest.testmod(bench_module(name))
    assert attempted > 0 and failed == 0
