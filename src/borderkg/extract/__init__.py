"""Extraction: from a read Document to event records (the gold schema) with provenance.

>>> from borderkg.document import Document, Paragraph
>>> doc = Document("x.txt", "x.txt", "0", "Новости", [Paragraph("Новости")])
>>> Extractor(tagger=lambda text: []).extract(doc)[0].record.n
1
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from borderkg.dates import find_date_mentions, parse_date_span
from borderkg.document import Document, Paragraph, TableRow
from borderkg.extract.event import agreements_of, fill_places, twins_of, venue_of
from borderkg.extract.linking import CellLinks, link_texts
from borderkg.extract.record import EventRecord
from borderkg.extract.signals import is_mixed, is_online
from borderkg.curation import Curation, load_curation
from borderkg.gazetteer import Gazetteer, Municipality, load_gazetteer
from borderkg.link.index import LinkIndex, build_index
from borderkg.link.municipality import resolve_municipality
from borderkg.ner import EntityMention
from borderkg.parse import Column, Report, ReportRow, parse_report

ROW_FIELDS = ((Column.NAME, "name"), (Column.PLACE, "place"), (Column.CONTENT, "content"),
              (Column.PARTICIPANTS, "participants"))


@dataclass
class Extraction:
    """One extracted event with where it came from: the report row (or the whole document)
    and the linked cells, for provenance in the graph."""

    record: EventRecord
    document: Document
    title: str
    cells: list[CellLinks]
    row: ReportRow | None = None
    municipality: Municipality | None = None
    dates_text: str = ""
    section: str = ""
    partners: list = field(default_factory=list)  # (Link, by_places entry) of the partner places
    organisations: list = field(default_factory=list)
    mixed_attendance: bool = False


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
        record = EventRecord(document.doc_id, row.n,
                             municipality=municipality.name if municipality else None)
        span = parse_date_span(row.cell(Column.DATES), default_year=year)
        if span is None:  # some rows give the date in the title or the content only
            found = find_date_mentions(row.cell(Column.NAME), default_year=year)
            span = found[0].span if found else None
        if span is not None:
            record.date_start, record.date_end = span.start_iso(), span.end_iso()
        record.online = is_online(row.cell(Column.PLACE), row.cell(Column.NAME))
        mixed = is_mixed(row.cell(Column.PLACE), row.cell(Column.NAME))
        partners, orgs = fill_places(record, cells, gazetteer)
        place_cell = next((c for c in cells if c.field == "place"), None)
        record.venue = None if record.online else venue_of(place_cell, gazetteer)
        record.twins = twins_of(cells, municipality, gazetteer)
        record.agreements = agreements_of(cells, municipality, orgs)
        return Extraction(record, document, row.cell(Column.NAME), cells, row, municipality,
                          row.cell(Column.DATES), row.section, partners, orgs, mixed)

    def _free_text(self, document: Document) -> Extraction:
        gazetteer = self.index.gazetteer
        texts = [("paragraph", b.text if isinstance(b, Paragraph) else "\t".join(b.cells))
                 for b in document.blocks if isinstance(b, (Paragraph, TableRow))]
        cells = link_texts(texts, self.index, self.tagger, self.curation, document.doc_id,
                           self._tag_many([text for _, text in texts]))
        named = [l.target.id for c in cells for l in c.links if l.target.kind == "municipality"]
        main = Counter(named).most_common(1)[0][0] if named else None
        municipality = gazetteer.municipalities.get(main) if main else None
        record = EventRecord(document.doc_id, 1,
                             municipality=municipality.name if municipality else None,
                             ru_municipalities=sorted({gazetteer.municipalities[m].name for m in named}))
        span = main_date(document)
        if span is not None:
            record.date_start, record.date_end = span.start_iso(), span.end_iso()
        record.online = is_online("", document.title)
        partners, orgs = fill_places(record, cells, gazetteer)
        record.venue = next((venue_of(c, gazetteer) for c in cells if venue_of(c, gazetteer)), None)
        record.twins = twins_of(cells, municipality, gazetteer)
        record.agreements = agreements_of(cells, municipality, orgs)
        return Extraction(record, document, document.title, cells, None, municipality,
                          partners=partners, organisations=orgs)


def main_date(document: Document):
    """The main dated phrase of a free-text document: the first date written with a month
    name and a year. A bare «16.03.2026» is a publication stamp, «12 марта» lacks the year,
    «за 2025 год» is a reporting period, not an event."""
    from borderkg.dates import Precision

    for block in document.blocks:
        text = block.text if isinstance(block, Paragraph) else " ".join(block.cells)
        for mention in find_date_mentions(text):
            if mention.span.start_precision is Precision.YEAR:
                continue
            if any(ch.isalpha() for ch in mention.text) and any(
                    str(y) in mention.text for y in {mention.span.start.year, mention.span.end.year}):
                return mention.span
    return None
