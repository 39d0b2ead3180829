"""Report parser: recognise the quarterly report layout in a Document.

A report is a title naming the quarter and year, then a table: a row of column headings,
a section header per municipality (a row with one cell), and numbered event rows of five
cells. Column headings change between years, so columns are found by meaning (keywords
at the start of each heading), not by their exact wording. Anything else is free text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from borderkg.document import Document, Paragraph, TableRow
from borderkg.read.text import ROW_NUMBER


class Column(str, Enum):
    """The meaning of a report column."""

    NUMBER = "number"
    NAME = "name"
    PLACE = "place"
    DATES = "dates"
    CONTENT = "content"
    PARTICIPANTS = "participants"


# Checked in this order: «Место проведения мероприятия» names the place, not the event.
_HEADING_WORDS = [
    (Column.NUMBER, r"№|п/п|номер"),
    (Column.PARTICIPANTS, r"участник|состав|кто\b|количество участ"),
    (Column.PLACE, r"мест[оа]|где\b|локаци|адрес"),
    (Column.DATES, r"срок|дат[аы]|время|период|когда"),
    (Column.CONTENT, r"цел[ьи]|содержани|результат|описани|итог|кратк"),
    (Column.NAME, r"наименовани|названи|мероприяти|событи|форма"),
]
DEFAULT_ORDER = (Column.NUMBER, Column.NAME, Column.PLACE, Column.DATES, Column.CONTENT,
                 Column.PARTICIPANTS)
_SECTION = re.compile(
    r"^(?:муниципальное образование\s*)?[«\"]?\s*(?:город\s+\S+|г\.\s*\S+|[\w-]+\s+(?:район|муниципальный округ|городской округ))"
    r"\s*[»\"]?(?:\s+смоленской области)?\.?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReportRow:
    """One event row of a report, its cells by meaning, with the section it is in."""

    n: int
    section: str
    cells: dict[Column, str]
    block_index: int

    def cell(self, column: Column) -> str:
        return self.cells.get(column, "")


@dataclass
class Report:
    """The rows of a quarterly report and the column layout they were read with."""

    document: Document
    columns: tuple[Column, ...]
    rows: list[ReportRow]
    warnings: list[str] = field(default_factory=list)  # rows read only in part, or not at all


def heading_column(text: str) -> Column | None:
    """The meaning of one column heading, or None.

    >>> heading_column("Место проведения\\nмероприятия")
    <Column.PLACE: 'place'>
    >>> heading_column("Наименование мероприятия")
    <Column.NAME: 'name'>
    >>> heading_column("Дата проведения")
    <Column.DATES: 'dates'>
    >>> heading_column("Участники мероприятия (общее количество)")
    <Column.PARTICIPANTS: 'participants'>
    """
    lowered = " ".join(text.lower().split())
    head = " ".join(lowered.split()[:2])
    for where in (head, lowered):
        for column, pattern in _HEADING_WORDS:
            if re.search(pattern, where):
                return column
    return None


def columns_of(row: TableRow) -> tuple[Column, ...] | None:
    """The column layout a heading row gives, when at least three cells are recognised."""
    found = [heading_column(cell) for cell in row.cells]
    if sum(c is not None for c in found) < 3 or len(set(c for c in found if c)) < 3:
        return None
    used: set[Column] = set()
    layout = []
    for column in found:
        column = column if column not in used else None
        used.add(column)
        layout.append(column)
    return tuple(layout)


def looks_like_section_header(text: str) -> bool:
    """True for a municipality section header.

    >>> looks_like_section_header("Муниципальное образование «Вяземский муниципальный округ» Смоленской области")
    True
    >>> looks_like_section_header("Город Смоленск")
    True
    >>> looks_like_section_header("МО «Хиславичский район» Смоленской области")
    True
    >>> looks_like_section_header("Делегация г. Минска")
    False
    """
    text = " ".join(text.split())
    text = re.sub(r"^(?:МО|м\.о\.)\s+", "Муниципальное образование ", text)
    return bool(_SECTION.match(text))


def parse_report(document: Document) -> Report | None:
    """Parse a document as a quarterly report; None when it is free text.

    A document is a report when it has numbered table rows of four or more cells: two, or
    one under a row of column headings. The section of a row is the last single-cell row
    before it.
    """
    rows = [b for b in document.blocks if isinstance(b, TableRow)]
    numbered = [r for r in rows if r.cells and ROW_NUMBER.match(r.cells[0]) and len(r.cells) >= 4]
    if len(numbered) < 2 and not (numbered and any(columns_of(r) for r in rows)):
        return None
    layout: tuple[Column, ...] | None = None
    section = ""
    report_rows: list[ReportRow] = []
    widths: list[tuple[int, int]] = []  # (index of the row, cells it gave)
    problems: list[tuple[int, str]] = []  # (index of the row, what is wrong with it)
    for index, block in enumerate(document.blocks):
        if isinstance(block, Paragraph):
            # Some reports put municipality headers between tables as plain paragraphs.
            if report_rows and looks_like_section_header(block.text):
                section = block.text
            continue
        if not block.cells:
            continue
        if layout is None and (found := columns_of(block)):
            layout = found
            continue
        if block.is_single_cell and not ROW_NUMBER.match(block.cells[0]):
            section = next(cell for cell in block.cells if cell.strip())
            continue
        if not ROW_NUMBER.match(block.cells[0]):
            if report_rows and sum(1 for cell in block.cells if cell.strip()) >= 2:
                problems.append((index, _skipped(block, report_rows[-1].n)))
            continue
        cells, trailing_header = _row_cells(block, layout)
        report_rows.append(ReportRow(int(re.sub(r"\D", "", block.cells[0])), section, cells, index))
        widths.append((index, len(block.cells) - bool(trailing_header)))
        if trailing_header:
            section = trailing_header
    columns = layout or DEFAULT_ORDER[: max(len(r.cells) for r in numbered)]
    problems += _shape_problems(report_rows, widths, len(layout) if layout else 0)
    return Report(document, columns, report_rows, [text for _, text in sorted(problems)])


_MERGED_NUMBERS = re.compile(r"^\s*\d{1,4}\s*[.)]?(?:[\s,;–-]+\d{1,4}\s*[.)]?)+\s*$")


def _skipped(row: TableRow, previous: int) -> str:
    """Why a table row of several cells but no row number is not read."""
    first = " ".join(row.cells[0].split())
    if _MERGED_NUMBERS.match(first):
        return f"a row numbered «{first}» (rows merged into one?) is skipped: number its rows apart"
    text = " ".join(next(cell for cell in row.cells if cell.strip()).split())
    preview = text if len(text) <= 60 else text[:60] + "…"
    return f"a row without a number after row {previous} is skipped: «{preview}»"


def _shape_problems(rows: list[ReportRow], widths: list[tuple[int, int]],
                    headings: int) -> list[tuple[int, str]]:
    """Rows of another number of cells than the table's, and row numbers given twice.

    The table's width is the commonest of its rows (a text rendering may join a section
    header to the heading row), on a tie the headings' width, else the widest.
    """
    if not rows:
        return []
    counts = Counter(count for _, count in widths)
    commonest = [count for count, times in counts.items() if times == max(counts.values())]
    width = headings if headings in commonest else max(commonest)
    problems = []
    for row, (index, count) in zip(rows, widths):
        if count < width:
            problems.append((index, f"row {row.n} has {count} of the table's {width} cells (a cell "
                                    "missing or merged): its cells are read left to right, so its "
                                    "last columns are empty or shifted"))
        elif count > width:
            problems.append((index, f"row {row.n} has {count} cells where the table has {width} (a "
                                    "cell split in two?): its cells are read left to right, so its "
                                    "last columns may be shifted"))
    seen: set[int] = set()
    for row in rows:
        if row.n in seen:
            problems.append((row.block_index, f"row {row.n} is numbered like an earlier row: the two "
                                              "share one event in the graph"))
        seen.add(row.n)
    return problems


def _row_cells(row: TableRow, layout: tuple[Column, ...] | None) -> tuple[dict[Column, str], str]:
    """Cells by meaning; a section header fused onto a short row is split off and returned."""
    cells = list(row.cells)
    order = layout or DEFAULT_ORDER
    trailing = ""
    # A broken row (a missing cell) in a text rendering swallows the next section header.
    if len(cells) >= 3 and looks_like_section_header(cells[-1]) and len(cells) <= len(order):
        trailing = cells.pop()
    by_column: dict[Column, str] = {}
    for column, text in zip(order, cells):
        if column is not None and column is not Column.NUMBER:
            by_column[column] = text
    return by_column, trailing
