"""What the readers share: decoding, report periods, titles, document identity."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from borderkg.document import OCR, TEXT_LAYER, Block, Document, Paragraph, ReportPeriod

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_QUARTER = re.compile(
    r"\b(?P<q>IV|III|II|I|[1-4])\s*(?:-?[ыйгм]{1,2})?\s*(?:квартал\w*)\s+(?P<y>(?:19|20)\d\d)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:за|в)\s+(?P<y>(?:19|20)\d\d)\s+год", re.IGNORECASE)
_ARTIFACTS = re.compile(r"\[bookmark:[^\]]*\]\s*")
MAX_PUNCTUATION_RUN = 8
_PUNCTUATION_RUN = re.compile(r"[^\w\s]{%d,}" % (MAX_PUNCTUATION_RUN + 1))


def find_report_period(text: str) -> ReportPeriod | None:
    """The quarter and year a report title names.

    >>> find_report_period("… округов Смоленской области во II квартале 2025 года")
    ReportPeriod(year=2025, quarter=2)
    >>> find_report_period("Отчёт за 3 квартал 2020 г.")
    ReportPeriod(year=2020, quarter=3)
    >>> find_report_period("Итоги работы за 2021 год")
    ReportPeriod(year=2021, quarter=None)
    >>> find_report_period("Новости") is None
    True
    """
    match = _QUARTER.search(text)
    if match:
        q = match["q"].upper()
        return ReportPeriod(int(match["y"]), _ROMAN.get(q) or int(q))
    match = _YEAR.search(text)
    if match:
        return ReportPeriod(int(match["y"]))
    return None


def clean(text: str) -> str:
    """Normalise whitespace inside a cell or paragraph, keeping line breaks. A run of more
    than eight punctuation marks without a space is cut to its first eight: no text needs
    more («»»» closes the deepest real nesting), and the tokenizer of the NER takes time
    quadratic in the length of such a run (3000 «« took seconds per cell).

    >>> clean("  г.\\xa0Витебска  \\n\\n 2025 года ")
    'г. Витебска\\n2025 года'
    >>> clean("«" * 3000 + "Концерт" + "»" * 3000 + " ........................... 5")
    '««««««««Концерт»»»»»»»» ........ 5'
    """
    text = _ARTIFACTS.sub("", text).replace("\xa0", " ").replace("\u200b", "")
    text = _PUNCTUATION_RUN.sub(lambda run: run.group()[:MAX_PUNCTUATION_RUN], text)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def content_id(raw: bytes) -> str:
    """The SHA-256 of a file's bytes: a document is identified by its content."""
    return hashlib.sha256(raw).hexdigest()


def guess_title(blocks: list[Block]) -> str:
    """The first paragraph that reads like a title: not a navigation crumb («НОВОСТИ / АНОНС»,
    «| Вернуться на исходную страницу», a list of crumbs whose last one is the title), a date
    line, a page's address (a saved news item's first line) or a note («# excerpt …»).

    >>> guess_title([Paragraph("https://rus-bel.online/2965-smolensk/"), Paragraph("# excerpt as stored"),
    ...              Paragraph("16.03.2026"), Paragraph("Смоленск будет сотрудничать с Московским районом Минска")])
    'Смоленск будет сотрудничать с Московским районом Минска'
    >>> guess_title([Paragraph("| Вернуться на исходную страницу"), Paragraph("НОВОСТИ / АНОНС"),
    ...              Paragraph("Подписание Соглашения о сотрудничестве")])
    'Подписание Соглашения о сотрудничестве'
    >>> guess_title([Paragraph("- Администрация муниципального образования"), Paragraph("- Новости"),
    ...              Paragraph("- Делегация округа приняла участие в торжествах")])
    'Делегация округа приняла участие в торжествах'
    """
    crumbs = []  # a run of list items: a page's crumbs, the last one its title
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        stripped = block.text.strip()
        text = " ".join(stripped.lstrip("•·-– ").split())
        if len(text) < 12 or re.fullmatch(r"[\d.,:/ +()-]+", text) or _ADDRESS_OR_NOTE.match(text) \
                or _CRUMB.search(stripped):
            continue
        if stripped[:1] in "•·-–":
            crumbs.append(text)
            continue
        return crumbs[-1] if crumbs else text
    return crumbs[-1] if crumbs else ""


_ADDRESS_OR_NOTE = re.compile(r"(?:https?://|www\.)\S*$|#|фото\s*(?::|©)", re.IGNORECASE)
# A navigation bar's remnant («| Вернуться …», «Главная > Новости») or a section path.
_CRUMB = re.compile(r"^\||^[^.!?]{0,40} (?:/|>|»|→) [^.!?]{0,40}$|^(?:вернуться|назад|на главную)\b",
                    re.IGNORECASE)


def title_of(blocks: list[Block]) -> str:
    """Report titles run over several paragraphs before the table: join them.

    >>> title_of([Paragraph("Отчет о мероприятиях"), Paragraph("во II квартале 2025 года"), Paragraph("x")][:2])
    'Отчет о мероприятиях во II квартале 2025 года'
    """
    lines = []
    for block in blocks:
        if not isinstance(block, Paragraph):
            break
        lines.append(block.text)
    return " ".join(" ".join(lines).split())[:500]


def make_document(path: Path, raw: bytes, blocks: list[Block], *, title: str = "",
                  media_type: str, ocr_confidence: float | None = None) -> Document:
    """Assemble a Document, filling the title and the report period from its first blocks;
    a document with an ``ocr_confidence`` was read by OCR."""
    title = title or guess_title(blocks)
    head = " ".join(b.text for b in blocks[:5] if isinstance(b, Paragraph))
    return Document(
        path=str(path),
        doc_id=path.name,
        sha256=content_id(raw),
        title=title,
        blocks=blocks,
        period=find_report_period(title) or find_report_period(head),
        media_type=media_type,
        extraction_method=TEXT_LAYER if ocr_confidence is None else OCR,
        ocr_confidence=ocr_confidence,
    )
