"""Readers: every file kind gives the same Document; bad files give a specific error."""

from __future__ import annotations

import pytest

from borderkg.document import Paragraph, ReportPeriod, TableRow
from borderkg.errors import BadInputError
from borderkg.read import read_document

from conftest import Q2_2025, report_text


def table_rows(document):
    return [b for b in document.blocks if isinstance(b, TableRow)]


def test_text_rendering_of_a_report_becomes_table_rows():
    document = read_document(Q2_2025)
    assert document.period == ReportPeriod(2025, 2)
    rows = table_rows(document)
    numbered = [r for r in rows if r.cells[0].rstrip(".").isdigit()]
    assert len(numbered) == 97
    assert all(len(r.cells) == 6 for r in numbered)
    headers = [r.cells[0] for r in rows if r.is_single_cell]
    assert headers[0] == "Город Смоленск" and len(headers) == 14


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_txt_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes(report_text().encode(encoding))
    document = read_document(path)
    assert document.period == ReportPeriod(2025, 2)
    assert any("Добромысли" in cell for row in table_rows(document) for cell in row.cells)


def test_docx_report_reads_rows_and_merged_section_headers(report_docx_path):
    document = read_document(report_docx_path)
    assert document.title.startswith("Отчет о мероприятиях")
    rows = table_rows(document)
    assert rows[1].cells == ("Муниципальное образование «Руднянский муниципальный округ» Смоленской области",)
    assert rows[2].cells[0] == "61." and len(rows[2].cells) == 6


def test_html_drops_scripts_and_keeps_main_text(tmp_path):
    path = tmp_path / "news.html"
    path.write_text(
        "<html><head><title>Новости</title><script>var x='Орша';</script><style>p{}</style></head>"
        "<body><nav><a href='/'>Главная</a></nav><article><h1>Дни культуры</h1>"
        "<p>12 марта 2025 года делегация г. Кричева посетила Шумячский муниципальный округ. "
        "Участники обсудили планы сотрудничества на следующий год и подвели итоги.</p>"
        "<p>В программе были концерты, выставки и встречи с жителями округа.</p></article></body></html>",
        encoding="utf-8")
    document = read_document(path)
    assert "Кричева" in document.text
    assert "var x" not in document.text and "p{}" not in document.text


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a text layer (Helvetica, Latin text), with a correct xref table."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length " + str(len(content)).encode() + b">>stream\n" + content + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj".encode() + body + b"endobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF".encode()
    return bytes(out)


def test_pdf_text_layer(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(minimal_pdf("Report 2025 Orsha"))
    assert "Orsha" in read_document(path).text


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("binary.txt", bytes(range(256)) * 8, "binary"),
    ("truncated.docx", b"PK\x03\x04" + b"\x00" * 40, "docx"),
    ("scan.pdf", b"%PDF-1.4\n%%EOF", "PDF"),
    ("table.xlsx", b"whatever", "unsupported"),
])
def test_bad_files_name_the_file_and_the_problem(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(BadInputError) as error:
        read_document(path)
    assert error.value.path.endswith(name)
    assert reason.lower() in error.value.reason.lower()


def test_free_text_becomes_paragraphs():
    document = read_document(Q2_2025.parent / "003_896a61d3b8a214c2.txt")
    assert all(isinstance(b, Paragraph) for b in document.blocks)
    assert document.period is None


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_decoded(tmp_path, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes(report_text().encode(encoding))
    document = read_document(path)
    assert document.period == ReportPeriod(2025, 2)
    assert any("Добромысли" in cell for row in table_rows(document) for cell in row.cells)


def test_deeply_nested_html_keeps_its_text(tmp_path):
    """200,000 nested divs: libxml2 stops at 256 levels, so the page was «no readable text»."""
    depth = 200_000
    path = tmp_path / "nested.html"
    text = ("17 апреля 2025 года делегация г. Кричева посетила Шумячский муниципальный округ. "
            "Участники обсудили планы сотрудничества и подвели итоги года.")
    path.write_text("<html><head><title>Дни культуры</title></head><body>" + "<div>" * depth
                    + f"<p>{text}</p><script>var x = 'СКРИПТ';</script>" + "</div>" * depth
                    + "<p>Конец страницы.</p></body></html>", encoding="utf-8")
    document = read_document(path)
    assert text in document.text and "СКРИПТ" not in document.text


def test_a_fifo_given_to_the_reader_is_refused_without_waiting(tmp_path):
    """`borderkg extract FIFO` used to hang in open() waiting for a writer (issue 11, item 9)."""
    import os
    import threading

    from borderkg.errors import BadInputError
    from borderkg.read import read_document

    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    outcome = []

    def attempt():
        try:
            read_document(fifo)
        except BadInputError as exc:
            outcome.append(str(exc))

    reader = threading.Thread(target=attempt, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # unblock the hung open() so the test run can end
        with open(fifo, "wb"):
            pass
    assert outcome and "not a regular file" in outcome[0]


def test_a_saved_news_item_is_titled_by_its_headline_not_its_address():
    from borderkg.paths import NEWS

    titles = {path.name: read_document(path).title for path in sorted(NEWS.glob("*.txt"))}
    assert titles["11_vyazma_bobruisk_twinning.txt"] == "Города Вязьма и Бобруйск стали побратимами"
    assert not [name for name, title in titles.items() if title.startswith(("http", "#", "Фото", "|", "- "))]
    assert titles["27_vyazma_smorgon_agreement_2022.txt"] == "Подписание Соглашения о сотрудничестве"
