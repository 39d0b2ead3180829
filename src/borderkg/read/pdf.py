"""PDF reader (pypdf): the text layer, page by page, as paragraphs."""

from __future__ import annotations

import io
from pathlib import Path

from borderkg.document import Document, Paragraph
from borderkg.errors import BadInputError
from borderkg.read.common import clean, make_document


def read_pdf(path: Path, raw: bytes) -> Document:
    """Read the text layer of a PDF; a scan without one raises :class:`BadInputError`."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(raw)).pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise BadInputError(path, f"not a readable PDF ({exc})") from exc
    except Exception as exc:  # pypdf meets a damaged file with assorted errors
        raise BadInputError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    lines = [line for page in pages for line in clean(page).split("\n") if line]
    if not lines:
        raise BadInputError(path, "the PDF has no text layer (a scan?): nothing to read")
    return make_document(path, raw, [Paragraph(line) for line in lines], media_type="application/pdf")
