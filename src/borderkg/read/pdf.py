"""PDF reader (pdfplumber): tables as rows, the text around them as paragraphs.

A report printed to PDF keeps its table: pdfplumber finds the ruled cells, a merged row (a
municipality section header) comes out as one cell, and the title above the table as text.
A table continued on the next page is joined: the repeated heading row is dropped, and a row
cut by the page break (its number cell empty on the new page) is joined to the row above.
A PDF without a text layer is a scan and goes to OCR (:mod:`borderkg.read.ocr`).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from borderkg.document import Block, Document, Paragraph, TableRow
from borderkg.errors import BadInputError
from borderkg.read.common import clean, make_document, title_of

MEDIA_TYPE = "application/pdf"


def read_pdf(path: Path, raw: bytes) -> Document:
    """Read a PDF: its text layer with its tables, or by OCR when it has none."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            blocks = join_pages([_page_blocks(page) for page in pdf.pages])
        # pdfminer gives up on some content streams that pdfium reads: their text, unruled.
        blocks = blocks or [Paragraph(line) for line in _pdfium_lines(raw)]
    except Exception as exc:  # pdfminer meets a damaged file with assorted errors
        raise BadInputError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not blocks:  # no text layer: a scan
        from borderkg.read.ocr import read_scanned_pdf

        return read_scanned_pdf(path, raw)
    return make_document(path, raw, blocks, title=title_of(blocks), media_type=MEDIA_TYPE)


def _pdfium_lines(raw: bytes) -> list[str]:
    import pypdfium2

    with pypdfium2.PdfDocument(raw) as pdf:
        text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    return [line for line in clean(text).split("\n") if line]


def _page_blocks(page) -> list[Block]:
    """A page's text lines outside its tables and its tables' rows, top to bottom."""
    tables = page.find_tables()
    placed: list[tuple[float, Block]] = []
    for table in tables:
        for row, top in zip(table.extract(), (r.bbox[1] for r in table.rows)):
            cells = tuple(unwrap(clean(cell or "")) for cell in row if cell is not None)
            if any(cells):
                placed.append((top, TableRow(cells)))
    boxes = [table.bbox for table in tables]
    outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
    for line in outside.extract_text_lines():
        text = clean(line["text"])
        if text:
            placed.append((line["top"], Paragraph(text)))
    return [block for _, block in sorted(placed, key=lambda item: item[0])]


_WRAPPED_HYPHEN = re.compile(r"(?<=\w-)\n(?=\w)")


def unwrap(text: str) -> str:
    """The text of a cell with the lines its width wrapped joined again: a line ending in a
    hyphen is a compound word cut at its hyphen (Word and LibreOffice do not hyphenate
    unless told to), any other break a space.

    >>> unwrap("Участие в фестивале\\nнародного творчества в г. Витебске, онлайн-\\nголосование")
    'Участие в фестивале народного творчества в г. Витебске, онлайн-голосование'
    """
    return _WRAPPED_HYPHEN.sub("", text).replace("\n", " ")


def _inside(obj, box) -> bool:
    x0, top, x1, bottom = box
    centre_x, centre_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return x0 <= centre_x <= x1 and top <= centre_y <= bottom


def join_pages(pages: list[list[Block]]) -> list[Block]:
    """The blocks of all pages, a table continued across a page break made whole again.

    >>> head, row = TableRow(("№", "Наименование", "Место")), TableRow(("1.", "Концерт", "г. Орша"))
    >>> pages = [[head, row], [head, TableRow(("", "памяти", "")), TableRow(("2.", "Выставка", "Витебск"))]]
    >>> [block.cells for block in join_pages(pages)]  # doctest: +NORMALIZE_WHITESPACE
    [('№', 'Наименование', 'Место'), ('1.', 'Концерт памяти', 'г. Орша'),
     ('2.', 'Выставка', 'Витебск')]
    """
    heading: TableRow | None = None
    out: list[Block] = []
    for page in pages:
        first_row = True
        for block in page:
            if isinstance(block, TableRow):
                if heading is None and len(block.cells) > 1:
                    heading = block
                elif block == heading:
                    continue  # the heading row repeated at the top of a page
                elif first_row and out and _continues(out[-1], block):
                    out[-1] = TableRow(tuple(unwrap("\n".join(filter(None, pair)))
                                             for pair in zip(out[-1].cells, block.cells)))
                    first_row = False
                    continue
                first_row = False
            out.append(block)
    return out


def _continues(previous: Block, row: TableRow) -> bool:
    """True when ``row`` is the rest of ``previous``, cut by a page break: the same cells,
    the number cell empty."""
    return (isinstance(previous, TableRow) and len(previous.cells) == len(row.cells) > 1
            and not row.cells[0].strip())
