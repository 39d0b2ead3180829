"""Word reader (python-docx): paragraphs and table rows in document order."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from borderkg.document import Block, Document, Paragraph, TableRow
from borderkg.errors import BadInputError
from borderkg.read.common import clean, make_document

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def read_docx(path: Path, raw: bytes) -> Document:
    """Read a .docx file; a damaged or non-Word file raises :class:`BadInputError`."""
    import docx  # python-docx; imported here so that other readers do not pay for it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = docx.Document(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        raise BadInputError(path, f"not a valid .docx: the zip archive is damaged or truncated ({exc})") from exc
    except (PackageNotFoundError, KeyError) as exc:
        raise BadInputError(path, f"not a Word document: {exc}") from exc
    except Exception as exc:  # lxml or zlib errors inside a truncated part
        raise BadInputError(path, f"not a valid .docx ({type(exc).__name__}: {exc})") from exc
    blocks: list[Block] = []
    for item in word.iter_inner_content():
        if hasattr(item, "rows"):
            blocks.extend(_table_rows(item))
        else:
            text = clean(item.text)
            if text:
                blocks.append(Paragraph(" ".join(text.split("\n"))))
    if not blocks:
        raise BadInputError(path, "the Word document has no text")
    title = _title(blocks)
    return make_document(path, raw, blocks, title=title, media_type=MEDIA_TYPE)


def _table_rows(table) -> list[TableRow]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A horizontally merged cell is returned once per grid column: keep it once.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(clean(cell.text))
        if any(cells):
            rows.append(TableRow(tuple(cells)))
    return rows


def _title(blocks: list[Block]) -> str:
    """Report titles run over several paragraphs before the table: join them."""
    lines = []
    for block in blocks:
        if not isinstance(block, Paragraph):
            break
        lines.append(block.text)
    return " ".join(" ".join(lines).split())[:500]
