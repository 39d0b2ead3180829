"""The command line: every command has help, errors are one line, query needs no NER."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from borderkg.cli import cli
from borderkg.store import OxigraphStore

from conftest import ROOT


def test_every_command_has_help_text():
    for name, command in cli.commands.items():
        assert command.help and len(command.help) > 20, name
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name


def test_extract_prints_the_gold_schema(report_txt_path):
    result = CliRunner().invoke(cli, ["extract", str(report_txt_path)])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["n"] for r in records] == [61, 75, 76]
    assert list(records[0]) == ["doc", "n", "municipality", "date_start", "date_end", "online", "venue",
                                "by_places", "by_country_mentioned", "countries", "by_orgs", "twins",
                                "agreements"]
    assert records[2]["online"] is True and records[1]["date_start"] == "2025-04"


def test_build_and_query_end_to_end(tmp_path, report_txt_path):
    store = tmp_path / "store"
    runner = CliRunner()
    built = runner.invoke(cli, ["build", "--quiet", "--store", str(store), str(report_txt_path)])
    assert built.exit_code == 0, built.output
    assert "events" in built.output
    result = runner.invoke(cli, ["query", "partners-of-municipality", "--store", str(store),
                                 "-p", "municipality=Хиславичский муниципальный округ", "--format", "json"])
    assert result.exit_code == 0, result.output
    partners = {row["partner"] for row in json.loads(result.output)}
    assert {"Мстиславль", "Сенненский район", "Мстиславский район"} <= partners


def test_build_exits_non_zero_and_names_the_bad_file(tmp_path, report_txt_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    result = CliRunner().invoke(cli, ["build", "--quiet", "--store", str(tmp_path / "s"),
                                      str(report_txt_path), str(bad)])
    assert result.exit_code == 1
    assert "bad.docx" in result.output and "Traceback" not in result.output


def test_unknown_query_is_a_clean_error(tmp_path):
    OxigraphStore(tmp_path / "store").close()
    result = CliRunner().invoke(cli, ["query", "no-such-query", "--store", str(tmp_path / "store")])
    assert result.exit_code == 1
    assert "no saved query named 'no-such-query'" in result.output


def test_query_on_a_missing_store_is_a_clean_error(tmp_path):
    result = CliRunner().invoke(cli, ["query", "twin-links", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "borderkg build" in result.output


def test_query_does_not_load_the_nlp_stack(tmp_path, report_txt_path):
    store = tmp_path / "store"
    CliRunner().invoke(cli, ["build", "--quiet", "--store", str(store), str(report_txt_path)])
    code = ("import sys; from borderkg.cli import main; sys.argv=['borderkg','query','twin-links','--store',%r];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy=[m for m in ('natasha','spacy','pymorphy3','slovnet','navec','docx','trafilatura') if m in sys.modules]\n"
            "print('HEAVY', heavy)") % str(store)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT).stdout
    assert "HEAVY []" in out, out
