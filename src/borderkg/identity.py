"""Document identity in a build: one graph per file name, one document per content.

A document is known by its file name (its ``doc_id``, what the gold annotation, ``remove``
and ``explain`` use); its graph IRI encodes the name injectively
(:func:`borderkg.rdf.slug`). Two rules keep one build from storing a report twice or
losing one without a word:

- **Names.** Two different files of one build with the same name (``a/report.txt`` and
  ``b/report.txt``) would be one graph: the first in path order is stored, the other is
  refused by name (a failure), unless its content is the same (then it is a duplicate).
- **Content.** The same report twice (two formats, or a re-sent file under a new name) has
  one :func:`content_fingerprint`: the first in path order is kept and the others are
  skipped, naming the one kept. A document already stored from a file this build does not
  read keeps its place: a new file with its content is the duplicate.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from borderkg.document import Document, TableRow

_WORD = re.compile(r"\w+")


def content_fingerprint(document: Document) -> str:
    """The SHA-256 of what a document says, whatever file format it came in: the words of
    its table rows (of its paragraphs when it has no table), in order, folded (NFKC, case,
    «ё»), without punctuation, spacing or the layout of cells and lines, after its report
    period. Titles and page furniture are outside a report's table, so a PDF's page numbers
    do not make it another report.

    >>> from borderkg.document import Paragraph
    >>> a = Document("a.txt", "a.txt", "1", "", [Paragraph("Отчёт"), TableRow(("1.", "Концерт «Ёлка»"))])
    >>> b = Document("b.docx", "b.docx", "2", "", [TableRow(("1", "концерт", '"Елка"'))])
    >>> content_fingerprint(a) == content_fingerprint(b)
    True
    >>> content_fingerprint(a) == content_fingerprint(Document("c", "c", "3", "", [TableRow(("2.", "Концерт"))]))
    False
    """
    rows = [block for block in document.blocks if isinstance(block, TableRow)]
    texts = [cell for row in rows for cell in row.cells] if rows else [b.text for b in document.blocks]
    digest = hashlib.sha256((document.period.label if document.period else "-").encode())
    for text in texts:
        folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
        for word in _WORD.findall(folded):
            digest.update(b" " + word.encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Claim:
    """Who holds a name or a content: a file of this build, or a stored document."""

    doc_id: str
    path: str = ""  # empty for a document stored by an earlier build
    fingerprint: str = ""

    @property
    def where(self) -> str:
        return self.path or f"the stored document {self.doc_id!r}"


@dataclass
class Claims:
    """The names and contents taken so far in a build, checked in path order."""

    names: dict[str, Claim] = field(default_factory=dict)
    contents: dict[str, Claim] = field(default_factory=dict)

    @classmethod
    def from_store(cls, stored: dict[str, str], names: set[str]) -> Claims:
        """Claims of the stored documents (``doc_id → fingerprint``) that no file of this
        build will read again (their names are not in ``names``)."""
        return cls(contents={fp: Claim(doc_id, fingerprint=fp) for doc_id, fp in sorted(stored.items())
                             if doc_id not in names})

    def check(self, doc_id: str, path: str, fingerprint: str) -> tuple[str, str] | None:
        """None when the file may be stored (its claims are then taken), else
        ``("duplicate" | "clash", reason)``.

        >>> claims = Claims()
        >>> claims.check("r.txt", "a/r.txt", "f1") is None
        True
        >>> claims.check("r.txt", "b/r.txt", "f2")[0]
        'clash'
        >>> claims.check("r.docx", "a/r.docx", "f1")
        ('duplicate', 'the same report as a/r.txt (the same text), which is kept')
        """
        named = self.names.get(doc_id)
        held = self.contents.get(fingerprint)
        if named is not None and named.path != path and named.fingerprint != fingerprint:
            return "clash", (f"another file of this build, {named.path}, has the name {doc_id!r}: a "
                             f"document is known by its file name, so only the first is stored "
                             f"(rename one to store both)")
        if held is not None and held.doc_id != doc_id or named is not None and named.path != path:
            kept = held or named
            return "duplicate", f"the same report as {kept.where} (the same text), which is kept"
        claim = Claim(doc_id, path, fingerprint)
        self.names[doc_id] = claim
        self.contents[fingerprint] = claim
        return None
