"""``borderkg review`` on a store built from the Q2 report."""

from __future__ import annotations

import re

from click.testing import CliRunner

from borderkg.cli import cli
from borderkg.gazetteer import load_gazetteer
from borderkg.paths import REPORTS


def test_review_lists_doubtful_links_first_with_curation_lines(tmp_path):
    store = str(tmp_path / "store")
    runner = CliRunner()
    built = runner.invoke(cli, ["build", "--quiet", "--store", store, str(REPORTS / "001_5746b6576caafdfe.txt")])
    assert built.exit_code == 0, built.output
    result = runner.invoke(cli, ["review", "--store", store, "--threshold", "0.95"])
    assert result.exit_code == 0, result.output
    heads = [line for line in result.output.splitlines() if re.match(r"\d\.\d+  ", line)]
    scores = [float(line.split()[0]) for line in heads]
    assert scores and scores == sorted(scores) and max(scores) < 0.95
    rules = [line.strip().split("\t") for line in result.output.splitlines() if line.count("\t") == 4]
    assert rules, "no curation line printed"
    places = load_gazetteer().places
    for doc, mention, action, target, note in rules:
        assert doc == "001_5746b6576caafdfe.txt" and mention and note
        assert action == "ignore" or target in places


def test_review_of_a_missing_store_is_one_clean_line(tmp_path):
    result = CliRunner().invoke(cli, ["review", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no store at" in result.output
    assert "Traceback" not in result.output
