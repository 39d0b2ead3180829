"""Plain-text reader: UTF-8 (with or without BOM) or a legacy Cyrillic code page, detected.

Text renderings of Word reports keep the table: a cell starts with a tab, a row starts with
its number cell (``\\t12.``), and a section header is a cell of its own between rows. Such
text becomes table rows; any other text becomes paragraphs.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from pathlib import Path

from charset_normalizer import from_bytes

from borderkg.document import Block, Document, Paragraph, TableRow
from borderkg.errors import BadInputError
from borderkg.read.common import clean, make_document

_NUMBER_CELL = re.compile(r"^\t\s*\d{1,4}\s*[.)]?\s*$", re.MULTILINE)
ROW_NUMBER = re.compile(r"^\s*\d{1,4}\s*[.)]?\s*$")


def decode(path: Path, raw: bytes) -> str:
    """Decode bytes as UTF-8 (BOM or not) or UTF-16 (BOM or not), else as the detected
    Cyrillic code page.

    >>> decode(Path("a.txt"), "Витебск".encode("cp1251"))
    'Витебск'
    >>> decode(Path("a.txt"), "Отчёт, г. Орша".encode("utf-16-le"))
    'Отчёт, г. Орша'
    >>> decode(Path("a.txt"), "\\ufeffОрша".encode("utf-8"))
    'Орша'
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BadInputError(path, f"not valid UTF-16 text ({exc.reason} at byte {exc.start})") from exc
    if b"\x00" in raw[:4096]:
        # UTF-16 without a BOM (as some Windows tools save) is full of NUL bytes too
        utf16 = from_bytes(raw, cp_isolation=["utf_16_le", "utf_16_be"]).best()
        if utf16 is None:
            raise BadInputError(path, "binary content (NUL bytes), not a text file")
        return str(utf16)
    if is_binary(raw):
        raise BadInputError(path, "binary content (control bytes), not a text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # A short cp1251 sample fools statistical detectors into other single-byte pages, so
    # Cyrillic code pages are tried first and kept when they give mostly Cyrillic letters.
    for encoding in ("cp1251", "koi8_r"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_russian(text):
            return text
    best = from_bytes(raw).best()
    if best is None:
        raise BadInputError(path, "binary content: no text encoding fits (not UTF-8, not cp1251)")
    return str(best)


# Bytes that text never holds, or hardly ever (tab, line feed, vertical tab, form feed,
# carriage return and escape are left out).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))


def is_binary(raw: bytes, sample: int = 1 << 16) -> bool:
    """True when the start of a file holds control bytes that no text has (more than 2 %).

    A binary file without NUL bytes would otherwise decode as cp1251, which maps nearly
    every byte to some character.

    >>> is_binary("Отчёт за II квартал".encode("cp1251")), is_binary(bytes(range(1, 256)) * 4)
    (False, True)
    """
    head = raw[:sample]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls >= 2 and controls * 50 > len(head)


def _looks_russian(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    cyrillic = sum("а" <= c.lower() <= "я" or c in "ёЁ" for c in letters)
    lower = sum("а" <= c <= "я" for c in letters)
    # koi8-r read as cp1251 gives Cyrillic too, but with capitals and small letters swapped.
    return cyrillic / len(letters) > 0.6 and lower >= cyrillic / 2


def read_text(path: Path, raw: bytes) -> Document:
    """Read a .txt file into paragraphs, or table rows when it is a tab-rendered table."""
    text = decode(path, raw).replace("\r\n", "\n").replace("\r", "\n")
    if _NUMBER_CELL.search(text) and text.count("\n\t") >= 4:
        blocks = _table_blocks(text)
    else:
        blocks = _paragraph_blocks(text)
    if not blocks:
        raise BadInputError(path, "no text in the file")
    return make_document(path, raw, blocks, media_type="text/plain")


def _paragraph_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        cleaned = clean(chunk)
        if cleaned:
            blocks.extend(Paragraph(line) for line in cleaned.split("\n"))
    return blocks


def _table_blocks(text: str) -> list[Block]:
    preamble: list[str] = []
    cells: list[list[str]] = []
    for line in text.split("\n"):
        if line.startswith("\t"):
            cells.append([line[1:]])
        elif cells:
            cells[-1].append(line)
        else:
            preamble.append(line)
    blocks: list[Block] = [Paragraph(" ".join(clean("\n".join(preamble)).split("\n")))] \
        if clean("\n".join(preamble)) else []
    groups: list[list[str]] = []
    for lines in cells:
        cell = clean("\n".join(lines))
        if ROW_NUMBER.match(cell) or not groups:
            groups.append([])
        groups[-1].append(cell)
    width = _row_width(groups)
    for group in groups:
        # A row takes `width` cells; what follows it before the next number is a section
        # header (or, before the first row, the column headings plus the first header).
        head, rest = group[:width], group[width:]
        blocks.append(TableRow(tuple(head)))
        blocks.extend(TableRow((cell,)) for cell in rest if cell)
    return blocks


def _row_width(groups: list[list[str]]) -> int:
    numbered = [len(g) for g in groups if g and ROW_NUMBER.match(g[0])]
    if not numbered:
        return max((len(g) for g in groups), default=1)
    return Counter(numbered).most_common(1)[0][0]
