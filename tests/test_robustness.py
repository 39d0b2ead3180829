"""Robustness: bad inputs are named while the rest is stored, a build killed with SIGKILL
leaves a store that a rebuild completes, two builds never write at once, and a running
server picks up a finished build without an error.

The builds of the last three parts run as real ``borderkg`` processes; every wait is bounded
and every child is killed in a ``finally``. The server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest

from borderkg.errors import BadInputError, BorderkgError
from borderkg.ingest import build, remove_document
from borderkg.read import read_document
from borderkg.store import OxigraphStore, published

from conftest import Q2_2025, ROWS, report_docx, report_text

BKG_SHA256 = "https://w3id.org/borderkg/ontology#sha256"
SCHEMA_EVENT = "https://schema.org/Event"
SCHEMA_NAME = "https://schema.org/name"
DOCUMENT_GRAPH = "https://w3id.org/borderkg/id/graph/"
COUNT_EVENTS = f"SELECT (COUNT(?e) AS ?n) WHERE {{ ?e a <{SCHEMA_EVENT}> }}"
WAIT = 90  # seconds: the bound of every wait on a child process (the machine may be loaded)


# --- helpers --------------------------------------------------------------------------------

def borderkg(*args: str) -> list[str]:
    """The command line of ``borderkg ARGS``: the console script beside this Python."""
    script = Path(sys.executable).parent / "borderkg"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "borderkg", *args]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(borderkg(*args), capture_output=True, text=True, timeout=WAIT,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


class Child:
    """A child process whose output is read in threads, so that a test can wait for a line."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        self.stdout = self.stderr = ""
        self._lock = threading.Lock()
        self._readers = [threading.Thread(target=self._read, args=(name,), daemon=True)
                         for name in ("stdout", "stderr")]
        for reader in self._readers:
            reader.start()

    def _read(self, name: str) -> None:
        stream = getattr(self.process, name)
        while chunk := stream.read1(4096):
            with self._lock:
                setattr(self, name, getattr(self, name) + chunk.decode("utf-8", "replace"))

    def _join(self) -> None:
        for reader in self._readers:
            reader.join(5)

    def wait_for(self, pattern: str, timeout: float = WAIT) -> re.Match:
        """The first match of ``pattern`` in stderr; fails if the child ends or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = re.search(pattern, self.stderr)
            if found:
                return found
            if self.process.poll() is not None:
                self._join()
                found = re.search(pattern, self.stderr)
                if found:
                    return found
                pytest.fail(f"the child ended ({self.process.returncode}) before {pattern!r}: "
                            f"{self.stderr[-2000:]}")
            time.sleep(0.02)
        pytest.fail(f"no {pattern!r} within {timeout} s: {self.stderr[-2000:]}")

    def finish(self, timeout: float = WAIT) -> tuple[int, str]:
        """Exit status and stdout, once the child has ended by itself."""
        self.process.wait(timeout)
        self._join()
        return self.process.returncode, self.stdout

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(30)
        self._join()


def nquads(store) -> list[str]:
    return sorted(str(q) for q in store.native)


def graph_lines(store, graph: str) -> list[str]:
    return sorted(str(q) for q in store.native.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph)))


def document_graphs(store) -> list[str]:
    return [g for g in store.graphs() if g.startswith(DOCUMENT_GRAPH + "report_")]


def base(path: str) -> str:
    return Path(path).name


def events_of(store, name: str) -> dict[str, str]:
    """Row number → event name of the events of one document."""
    query = (f"SELECT ?e ?name WHERE {{ GRAPH <{DOCUMENT_GRAPH}{name}> {{ ?e a <{SCHEMA_EVENT}> "
             f"OPTIONAL {{ ?e <{SCHEMA_NAME}> ?name }} }} }}")
    return {row["e"].value.rsplit("/", 1)[1]: row["name"].value if row["name"] else ""
            for row in store.query(query)}


def literals_of(store, name: str) -> str:
    graph = pyoxigraph.NamedNode(DOCUMENT_GRAPH + name)
    return " ".join(q.object.value for q in store.native.quads_for_pattern(None, None, None, graph)
                    if isinstance(q.object, pyoxigraph.Literal))


# --- 1. bad inputs --------------------------------------------------------------------------

def broken_table_docx(path: Path) -> Path:
    """The report layout with a broken table: row 75 lost its last cell, rows 80 and 81 were
    merged into one (one number cell for both), row 82 had three cells merged into one, and a
    stray unnumbered row follows. Rows 61, 75, 76 and 82 can be read."""
    import docx

    rows = ROWS + [("Муниципальное образование «Шумячский муниципальный округ» Смоленской области", [
        ("80.\n81.", "Концерт «Весна»\nВыставка «Лён»", "пгт Шумячи", "5 мая 2025 года",
         "Дружба", "Делегация Климовичского района"),
        ("82.", "Фестиваль «Славянское единство»", "г. Климовичи", "7 мая 2025 года",
         "Сотрудничество", "Творческие коллективы Шумячского муниципального округа"),
        ("", "продолжение: участники из Костюковичского района", "", "", "", "Костюковичский район"),
    ])]
    report_docx(path, rows=rows)
    document = docx.Document(str(path))
    table = document.tables[0]
    by_number = {row.cells[0].text: row for row in table.rows}
    row_75 = by_number["75."]._tr
    row_75.remove(row_75.tc_lst[-1])  # a missing cell
    row_82 = by_number["82."]
    row_82.cells[2].merge(row_82.cells[4])  # place, dates and content merged into one cell
    document.save(str(path))
    return path


def nested_quotes_report(depth: int = 2000) -> str:
    """Rows whose cells nest quotes thousands deep, spaced and tight, balanced and not."""
    spaced = "« " * depth + "Концерт" + " »" * depth
    tight = "«" * depth + "Фестиваль" + "»" * depth
    unbalanced = "ГУО «" * depth + "Выставка" + " »" * (depth // 3)
    closing = "» " * depth + "Турнир «" + "«" * depth
    rows = [("Муниципальное образование «Руднянский муниципальный округ» Смоленской области", [
        ("1.", spaced, "г. Витебск", "5 мая 2025 года", tight, unbalanced),
        ("2.", tight + " " + closing, "г. Орша", "6 мая 2025 года", "Дружба", spaced),
        ("3.", "Концерт «Дружба»", "г. Рудня", "7 мая 2025 года", closing, "Делегация г. Орши"),
    ])]
    return report_text(rows=rows)


def scripts_html(text: str) -> str:
    """A page of thousands of scripts around one article (none when ``text`` is empty)."""
    script = ("<script>document.write('<p>ВСТАВКА СКРИПТА</p>'); var a = \"</p><p>ЕЩЁ\";"
              " for (var i = 0; i < 10; i++) {}</script>\n")
    article = f"<article><h1>Дни культуры</h1><p>{text}</p></article>" if text else ""
    return ("<html><head><title></title>" + script * 1500 + "<style>p{color:red}</style>"
            "</head><body>" + script * 500 + article + script * 1500
            + "<noscript>ВКЛЮЧИТЕ СКРИПТЫ</noscript></body></html>")


HTML_TEXT = ("17 апреля 2025 года делегация г. Кричева посетила Шумячский муниципальный округ. "
             "Участники обсудили планы сотрудничества и подвели итоги года.")


def truncated_docx(tmp_path: Path, fraction: float) -> bytes:
    whole = report_docx(tmp_path / "whole.docx").read_bytes()
    return whole[: int(len(whole) * fraction)]


@pytest.fixture(scope="module")
def bad_sources(tmp_path_factory) -> Path:
    """A folder of one good report and one of every kind of bad input."""
    folder = tmp_path_factory.mktemp("bad") / "reports"
    folder.mkdir()
    (folder / "good.txt").write_text(report_text(), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    noise = bytes((i * 7919 + 13) % 255 + 1 for i in range(20000))  # no NUL byte at all
    (folder / "noise.txt").write_bytes(noise)
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n" + noise)
    (folder / "cut.docx").write_bytes(truncated_docx(folder.parent, 0.6))
    (folder / "cp1251.txt").write_bytes(report_text(title="Отчет о мероприятиях в III квартале 2025 года")
                                        .encode("cp1251"))
    with open(folder / "huge.txt", "w", encoding="utf-8") as handle:
        line = "Концерт «Дружба без границ» в г. Орше, 5 мая 2025 года.\n"
        for _ in range(50 * (1 << 20) // len(line.encode("utf-8")) + 1):
            handle.write(line)
    broken_table_docx(folder / "broken.docx")
    (folder / "scripts.html").write_text(scripts_html(HTML_TEXT), encoding="utf-8")
    (folder / "only_scripts.html").write_text(scripts_html(""), encoding="utf-8")
    (folder / "nested.txt").write_text(nested_quotes_report(), encoding="utf-8")
    return folder


EXPECTED_FAILURES = {
    "empty.txt": "the file is empty",
    "photo.txt": "binary content",
    "noise.txt": "binary content",
    "scan.pdf": "not a readable PDF",
    "cut.docx": "not a valid .docx",
    "huge.txt": "file too large: 50.0 MB, the limit is 20 MB (BORDERKG_MAX_FILE_MB)",
    "only_scripts.html": "no readable text in the HTML page",
}


def test_bad_inputs_are_named_and_everything_else_is_stored(tmp_path, bad_sources, extractor):
    store = OxigraphStore(tmp_path / "store")
    started = time.monotonic()
    report = build([bad_sources], store, extractor)
    elapsed = time.monotonic() - started
    failed = {base(path): reason for path, reason in report.failed}
    assert set(failed) == set(EXPECTED_FAILURES), failed
    for name, reason in EXPECTED_FAILURES.items():
        assert reason in failed[name], (name, failed[name])
    assert sorted(map(base, report.stored)) == ["broken.docx", "cp1251.txt", "good.txt", "nested.txt",
                                                "scripts.html"]
    # cp1251 without a hint: read as Russian, the same events as the UTF-8 file
    assert events_of(store, "cp1251.txt") == events_of(store, "good.txt")
    assert events_of(store, "good.txt")["76"] == "Телемост «Дружба без границ»"
    # the broken table: the readable rows are stored, the others named in a warning
    broken = events_of(store, "broken.docx")
    assert sorted(broken) == ["61", "75", "76", "82"]
    assert broken["82"] == "Фестиваль «Славянское единство»"
    warnings = [(base(path), text) for path, text in report.warnings]
    assert all(name == "broken.docx" for name, _ in warnings), warnings
    texts = " | ".join(text for _, text in warnings)
    assert "row 75 has 5 of the table's 6 cells" in texts
    assert "row 82 has 4 of the table's 6 cells" in texts
    assert "a row numbered «80. 81.» (rows merged into one?) is skipped" in texts
    assert "a row without a number after row 82 is skipped: «продолжение" in texts
    assert len(warnings) == 4
    # scripts are dropped, the text stays
    html_text = literals_of(store, "scripts.html")
    assert "Кричев" in html_text
    assert not any(word in html_text for word in ("СКРИПТ", "ЕЩЁ", "ВКЛЮЧИТЕ", "document.write"))
    # deeply nested quotes: every row stored, no RecursionError (it would be a failure above),
    # in bounded time (a few seconds here)
    assert sorted(events_of(store, "nested.txt")) == ["1", "2", "3"]
    assert elapsed < 60, f"the build took {elapsed:.0f} s"
    assert report.totals["documents"] == 5
    store.close()


def test_the_cli_names_each_bad_file_and_warns_of_broken_rows(tmp_path, bad_sources):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("good.txt", "empty.txt", "noise.txt", "cut.docx", "huge.txt", "broken.docx"):
        os.link(bad_sources / name, folder / name)
    result = run_cli("build", "--quiet", "--store", str(tmp_path / "store"), str(folder))
    assert result.returncode == 1, result.stderr
    assert "stored 2 document(s), 0 unchanged, 4 failed" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4 and "Traceback" not in result.stderr
    assert f"error: {folder / 'huge.txt'}: file too large: 50.0 MB, the limit is 20 MB " \
           "(BORDERKG_MAX_FILE_MB)" in errors
    assert f"error: {folder / 'empty.txt'}: the file is empty" in errors
    assert f"warning: {folder / 'broken.docx'}: row 75 has 5 of the table's 6 cells" in result.stderr


def test_the_size_limit_is_configurable_and_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text(report_text() * 600, encoding="utf-8")  # 1.2 MB
    assert read_document(path).blocks  # under the default limit
    monkeypatch.setenv("BORDERKG_MAX_FILE_MB", "0.5")
    opened = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the whole file was read"))
    with pytest.raises(BadInputError, match=r"big\.txt: file too large: 1\.\d MB, the limit is 0\.5 MB "
                                            r"\(BORDERKG_MAX_FILE_MB\)"):
        read_document(path)
    assert path not in opened  # refused on its size, before a byte was read
    monkeypatch.setenv("BORDERKG_MAX_FILE_MB", "many")
    with pytest.raises(BorderkgError, match="BORDERKG_MAX_FILE_MB must be a positive number"):
        read_document(path)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.999])
def test_a_truncated_docx_is_named_at_any_cut(tmp_path, fraction):
    path = tmp_path / "cut.docx"
    path.write_bytes(truncated_docx(tmp_path, fraction))
    with pytest.raises(BadInputError, match=r"cut\.docx: not a valid \.docx"):
        read_document(path)


def test_nested_quotes_read_in_linear_time(tmp_path):
    """Reading (and the cut of punctuation runs) stays linear: 10x the depth, about 10x the time."""
    timings = []
    for depth in (2000, 20000):
        path = tmp_path / f"nested{depth}.txt"
        path.write_text(nested_quotes_report(depth), encoding="utf-8")
        started = time.perf_counter()
        document = read_document(path)
        timings.append(time.perf_counter() - started)
        runs = [run for block in document.blocks for cell in getattr(block, "cells", ())
                for run in re.findall(r"[^\w\s]+", cell)]
        assert max(map(len, runs)) == 8  # «««««««« at most: cut, not dropped
    assert timings[1] < 5 and timings[1] < 40 * timings[0] + 0.5, timings


# --- 2. kill -9 in the middle of a build ------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Four reports cut from the Q2 2025 report (its first 12, 16, 20 and 24 rows)."""
    folder = tmp_path_factory.mktemp("corpus") / "reports"
    folder.mkdir()
    text = Q2_2025.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"^\t\d+\.\s*$", text, re.M)]
    for k, rows in enumerate((12, 16, 20, 24)):
        (folder / f"report_{k}.txt").write_text(text[: starts[rows]], encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def clean_store(tmp_path_factory, corpus, extractor):
    """The corpus built in one go, undisturbed: what every other build must equal."""
    store = OxigraphStore(tmp_path_factory.mktemp("clean") / "store")
    report = build([corpus], store, extractor)
    assert report.ok and len(report.stored) == 4
    yield store
    store.close()


def test_a_build_killed_mid_way_leaves_whole_documents_and_a_rebuild_completes(
        tmp_path, corpus, clean_store, extractor):
    path = tmp_path / "store"
    child = Child(borderkg("build", "--store", str(path), str(corpus)))
    try:
        # «k/N» shows once document k went to the writing thread, which writes one document at
        # a time: the first is stored once the bar shows the second
        child.wait_for(r"documents:[^\r\n]*?\b[2-3]/\d+ ")
        assert child.process.poll() is None, "the build ended before it could be killed"
        child.process.send_signal(signal.SIGKILL)
    finally:
        child.kill()
    assert child.process.returncode == -signal.SIGKILL
    assert published(path) is None  # nothing was published: a server keeps what it had

    store = OxigraphStore(path)  # opens (RocksDB recovers from its log)
    try:
        graphs = document_graphs(store)
        assert graphs, "the first document should be stored"
        assert set(graphs) <= set(document_graphs(clean_store))
        assert len(store.document_hashes()) == len(graphs)  # one file name, one graph
        for graph in graphs:  # whole documents only: each as a clean build stores it
            node = pyoxigraph.NamedNode(graph)
            hashes = list(store.native.quads_for_pattern(None, pyoxigraph.NamedNode(BKG_SHA256), None, node))
            assert len(hashes) == 1, graph
            assert graph_lines(store, graph) == graph_lines(clean_store, graph), graph
        events = list(store.query(f"SELECT ?e (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?e a "
                                  f"<{SCHEMA_EVENT}> }} }} GROUP BY ?e HAVING (COUNT(DISTINCT ?g) > 1)"))
        assert events == []  # no event in two graphs
        report = build([corpus], store, extractor)
        assert report.ok and len(report.stored) == 4  # the fingerprint was never written: all anew
        assert nquads(store) == nquads(clean_store)
    finally:
        store.close()


# --- 3. two builds at once --------------------------------------------------------------------

def test_a_second_build_is_refused_while_one_runs(tmp_path, corpus, clean_store):
    path = tmp_path / "store"
    first = Child(borderkg("build", "--store", str(path), str(corpus)))
    try:
        first.wait_for(r"documents:[^\r\n]*?\b\d+/\d+ ")  # it holds the store and writes documents
        first.process.send_signal(signal.SIGSTOP)  # hold it there, whatever the machine's load
        try:
            second = run_cli("build", "--quiet", "--store", str(path), str(corpus))
        finally:
            first.process.send_signal(signal.SIGCONT)
        assert second.returncode == 1
        assert "in use by another borderkg process" in second.stderr, second.stderr
        assert "Traceback" not in second.stderr and "stored" not in second.stdout
        code, stdout = first.finish()
        assert code == 0, first.stderr[-2000:]
        assert "stored 4 document(s)" in stdout
    finally:
        first.kill()
    store = OxigraphStore(path, read_only=True)
    assert nquads(store) == nquads(clean_store)  # the refused build changed nothing


# --- 4. a build while the server runs ---------------------------------------------------------

def sparql(url: str, query: str) -> tuple[int, str, dict]:
    """(status, generation header, JSON) of a query."""
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url + "sparql", body, {
        "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("X-Borderkg-Generation", ""), json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Borderkg-Generation", ""), {}


def event_count(answer: dict) -> int:
    return int(answer["results"]["bindings"][0]["n"]["value"])


def test_the_server_serves_a_build_finished_while_it_runs(tmp_path, extractor):
    first = tmp_path / "first.txt"
    first.write_text(report_text(), encoding="utf-8")
    path = tmp_path / "store"
    store = OxigraphStore(path)
    build([first], store, extractor)
    store.close()
    generation = published(path)[0]

    server = Child(borderkg("serve", "--store", str(path), "--port", "0", "--quiet"))
    answers: list[tuple[int, str, int]] = []
    stop = threading.Event()
    try:
        url = server.wait_for(r"at (http://127\.0\.0\.1:\d+/)").group(1)
        status, served, answer = sparql(url, COUNT_EVENTS)
        assert (status, served, event_count(answer)) == (200, str(generation), 3)

        def keep_asking() -> None:  # queries all along the build and the reload
            while not stop.is_set():
                try:
                    status, served, answer = sparql(url, COUNT_EVENTS)
                    answers.append((status, served, event_count(answer) if answer else -1))
                except OSError as exc:
                    answers.append((0, repr(exc), -1))
                time.sleep(0.05)

        asker = threading.Thread(target=keep_asking, daemon=True)
        asker.start()
        second = tmp_path / "second.txt"
        shutil.copy(Q2_2025.parent / "004_2e546239e9f184f4.txt", second)
        store = OxigraphStore(path)
        report = build([first, second], store, extractor)
        store.close()
        assert report.stored == [str(second)] and report.totals["events"] + report.totals["events_elsewhere"] == 4
        assert published(path)[0] == generation + 1

        server.wait_for(rf"borderkg serve: reloaded the store \(generation {generation + 1}\)", timeout=30)
        status, served, answer = sparql(url, COUNT_EVENTS)
        assert (status, served, event_count(answer)) == (200, str(generation + 1), 4)
        stop.set()
        asker.join(30)
        assert answers and all(status == 200 for status, _, _ in answers), answers
        # each answer comes whole from one generation: 3 events before, 4 after
        assert {(served, n) for _, served, n in answers} <= {(str(generation), 3), (str(generation + 1), 4)}
        assert server.process.poll() is None
        assert "Traceback" not in server.stderr and "could not" not in server.stderr, server.stderr
    finally:
        stop.set()
        if server.process.poll() is None:
            server.process.terminate()  # SIGTERM: the server stops cleanly, engine included
            try:
                server.process.wait(30)
            except subprocess.TimeoutExpired:
                pass
        server.kill()


def test_publishing_keeps_two_snapshots_and_a_crash_before_the_marker_is_harmless(tmp_path):
    path = tmp_path / "store"
    store = OxigraphStore(path)
    quad = pyoxigraph.Quad(pyoxigraph.NamedNode("http://x/s"), pyoxigraph.NamedNode("http://x/p"),
                           pyoxigraph.Literal("o"), pyoxigraph.NamedNode("http://x/g"))
    store.replace_graph("http://x/g", [quad])
    assert store.publish() == 1
    (path / "borderkg-snapshots" / "2").mkdir()  # left by a writer killed before its marker
    assert published(path)[0] == 1
    assert [store.publish() for _ in range(3)] == [2, 3, 4]
    assert sorted(p.name for p in (path / "borderkg-snapshots").iterdir()) == ["3", "4"]
    store.close()  # nothing written since: no new generation
    assert published(path)[0] == 4
    snapshot = pyoxigraph.Store.read_only(str(published(path)[1]))
    assert len(snapshot) == 1


def test_the_server_never_opens_a_store_being_written(tmp_path, extractor):
    """Started while a writer holds the store, the server serves what was last published."""
    from borderkg.serve import ServeConfig, Server

    report = tmp_path / "report.txt"
    report.write_text(report_text(), encoding="utf-8")
    path = tmp_path / "store"
    writer = OxigraphStore(path)
    build([report], writer, extractor)
    event = pyoxigraph.NamedNode("https://w3id.org/borderkg/id/event/unpublished/1")
    graph = "https://w3id.org/borderkg/id/graph/unpublished"
    writer.replace_graph(graph, [pyoxigraph.Quad(event, pyoxigraph.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), pyoxigraph.NamedNode(SCHEMA_EVENT),
        pyoxigraph.NamedNode(graph))])
    writer.flush()  # written, not published
    try:
        with Server(ServeConfig(store=path, port=0, viz=tmp_path)) as server:
            status, served, answer = sparql(server.url, COUNT_EVENTS)
            assert (status, served, event_count(answer)) == (200, "1", 3)
    finally:
        writer.close()  # publishes the unpublished graph: generation 2
    assert published(path)[0] == 2


def test_a_broken_row_of_a_text_rendering_is_stored_with_a_warning():
    from borderkg.document import Document
    from borderkg.parse import parse_report
    from borderkg.read.text import _table_blocks

    rows = [(section, [row[:-1] if row[0] == "75." else row for row in section_rows])
            for section, section_rows in ROWS]  # row 75 lost its last cell
    text = report_text(rows=rows)
    report = parse_report(Document("r.txt", "r.txt", "0", "", _table_blocks(text)))
    assert [row.n for row in report.rows] == [61, 75, 76]
    assert report.rows[2].section.startswith("Муниципальное образование «Хиславичский")
    assert report.warnings == ["row 75 has 5 of the table's 6 cells (a cell missing or merged): its "
                               "cells are read left to right, so its last columns are empty or shifted"]
    assert parse_report(read_document(Q2_2025)).warnings == []  # a sound report: no warning


def test_a_damaged_snapshot_is_logged_and_the_server_keeps_its_generation(tmp_path, extractor, caplog):
    from borderkg.serve import ServeConfig, Server

    report = tmp_path / "report.txt"
    report.write_text(report_text(), encoding="utf-8")
    path = tmp_path / "store"
    store = OxigraphStore(path)
    build([report], store, extractor)
    store.close()
    with Server(ServeConfig(store=path, port=0, viz=tmp_path, reload_interval=0)) as server:
        damaged = path / "borderkg-snapshots" / "2"
        damaged.mkdir()
        (damaged / "CURRENT").write_text("garbage\n")
        (path / "borderkg-generation").write_text("2\n")
        assert not server.reload() and not server.reload()  # tried once, then left alone
        assert caplog.text.count("could not load generation 2") == 1
        assert sparql(server.url, COUNT_EVENTS)[:2] == (200, "1")
        store = OxigraphStore(path)
        assert remove_document(store, "report.txt")  # a sound build publishes generation 3
        store.close()
        assert server.reload()
        status, served, answer = sparql(server.url, COUNT_EVENTS)
        assert (status, served, event_count(answer)) == (200, "3", 0)
