"""The project's own document model: what every reader returns.

A document is a title, an optional report period and a flat list of blocks: paragraphs of
running text and table rows (cells as text). Readers keep the structure of the source
(a .docx table row stays a row); recognising the report layout is the parser's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text."""

    text: str


@dataclass(frozen=True)
class TableRow:
    """One row of a table, its cells as text (merged cells appear once).

    >>> TableRow(("1.", "Концерт")).is_single_cell
    False
    """

    cells: tuple[str, ...]
    # The mean confidence (0-1) of the words OCR read in the row; None when not from OCR.
    ocr_confidence: float | None = field(default=None, compare=False)

    @property
    def is_single_cell(self) -> bool:
        """True for a row with one non-empty cell, the shape of a section header."""
        return sum(1 for cell in self.cells if cell.strip()) == 1


Block = Paragraph | TableRow


@dataclass(frozen=True)
class ReportPeriod:
    """The period a quarterly report covers.

    >>> ReportPeriod(2025, 2).label
    '2025-Q2'
    """

    year: int
    quarter: int | None = None

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)


TEXT_LAYER = "text"
OCR = "ocr"


@dataclass
class Document:
    """A source document as read from disk.

    ``doc_id`` is the file name (what the gold annotation and users call it);
    ``sha256`` identifies its content, so re-ingest can tell a changed file.
    ``extraction_method`` says how its text was got: :data:`TEXT_LAYER` (the file's own
    text) or :data:`OCR` (recognised in page images, ``ocr_confidence`` the mean confidence
    0-1 of its words), so that provenance can tell a user which events to check.
    """

    path: str
    doc_id: str
    sha256: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    period: ReportPeriod | None = None
    media_type: str = "text/plain"
    extraction_method: str = TEXT_LAYER
    ocr_confidence: float | None = None

    @property
    def text(self) -> str:
        """All the document's text, blocks separated by blank lines and cells by tabs."""
        parts = []
        for block in self.blocks:
            parts.append(block.text if isinstance(block, Paragraph) else "\t".join(block.cells))
        return "\n\n".join(parts)
