"""Readers: one per file kind, each returning the project's :class:`~borderkg.document.Document`.

>>> sorted(SUFFIXES)
['.docx', '.htm', '.html', '.pdf', '.txt']
"""

from __future__ import annotations

import os
from pathlib import Path

from borderkg.document import Document
from borderkg.errors import BadInputError, BorderkgError
from borderkg.read import docx, html, pdf, text

# Dispatch on the file's kind; each reader takes the path and the raw bytes.
SUFFIXES = {
    ".txt": text.read_text,
    ".docx": docx.read_docx,
    ".html": html.read_html,
    ".htm": html.read_html,
    ".pdf": pdf.read_pdf,
}

# The reports are well under 1 MB; a file past the limit is refused before it is read, so
# that a stray dump or video cannot exhaust the memory of a build.
MAX_FILE_MB = 20
MAX_FILE_MB_VARIABLE = "BORDERKG_MAX_FILE_MB"
MB = 1 << 20


def max_file_bytes() -> int:
    """The size limit of a source file in bytes: ``BORDERKG_MAX_FILE_MB`` megabytes (read at
    each call, a fraction allowed), by default :data:`MAX_FILE_MB`."""
    setting = os.environ.get(MAX_FILE_MB_VARIABLE, "").strip()
    if not setting:
        return MAX_FILE_MB * MB
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
    reader = SUFFIXES.get(path.suffix.lower())
    if reader is None:
        raise BadInputError(path, f"unsupported file type {path.suffix or '(none)'!r}; "
                                  f"expected one of {', '.join(sorted(SUFFIXES))}")
    raw = read_bytes(path)
    if not raw.strip():
        raise BadInputError(path, "the file is empty" if not raw else "the file is empty (only blank space)")
    return reader(path, raw)


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """A file's bytes, refused past the size limit: the size is checked before reading, and
    no more than the limit is read (a file may grow in between, or be a device)."""
    limit = max_file_bytes() if limit is None else limit
    try:
        size = path.stat().st_size
        if size > limit:
            raise BadInputError(path, too_large(size, limit))
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise BadInputError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if len(raw) > limit:
        raise BadInputError(path, too_large(max(len(raw), size), limit))
    return raw


def is_supported(path: str | Path) -> bool:
    """True when a reader exists for the file's suffix."""
    return Path(path).suffix.lower() in SUFFIXES
