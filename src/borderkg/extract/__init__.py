"""Extraction: from a read Document to typed events (:mod:`borderkg.extract.model`) with
provenance. The gold-annotation record is an adapter over them
(:func:`borderkg.extract.record.to_gold_record`).

>>> from borderkg.document import Document, Paragraph
>>> doc = Document("x.txt", "x.txt", "0", "Новости", [Paragraph("Новости")])
>>> [(e.n, e.partners, e.categories) for e in Extractor(tagger=lambda text: []).extract(doc)]
[(1, (), ('culture',))]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from borderkg.categories import categorize
from borderkg.dates import DateSpan, find_date_mentions, parse_date_span
from borderkg.document import Document, Paragraph, TableRow
from borderkg.extract.event import (belarusian_places, countries_of, distinct_organisations,
                                    organisations_by_cell, place_mentions, venue_in_text, venue_of)
from borderkg.extract.relations import agreements_in, twins_in, with_event_organisations
from borderkg.extract.adjectives import named_municipalities
from borderkg.extract.linking import CellLinks, link_texts
from borderkg.extract.model import Attendance, Extraction, Venue
from borderkg.extract.signals import is_mixed, is_online
from borderkg.curation import Curation, load_curation
from borderkg.gazetteer import Gazetteer, Municipality, load_gazetteer
from borderkg.link.index import LinkIndex, build_index
from borderkg.link.municipality import resolve_municipality
from borderkg.ner import EntityMention
from borderkg.parse import Column, Report, ReportRow, parse_report

ROW_FIELDS = ((Column.NAME, "name"), (Column.PLACE, "place"), (Column.CONTENT, "content"),
              (Column.PARTICIPANTS, "participants"))


class Extractor:
    """Holds the linking index and the NER tagger, both loaded on first use."""

    def __init__(self, index: LinkIndex | None = None,
                 tagger: Callable[[str], list[EntityMention]] | None = None,
                 curation: Curation | None = None) -> None:
        self._index = index
        self._gazetteer = None
        self._tagger = tagger
        self.curation = curation if curation is not None else load_curation()

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer with the curated places, without building the linking index (a
        process that only writes the store needs no more)."""
        if self._index is not None:
            return self._index.gazetteer
        if self._gazetteer is None:
            self._gazetteer = self.curation.with_places(load_gazetteer())
        return self._gazetteer

    @property
    def index(self) -> LinkIndex:
        if self._index is None:
            extra = tuple((r.mention, r.target) for r in self.curation.rules if r.action == "link")
            self._index = build_index(self.gazetteer, extra)
        return self._index

    @property
    def tagger(self) -> Callable[[str], list[EntityMention]]:
        if self._tagger is None:
            from borderkg.ner import default_tagger

            self._tagger = default_tagger()
        return self._tagger

    def extract(self, document: Document) -> list[Extraction]:
        """Every event of a document: one per report row, or one for free text."""
        return self.extract_parsed(document, parse_report(document))

    def extract_parsed(self, document: Document, report: Report | None) -> list[Extraction]:
        """:meth:`extract` for a caller that already parsed the document (``report`` is
        None when it is not a report)."""
        if report is None:
            return [self._free_text(document)]
        # All the cells of a report go to NER in one batched call.
        texts = [row.cell(column) for row in report.rows for column, _ in ROW_FIELDS]
        entities = self._tag_many(texts)
        width = len(ROW_FIELDS)
        return [self._row(document, row, entities[i * width:(i + 1) * width])
                for i, row in enumerate(report.rows)]

    def _tag_many(self, texts: list[str]) -> list[list[EntityMention]]:
        tag_many = getattr(self.tagger, "tag_many", None)
        if tag_many is not None:
            return tag_many(texts)
        return [self.tagger(text) if text.strip() else [] for text in texts]

    def _row(self, document: Document, row: ReportRow, entities=None) -> Extraction:
        gazetteer = self.index.gazetteer
        year = document.period.year if document.period else None
        municipality = resolve_municipality(row.section, gazetteer) if row.section else None
        cells = link_texts([(name, row.cell(column)) for column, name in ROW_FIELDS],
                           self.index, self.tagger, self.curation, document.doc_id, entities)
        span = parse_date_span(row.cell(Column.DATES), default_year=year)
        if span is None:  # some rows give the date in the title or the content only
            found = find_date_mentions(row.cell(Column.NAME), default_year=year)
            span = found[0].span if found else None
        title = row.cell(Column.NAME)
        if is_online(row.cell(Column.PLACE), title):
            attendance = Attendance.ONLINE
        elif is_mixed(row.cell(Column.PLACE), title):
            attendance = Attendance.MIXED
        else:
            attendance = Attendance.OFFLINE
        place_cell = next((c for c in cells if c.field == "place"), None)
        venue = None if attendance is Attendance.ONLINE else venue_of(place_cell, gazetteer)
        texts = {cell.field: cell.text for cell in cells}
        categories = categorize(title or document.title or "", texts.get("content", ""),
                                texts.get("participants", ""))
        return self._event(document, row.n, title, cells, municipality, span, attendance, venue,
                           categories, row=row, section=row.section, dates_text=row.cell(Column.DATES))

    def _free_text(self, document: Document) -> Extraction:
        gazetteer = self.index.gazetteer
        texts = [("paragraph", b.text if isinstance(b, Paragraph) else "\t".join(b.cells))
                 for b in document.blocks if isinstance(b, (Paragraph, TableRow))]
        cells = link_texts(texts, self.index, self.tagger, self.curation, document.doc_id,
                           self._tag_many([text for _, text in texts]))
        named = named_municipalities(cells, gazetteer)
        # The headline and the lead (a news page's first lines of text up to its second of
        # some length, its address and notes aside) tell the format («Телемост с участием …»).
        lead = []
        for _, text in texts:
            if text.strip() and not text.startswith(("http", "#")) and len(lead) < 5 \
                    and sum(len(t) >= 60 for t in lead) < 2:
                lead.append(text[:200])
        attendance = Attendance.ONLINE if any(is_online("", t) for t in [document.title or "", *lead]) \
            else Attendance.OFFLINE
        # Where the text says it happened, else the first place it names; an online event has none.
        venue = None if attendance is Attendance.ONLINE else venue_in_text(cells, gazetteer) or next(
            (v for v in (venue_of(c, gazetteer, countries=False) for c in cells) if v is not None), None)
        municipality = main_municipality(named_municipalities(cells, gazetteer, asides=False), venue)
        # Free text gets title-only categories: a whole article would fire nearly every one.
        categories = categorize(document.title or "")
        ru = tuple(sorted(set(named), key=lambda m: m.name))
        return self._event(document, 1, document.title, cells, municipality, main_date(document),
                           attendance, venue, categories, ru_municipalities=ru)

    def _event(self, document: Document, n: int, title: str, cells: list[CellLinks],
               municipality: Municipality | None, span: DateSpan | None, attendance: Attendance,
               venue: Venue | None, categories: list[str], **provenance) -> Extraction:
        """The parts every event has in common, read from its linked texts."""
        gazetteer = self.index.gazetteer
        per_cell = organisations_by_cell(cells, gazetteer)
        orgs = distinct_organisations(per_cell)
        return Extraction(
            document, n, " ".join((title or document.title or f"Событие {n}").split()), tuple(cells),
            municipality=municipality, dates=span, attendance=attendance, venue=venue,
            partners=tuple(belarusian_places(cells)), place_mentions=tuple(place_mentions(cells)),
            countries=countries_of(cells), organisations=orgs,
            twins=twins_in(cells, per_cell, municipality, gazetteer, span, report_row="row" in provenance),
            agreements=with_event_organisations(
                agreements_in(cells, per_cell, gazetteer, span, report_row="row" in provenance,
                              municipality=municipality), orgs),
            categories=tuple(categories), **provenance)


def main_municipality(named: list[Municipality], venue=None) -> Municipality | None:
    """The municipality a document is mainly about: the one it names most, of those named
    equally often the one the event was held in (the ``venue``: «на стадионе г. Починка …
    команды из Починка, Смоленска»); none when several are named equally often and none is
    the venue (a piece on neighbours, a list of border pairs).

    >>> from borderkg.gazetteer import load_gazetteer
    >>> m = load_gazetteer().municipalities
    >>> main_municipality([m["rudnyansky"], m["rudnyansky"], m["krasninsky"]]).id
    'rudnyansky'
    >>> main_municipality([m["rudnyansky"], m["krasninsky"]]) is None
    True
    >>> main_municipality([m["smolensk"], m["pochinkovsky"]], venue=m["pochinkovsky"]).id
    'pochinkovsky'
    """
    counts = Counter(named).most_common()
    if not counts:
        return None
    top = [municipality for municipality, n in counts if n == counts[0][1]]
    if len(top) == 1:
        return top[0]
    return venue if venue in top else None


_STAMP_BEFORE = re.compile(r"(?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье),?\s*$", re.IGNORECASE)
# «28 сентября 2024, 17:01»; «23 марта 2011 года в 16:14» ending its line (not «… года в
# 11:00 состоится концерт», the event's own hour)
_STAMP_AFTER = re.compile(r"^\s*(?:года?|г\.)?,?\s*(?:\d{1,2}:\d{2}|в\s+\d{1,2}:\d{2}\s*$)")
# A paragraph or sentence recalling earlier news: its dates are not the event's.
_RECALLED = re.compile(r"\s*(?:Напомним|Как сообщалось)\b")
# What may stand beside a date on a line of its own, a page's publication stamp.
_STAMP_LINE = re.compile(r"^[\s,.]*(?:года?|г\.?)?[\s,.]*$")


def _recalled(text: str, at: int) -> bool:
    """Whether the paragraph ``text``, or its sentence up to ``at``, opens «Напомним, …»."""
    return bool(_RECALLED.match(text) or _RECALLED.match(re.split(r"[.!?\n]", text[:at])[-1]))


def main_date(document: Document) -> DateSpan | None:
    """The main dated phrase of a free-text document: the first date written with a month
    name and a year. A bare «16.03.2026» is a publication stamp, and so is a date after a
    weekday or before a time («Воскресенье, 24 ноября 2024», «28 сентября 2024, 17:01»), or
    one standing alone on its line («13 октября 2022 г.» over «10-12 октября 2022 года
    делегация … посетила»); «12 марта» lacks the year, «за 2025 год» is a reporting period,
    not an event, and a paragraph or sentence opening «Напомним, …» recalls an earlier one.

    >>> from borderkg.document import Paragraph
    >>> doc = Document("n.txt", "n.txt", "0", "Новости", [Paragraph("13 октября 2022 г."),
    ...     Paragraph("10-12 октября 2022 года делегация посетила г. Вязьму")])
    >>> main_date(doc).start.isoformat(), main_date(doc).end.isoformat()
    ('2022-10-10', '2022-10-12')
    >>> main_date(Document("n.txt", "n.txt", "0", "", [Paragraph("23 марта 2011 года в 16:14"),
    ...     Paragraph("В понедельник стартовал турнир.")])) is None
    True
    >>> main_date(Document("n.txt", "n.txt", "0", "", [Paragraph("5 мая 2017 года в 11:00 открылся турнир")])).start
    datetime.date(2017, 5, 5)
    >>> main_date(Document("n.txt", "n.txt", "0", "", [Paragraph("Смоленск и Вологда стали побратимами."),
    ...     Paragraph("Напомним, в марте 2022 года Варшава отказалась. При этом в июне 2022 года …")])) is None
    True
    """
    from borderkg.dates import Precision

    for block in document.blocks:
        text = block.text if isinstance(block, Paragraph) else " ".join(block.cells)
        for mention in find_date_mentions(text):
            if mention.span.start_precision is Precision.YEAR or _STAMP_BEFORE.search(text[:mention.start]) \
                    or _STAMP_AFTER.match(text[mention.end:]) or (
                        _STAMP_LINE.match(text[:mention.start]) and _STAMP_LINE.match(text[mention.end:])) \
                    or _recalled(text, mention.start):
                continue
            if any(ch.isalpha() for ch in mention.text) and any(
                    str(y) in mention.text for y in {mention.span.start.year, mention.span.end.year}):
                return mention.span
    return None
