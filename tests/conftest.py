"""Shared fixtures: small real excerpts of the reports, in every file format."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from fuseki import fuseki_dataset  # noqa: F401  (a session fixture: one Fuseki for every module)
from virtuoso import virtuoso_endpoint  # noqa: F401  (a session fixture, as Fuseki's)
from servers import free_port, stop, wait_until_answering  # noqa: F401  (free_port: for the tests)

# The linking index's cache of surface forms (borderkg.link.cache): one for the test session,
# in a temporary folder, shared by the CLI processes the tests start; never the user's own.
os.environ["BORDERKG_CACHE"] = tempfile.mkdtemp(prefix="borderkg-test-cache-")
atexit.register(shutil.rmtree, os.environ["BORDERKG_CACHE"], True)

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "data" / "reports"
Q2_2025 = REPORTS / "001_5746b6576caafdfe.txt"

HEADINGS = ("№\nп/п", "Наименование мероприятия", "Место проведения\nмероприятия",
            "Сроки\nпроведения\nмероприятия", "Цель, содержание и результат мероприятия",
            "Участники мероприятия\n(общее количество, другие дополнительные сведения)")

# Rows quoted from the Q2 2025 report (some shortened), and one written in the 2020 style.
ROWS = [
    ("Муниципальное образование «Руднянский муниципальный округ» Смоленской области", [
        ("61.", "Участие в районном фестивале-конкурсе «Танцевальная феерия 2025»",
         "Агрогородок Добромысли, Лиозненский район, Витебская область, Республика Беларусь",
         "22 марта 2025 года",
         "Представление творческих номеров танцевальными коллективами из Российской Федерации и Республики Беларусь",
         "Творческие коллективы Руднянского муниципального округа"),
    ]),
    ("Муниципальное образование «Хиславичский муниципальный округ» Смоленской области", [
        ("75.", "Межрегиональный турнир по волейболу", "пос. Хиславичи", "Апрель-май 2025 года",
         "Укрепление дружеских связей",
         "Волейбольные команды из пос. Хиславичи, г. Починка Смоленской области, г. Мстиславля "
         "Могилевской области Республики Беларусь"),
        ("76.", "Телемост «Дружба без границ»", "В дистанционном формате", "1 апреля 2025 года",
         "Обмен опытом", "Делегации Сенненского и Мстиславского районов"),
    ]),
]


def report_text(rows=ROWS, headings=HEADINGS,
                title="Отчет о мероприятиях в международной сфере во II квартале 2025 года") -> str:
    """The tab-cell text rendering of a Word report (as in shared/corpus)."""
    lines = [title, "", *[f"\t{h}" for h in headings], ""]
    for section, section_rows in rows:
        lines += [f"\t{section}", ""]
        for row in section_rows:
            lines += [f"\t{cell}" for cell in row] + [""]
    return "\n".join(lines) + "\n"


def report_docx(path: Path, rows=ROWS, headings=HEADINGS,
                title="Отчет о мероприятиях в международной сфере во II квартале 2025 года") -> Path:
    """A .docx in the report's layout: title paragraphs, one table, merged section rows."""
    import docx

    document = docx.Document()
    document.add_paragraph(title)
    table = document.add_table(rows=1, cols=len(headings))
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.text = heading
    for section, section_rows in rows:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        merged.text = section
        for row in section_rows:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = text
    document.save(path)
    return path


@pytest.fixture
def report_txt_path(tmp_path) -> Path:
    path = tmp_path / "report_q2_2025.txt"
    path.write_text(report_text(), encoding="utf-8")
    return path


@pytest.fixture
def report_docx_path(tmp_path) -> Path:
    return report_docx(tmp_path / "report_q2_2025.docx")


@pytest.fixture(scope="session")
def extractor():
    """One extractor for the session: the index and the NER models load once."""
    from borderkg.extract import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def q2_records(extractor):
    """The Q2 2025 report extracted once for the session (it takes seconds)."""
    from borderkg.extract.record import to_gold_record
    from borderkg.read import read_document

    return [to_gold_record(e, extractor.gazetteer) for e in extractor.extract(read_document(Q2_2025))]


# --- an Oxigraph server on a free loopback port (the remote store's tests)

@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """The base URL of an Oxigraph server on a loopback port, for this module's tests."""
    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.exists():
        pytest.skip(f"no oxigraph server binary beside {sys.executable} (pip install oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen([str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(process, base + "/query", "oxigraph serve", 15,
                             lambda: process.stderr.read().decode(errors="replace"))
        yield base
    finally:
        stop(process, 10)
@pytest.fixture(scope="session")
def news_records(extractor):
    """The shipped news items (data/news) extracted once for the session."""
    from borderkg.extract.record import to_gold_record
    from borderkg.paths import NEWS
    from borderkg.read import read_document

    return [to_gold_record(e, extractor.gazetteer)
            for path in sorted(NEWS.glob("*.txt")) for e in extractor.extract(read_document(path))]
