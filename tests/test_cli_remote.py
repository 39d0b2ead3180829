"""export, validate and views on a remote SPARQL store (issue 12 item 3): the same report built
into an embedded store and into `oxigraph serve` on a loopback port gives the same exports,
the same validation report and the same views."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from borderkg.cli import cli

from conftest import report_text


@pytest.fixture(scope="module")
def stores(tmp_path_factory, oxigraph_server):
    """(embedded store directory, remote store URL), both built from the same report by the CLI."""
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(  # an empty server, whatever ran before
        oxigraph_server + "/update", data=b"DROP ALL", method="POST",
        headers={"Content-Type": "application/sparql-update"}), timeout=10).close()
    folder = tmp_path_factory.mktemp("reports")
    (folder / "q2.txt").write_text(report_text(), encoding="utf-8")
    embedded = str(tmp_path_factory.mktemp("embedded") / "store")
    for store in (embedded, oxigraph_server):
        result = CliRunner().invoke(cli, ["build", "--quiet", "--store", store, str(folder)])
        assert result.exit_code == 0, result.output
    return embedded, oxigraph_server


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("fmt", ["nquads", "ntriples", "gexf"])
def test_export_reads_a_remote_store(stores, fmt):
    embedded, remote = (run("export", "--format", fmt, "--store", store) for store in stores)
    assert (embedded.exit_code, remote.exit_code) == (0, 0), remote.stderr
    assert len(remote.stdout_bytes) > 1000
    assert sorted(remote.stdout_bytes.splitlines()) == sorted(embedded.stdout_bytes.splitlines())


@pytest.mark.parametrize("fmt, rdf_format", [("trig", "TRIG"), ("turtle", "TURTLE"), ("jsonld", "JSON_LD")])
def test_structured_rdf_exports_of_a_remote_store(stores, fmt, rdf_format):
    import pyoxigraph

    def dataset(result):
        assert result.exit_code == 0, result.output
        parsed = pyoxigraph.parse(result.stdout_bytes, getattr(pyoxigraph.RdfFormat, rdf_format))
        return {str(q) for q in parsed}

    embedded, remote = (dataset(run("export", "--format", fmt, "--store", store)) for store in stores)
    assert len(remote) > 100 and remote == embedded


def test_csv_export_of_a_remote_store(stores, tmp_path):
    for name, store in zip(("embedded", "remote"), stores):
        assert run("export", "--format", "csv", "--out", str(tmp_path / name), "--store", store).exit_code == 0
    for table in ("events.csv", "partner_links.csv", "organisations.csv"):
        remote = (tmp_path / "remote" / table).read_bytes()
        assert remote == (tmp_path / "embedded" / table).read_bytes(), table
    assert (tmp_path / "remote" / "events.csv").read_bytes().count(b"\n") > 2


def test_validate_reads_a_remote_store(stores):
    embedded, remote = (run("validate", "--store", store) for store in stores)
    assert remote.exit_code == embedded.exit_code and remote.stdout == embedded.stdout
    assert "triples" in remote.stdout


def test_views_read_a_remote_store(stores, tmp_path):
    for name, store in zip(("embedded", "remote"), stores):
        result = run("views", "--store", store, "--out", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    pages = sorted(p.relative_to(tmp_path / "embedded") for p in (tmp_path / "embedded").rglob("*.html"))
    assert len(pages) > 3
    assert sorted(p.relative_to(tmp_path / "remote") for p in (tmp_path / "remote").rglob("*.html")) == pages
    for page in pages:
        assert (tmp_path / "remote" / page).read_text(encoding="utf-8") == \
               (tmp_path / "embedded" / page).read_text(encoding="utf-8"), page


def test_serve_says_why_it_does_not_take_a_url(oxigraph_server):
    result = run("serve", "--store", oxigraph_server)
    assert result.exit_code == 2 and "serve takes the directory of an embedded store" in result.stderr
