"""What extraction finds, as typed values: the one model the graph and the gold adapter read.

Everything here refers to entities, never to display strings: the municipality of an event
is a :class:`~borderkg.gazetteer.Municipality`, a partner a :class:`~borderkg.gazetteer.Place`
with the mention it was read from and the linker's confidence, a twin link two entities.
The gold annotation's schema is an adapter over this model
(:func:`borderkg.extract.record.to_gold_record`); the graph writer
(:mod:`borderkg.rdf`) only writes what is decided here.

>>> from borderkg.gazetteer import Place
>>> from borderkg.link.mentions import Mention
>>> orsha = Place("by-orsha", "Орша", "city", "BY")
>>> mention = PlaceMention(orsha, "participants", Mention(10, 15, "Орши", [], "name"), 0.9)
>>> (mention.start, mention.end, mention.text, mention.extractor)
(10, 15, 'Орши', 'gazetteer-name')
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Union

from borderkg.dates import DateSpan
from borderkg.document import Document
from borderkg.extract.linking import CellLinks
from borderkg.extract.orgs import Organisation
from borderkg.gazetteer import Country, Municipality, Place
from borderkg.link.mentions import Mention
from borderkg.parse import ReportRow

# Where an event took place: a Smolensk municipality (its centre), a place, or a country.
Venue = Union[Municipality, Place, Country]
# Who is party to an agreement: an organisation, a Smolensk municipality or a Belarusian place.
PartyEntity = Union[Organisation, Municipality, Place]


class Attendance(enum.Enum):
    """How people took part, as schema.org's ``eventAttendanceMode`` names it."""

    OFFLINE = "OfflineEventAttendanceMode"
    ONLINE = "OnlineEventAttendanceMode"
    MIXED = "MixedEventAttendanceMode"


@dataclass(frozen=True)
class PlaceMention:
    """A Belarusian place a text names: the place (from the gazetteer, or a new settlement),
    the field and mention it was read from, and the confidence the linker gave the link."""

    place: Place
    field: str  # "name" | "place" | "content" | "participants" | "paragraph"
    mention: Mention
    confidence: float

    @property
    def start(self) -> int:
        return self.mention.start

    @property
    def end(self) -> int:
        return self.mention.end

    @property
    def text(self) -> str:
        return self.mention.text

    @property
    def extractor(self) -> str:
        """The rule that found the mention, as provenance names it."""
        return f"gazetteer-{self.mention.rule}"


@dataclass(frozen=True)
class TwinLink:
    """A twin-town relation stated in the text: a Smolensk municipality and a Belarusian
    place, with the date it was stated on (the event's, as far as the text tells) and the
    date it was established on when the sentence says so."""

    municipality: Municipality
    place: Place
    stated_on: DateSpan | None = None
    established_on: DateSpan | None = None  # «побратимы с 2009 года»


@dataclass(frozen=True)
class AgreementParty:
    """One party to an agreement: its name as written and the entity it is."""

    name: str
    entity: PartyEntity


@dataclass(frozen=True)
class Agreement:
    """A signed agreement, memorandum or protocol with its parties and date."""

    kind: str  # "agreement" | "memorandum" | "protocol"
    parties: tuple[AgreementParty, ...] = ()
    stated_on: DateSpan | None = None  # the event's date
    signed_on: DateSpan | None = None  # when the sentence says («в октябре 2019 года»)


@dataclass(frozen=True)
class Extraction:
    """One extracted event, with where it came from: the report row (or the whole document)
    and the linked cells, for provenance in the graph."""

    document: Document
    n: int
    name: str  # the event's title, one line
    cells: tuple[CellLinks, ...]
    row: ReportRow | None = None
    section: str = ""
    dates_text: str = ""
    municipality: Municipality | None = None
    ru_municipalities: tuple[Municipality, ...] | None = None  # free-text documents only
    dates: DateSpan | None = None
    attendance: Attendance = Attendance.OFFLINE
    venue: Venue | None = None
    partners: tuple[PlaceMention, ...] = ()  # each distinct partner place, first mention
    place_mentions: tuple[PlaceMention, ...] = ()  # every mention of a Belarusian place
    countries: tuple[str, ...] = ()  # ISO2 of the foreign countries named or implied
    organisations: tuple[Organisation, ...] = ()
    twins: tuple[TwinLink, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def doc_id(self) -> str:
        return self.document.doc_id

    @property
    def online(self) -> bool:
        return self.attendance is Attendance.ONLINE
