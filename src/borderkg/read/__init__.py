"""Readers: one per file kind, each returning the project's :class:`~borderkg.document.Document`.

>>> sorted(SUFFIXES)
['.doc', '.docx', '.htm', '.html', '.jpeg', '.jpg', '.odt', '.pdf', '.png', '.rtf', '.tif', '.tiff', '.txt']
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from borderkg.document import Document
from borderkg.errors import BadInputError, BorderkgError
from borderkg.read import docx, html, ocr, office, pdf, text


class Kind(NamedTuple):
    """A file kind: its reader (taking the path and the raw bytes) and its size limit."""

    read: Callable[[Path, bytes], Document]
    max_mb: float


# The reports are well under 1 MB as text or Word, but a printed report is a few MB of PDF
# and its 300-dpi scan about 23 MB (96 pages): each kind has a limit that fits its real
# files, and a file past it is refused before it is read, so that a stray dump or video
# cannot exhaust the memory of a build. A scan is limited by its pages too (read/ocr.py).
TEXT = Kind(text.read_text, 20)
HTML = Kind(html.read_html, 20)
OFFICE = Kind(office.read_office, 50)
SCAN = Kind(ocr.read_image, 100)
SUFFIXES = {
    ".txt": TEXT,
    ".html": HTML,
    ".htm": HTML,
    ".docx": Kind(docx.read_docx, 50),
    ".doc": OFFICE,
    ".odt": OFFICE,
    ".rtf": OFFICE,
    ".pdf": Kind(pdf.read_pdf, 100),
    **dict.fromkeys(ocr.IMAGE_SUFFIXES, SCAN),
}
MAX_FILE_MB_VARIABLE = "BORDERKG_MAX_FILE_MB"
MB = 1 << 20


def max_file_bytes(kind: Kind = TEXT) -> int:
    """The size limit of a source file in bytes: ``BORDERKG_MAX_FILE_MB`` megabytes for
    every kind when set (read at each call, a fraction allowed), else the kind's own.

    >>> max_file_bytes(SUFFIXES[".pdf"]) // MB, max_file_bytes() // MB
    (100, 20)
    """
    setting = os.environ.get(MAX_FILE_MB_VARIABLE, "").strip()
    if not setting:
        return int(kind.max_mb * MB)
    try:
        megabytes = float(setting)
    except ValueError:
        megabytes = float("nan")
    if not megabytes > 0 or megabytes == float("inf"):
        raise BorderkgError(f"{MAX_FILE_MB_VARIABLE} must be a positive number of megabytes, "
                            f"not {setting!r}")
    return int(megabytes * MB)


def too_large(size: int, limit: int) -> str:
    """The reason given for a file past the limit.

    >>> too_large(50 * MB, 20 * MB)
    'file too large: 50.0 MB, the limit is 20 MB (BORDERKG_MAX_FILE_MB)'
    """
    return f"file too large: {size / MB:.1f} MB, the limit is {limit / MB:g} MB ({MAX_FILE_MB_VARIABLE})"


def read_document(path: str | Path) -> Document:
    """Read one source file of any supported kind.

    Raises :class:`BadInputError` naming the file and what is wrong with it.
    """
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise BadInputError(path, f"unsupported file type {path.suffix or '(none)'!r}; "
                                  f"expected one of {', '.join(sorted(SUFFIXES))}")
    raw = read_bytes(path, max_file_bytes(kind))
    if not raw.strip():
        raise BadInputError(path, "the file is empty" if not raw else "the file is empty (only blank space)")
    return kind.read(path, raw)


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """A file's bytes, refused past the size limit: the size is checked before reading, and
    no more than the limit is read (a file may grow in between, or be a device)."""
    limit = max_file_bytes() if limit is None else limit
    try:
        # O_NONBLOCK: a FIFO (or one swapped in after the folder was listed) is opened without
        # waiting for a writer, then refused by what it is, never read
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise BadInputError(path, "is not a regular file (a FIFO, device or socket): not read")
            size = status.st_size
            if size > limit:
                raise BadInputError(path, too_large(size, limit))
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise BadInputError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if len(raw) > limit:
        raise BadInputError(path, too_large(max(len(raw), size), limit))
    return raw


def is_supported(path: str | Path) -> bool:
    """True when a reader exists for the file's suffix."""
    return Path(path).suffix.lower() in SUFFIXES
