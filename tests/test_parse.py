"""Report parser: sections, numbered rows, columns found by meaning."""

from __future__ import annotations

from borderkg.document import Document, TableRow
from borderkg.parse import Column, parse_report
from borderkg.read import read_document

from conftest import Q2_2025, ROWS, report_text


def test_q2_2025_report_rows_and_sections():
    report = parse_report(read_document(Q2_2025))
    assert [r.n for r in report.rows] == list(range(1, 98))
    assert report.rows[0].section == "Город Смоленск"
    assert "Хиславичский" in report.rows[75].section
    row = report.rows[61]
    assert row.cell(Column.PLACE).startswith("Агрогородок Добромысли")
    assert " ".join(row.cell(Column.DATES).split()) == "22 марта 2025 года"


def test_columns_are_found_by_meaning_in_another_order(tmp_path):
    headings = ("№", "Сроки", "Название", "Участники", "Где проводилось", "Итоги и содержание")
    rows = [("Вяземский район", [("1.", "5 мая 2020 года", "Концерт", "Гости из г. Орши",
                                  "г. Вязьма", "Дружба")])]
    path = tmp_path / "r2020.txt"
    path.write_text(report_text(rows, headings, title="Отчет за 2 квартал 2020 года"), encoding="utf-8")
    report = parse_report(read_document(path))
    row = report.rows[0]
    assert row.cell(Column.DATES) == "5 мая 2020 года"
    assert row.cell(Column.NAME) == "Концерт"
    assert row.cell(Column.PARTICIPANTS) == "Гости из г. Орши"
    assert row.cell(Column.PLACE) == "г. Вязьма"
    assert row.section == "Вяземский район"


def test_docx_and_txt_give_the_same_rows(report_txt_path, report_docx_path):
    from_txt = parse_report(read_document(report_txt_path)).rows
    from_docx = parse_report(read_document(report_docx_path)).rows
    assert [(r.n, r.section, r.cells) for r in from_txt] == [(r.n, r.section, r.cells) for r in from_docx]
    assert len(from_txt) == sum(len(rows) for _, rows in ROWS)


def test_free_text_is_not_a_report():
    assert parse_report(read_document(Q2_2025.parent / "004_2e546239e9f184f4.txt")) is None


def test_broken_row_does_not_swallow_the_next_section_header():
    blocks = [TableRow(("1.", "Концерт", "г. Смоленск", "1 мая 2025 года", "Дружба", "Гости")),
              TableRow(("2.", "Выставка", "г. Орша", "2 мая 2025 года",
                        "Муниципальное образование «Вяземский муниципальный округ» Смоленской области")),
              TableRow(("3.", "Турнир", "г. Вязьма", "3 мая 2025 года", "Спорт", "Команды"))]
    report = parse_report(Document("x.txt", "x.txt", "0", "Отчет", blocks))
    assert report.rows[2].section.startswith("Муниципальное образование «Вяземский")
    assert Column.PARTICIPANTS not in report.rows[1].cells or "Вяземский" not in report.rows[1].cell(Column.PARTICIPANTS)
