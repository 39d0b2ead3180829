"""explain quotes the source of an event, a partner link and a twin link."""

from __future__ import annotations

import pytest

from borderkg.errors import QueryError
from borderkg.explain import explain
from borderkg.ingest import build
from borderkg.store import OxigraphStore

from conftest import HEADINGS, report_text

TWIN_ROWS = [("Муниципальное образование «город Десногорск» Смоленской области", [
    ("85.", "Телемост между городами-побратимами (г. Чаусы, Республика Беларусь и г. Десногорск)",
     "В дистанционном формате", "1 апреля 2025 года",
     "Обмен опытом организаций культуры", "Представители Чаусского районного исполнительного комитета"),
])]


@pytest.fixture(scope="module")
def store(tmp_path_factory, extractor):
    folder = tmp_path_factory.mktemp("reports")
    (folder / "twins.txt").write_text(report_text(TWIN_ROWS, HEADINGS), encoding="utf-8")
    store = OxigraphStore.in_memory()
    build([folder], store, extractor)
    return store


def test_event_is_explained_with_its_source_row_and_mentions(store):
    text = "\n".join(explain(store, "id:event/twins.txt/85"))
    assert "source: twins.txt, row 85" in text
    assert "dates: 2025-04-01 – 2025-04-01 (from «1 апреля 2025 года»)" in text
    assert "[Чаусского] районного исполнительного комитета" in text


def test_partner_link_quotes_its_cell(store):
    mention = next(iter(store.query(
        "SELECT ?m WHERE { GRAPH ?g { ?m <https://w3id.org/borderkg/ontology#mentionText> \"Чаусы\"@ru } }")))["m"].value
    lines = explain(store, mention)
    assert lines[0].startswith("partner link: «Чаусы» → Чаусы")
    assert "name cell" in lines[1] and "(г. [Чаусы], Республика Беларусь" in lines[2]


def test_twin_link_quotes_the_sentence(store):
    twin = next(iter(store.query(
        "SELECT ?t WHERE { GRAPH ?g { ?t a <https://w3id.org/borderkg/ontology#TwinLink> } }")))["t"].value
    lines = explain(store, twin)
    assert lines[0] == "twin link: город Десногорск ↔ Чаусы"
    assert any("городами-побратимами" in line for line in lines)


def test_unknown_iri_is_a_clear_error(store):
    with pytest.raises(QueryError, match="not in the graph"):
        explain(store, "id:event/none/1")


class Listener:
    """A loopback port that accepts connections in a thread, records and closes them (so an
    engine that calls it gets an error at once rather than waiting)."""

    def __init__(self):
        import socket
        import threading

        self.connections = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.sock.close()


def injection(port: int, event: str = "x") -> str:
    """The payload of issue 11 item 7, aimed at ``port`` (after an event of the store, the
    engine joins the SERVICE call and connects)."""
    return (f"https://w3id.org/borderkg/id/event/{event}> }} SERVICE <http://127.0.0.1:{port}/x> "
            "{ ?a ?b ?c } VALUES ?s2 { <urn:y")


@pytest.mark.parametrize("event", ["x", "twins.txt/85"])
def test_an_iri_cannot_inject_sparql(store, listener, event):
    with pytest.raises(QueryError, match="is not an IRI"):
        explain(store, injection(listener.port, event))
    assert listener.connections == 0


def test_the_cli_refuses_the_injection_in_one_line(tmp_path, listener):
    from click.testing import CliRunner

    from borderkg.cli import cli

    OxigraphStore(tmp_path / "store").close()
    result = CliRunner().invoke(cli, ["explain", injection(listener.port),
                                      "--store", str(tmp_path / "store")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: explain: ") and "is not an IRI" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert listener.connections == 0
