"""Readers: one per file kind, each returning the project's :class:`~borderkg.document.Document`.

>>> sorted(SUFFIXES)
['.docx', '.htm', '.html', '.pdf', '.txt']
"""

from __future__ import annotations

from pathlib import Path

from borderkg.document import Document
from borderkg.errors import BadInputError
from borderkg.read import docx, html, pdf, text

# Dispatch on the file's kind; each reader takes the path and the raw bytes.
SUFFIXES = {
    ".txt": text.read_text,
    ".docx": docx.read_docx,
    ".html": html.read_html,
    ".htm": html.read_html,
    ".pdf": pdf.read_pdf,
}


def read_document(path: str | Path) -> Document:
    """Read one source file of any supported kind.

    Raises :class:`BadInputError` naming the file and what is wrong with it.
    """
    path = Path(path)
    reader = SUFFIXES.get(path.suffix.lower())
    if reader is None:
        raise BadInputError(path, f"unsupported file type {path.suffix or '(none)'!r}; "
                                  f"expected one of {', '.join(sorted(SUFFIXES))}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInputError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise BadInputError(path, "the file is empty")
    return reader(path, raw)


def is_supported(path: str | Path) -> bool:
    """True when a reader exists for the file's suffix."""
    return Path(path).suffix.lower() in SUFFIXES
