"""Word reader (python-docx): paragraphs and table rows in document order."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from borderkg.document import Block, Document, Paragraph, TableRow
from borderkg.errors import BadInputError
from borderkg.read.common import clean, make_document, title_of

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def read_docx(path: Path, raw: bytes) -> Document:
    """Read a .docx file; a damaged or non-Word file raises :class:`BadInputError`."""
    blocks = docx_blocks(path, raw)
    return make_document(path, raw, blocks, title=title_of(blocks), media_type=MEDIA_TYPE)


def docx_blocks(path: Path, raw: bytes) -> list[Block]:
    """The paragraphs and table rows of .docx bytes, in document order (``path`` names the
    file in errors: it may be the .doc or .odt the bytes were converted from)."""
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
    return blocks


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
