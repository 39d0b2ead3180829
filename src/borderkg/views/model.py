"""What the views show, as plain dataclasses: no RDF here, so views and tests need no store.

A *partnership* is one Smolensk municipality with one Belarusian partner — a raion (its towns
and villages roll up to it), a city, an oblast or Minsk — as the derived partnerships layer
(``queries/derived/partnerships.rq``) computes it; the figures of municipalities and partners
come from the activity layer. Nothing here recounts them (``queries/README.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

NO_CATEGORY = "без категории"


@dataclass(frozen=True)
class Figures:
    """A municipality's figures from the activity layer (``queries/derived/activity.rq``)."""

    events: int = 0
    with_belarus: int = 0
    joint_events: int = 0
    partners: int = 0
    twin_links: int = 0
    agreements: int = 0


@dataclass(frozen=True)
class Municipality:
    """A Smolensk oblast municipality (the Russian side)."""

    id: str
    name: str
    lat: float | None = None
    lon: float | None = None
    figures: Figures = field(default_factory=Figures)
    names: tuple[NameInTime, ...] = ()  # every name with its period, as the gazetteer knows it
    organisations: tuple[Organisation, ...] = ()  # taking part in its events


@dataclass(frozen=True)
class NameInTime:
    value: str
    valid_from: str | None = None
    valid_until: str | None = None


@dataclass(frozen=True)
class Organisation:
    """An organisation in a municipality's events: its country (ISO code, "" unknown) and
    the number of that municipality's events it took part in."""

    name: str
    country: str
    events: int


@dataclass(frozen=True)
class Place:
    """A Belarusian partner place: raion, town, village, city district, oblast or Minsk."""

    id: str
    name: str
    kind: str
    oblast: str = ""
    raion: str = ""
    lat: float | None = None
    lon: float | None = None
    joint_events: int = 0  # as the Belarusian side of partnerships (activity layer)
    partners: int = 0


@dataclass(frozen=True)
class Source:
    """The report row an event, twin link or agreement was read from."""

    document: str
    row: int
    texts: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        """
        >>> str(Source("001.txt", 32))
        '001.txt, строка 32'
        """
        return f"{self.document}, строка {self.row}"


@dataclass(frozen=True)
class Agreement:
    kind: str
    parties: tuple[str, ...]
    source: Source


@dataclass
class Event:
    """One reported event with its municipality, partner places, categories and source row."""

    id: str
    name: str
    source: Source
    start: str | None = None
    end: str | None = None
    municipality: str | None = None
    partners: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return int(self.start[:4]) if self.start else None

    @property
    def quarter(self) -> str | None:
        return quarter_of(self.start)

    @property
    def category_labels(self) -> list[str]:
        return self.categories or [NO_CATEGORY]


@dataclass(frozen=True)
class TwinLink:
    municipality: str
    place: str
    stated_on: str | None
    source: Source


@dataclass
class Partnership:
    """One pair of the partnerships layer: a municipality, its Belarusian partner (``place``:
    the raion, city, oblast or Minsk), the joint events and the places named in them."""

    municipality: str
    place: str
    joint_events: int = 0
    first: str | None = None
    last: str | None = None
    twinned: bool = False
    agreements: int = 0
    events: list[Event] = field(default_factory=list)
    named_places: list[str] = field(default_factory=list)
    per_year: dict[str, int] = field(default_factory=dict)  # joint events per start year ("" undated)
    quiet_since: str | None = None  # the first day of the last four quarters of data, if gone quiet

    @property
    def years(self) -> list[int]:
        return sorted({e.year for e in self.events if e.year})


@dataclass
class ViewData:
    """Everything the views need, read once from the store."""

    municipalities: dict[str, Municipality]
    places: dict[str, Place]
    events: list[Event]
    twins: list[TwinLink] = field(default_factory=list)
    oblast_names: dict[str, str] = field(default_factory=dict)
    partnerships: list[Partnership] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    def categories(self) -> list[str]:
        """Category labels in use, "без категории" last when some event has none."""
        labels = {c for e in self.events for c in e.categories}
        missing = any(not e.categories for e in self.events)
        return sorted(labels) + ([NO_CATEGORY] if missing else [])

    def years(self) -> list[int]:
        return sorted({e.year for e in self.events if e.year})

    def data_date(self) -> str:
        """The latest event date known (the «date of data» a printed page states), or ""."""
        return max((d for e in self.events for d in (e.start, e.end) if d), default="")

    def oblast_label(self, oblast_id: str) -> str:
        return self.oblast_names.get(oblast_id, oblast_id or "область не указана")


def quarter_of(date: str | None) -> str | None:
    """The quarter of an ISO day or month; a bare year has none.

    >>> quarter_of("2025-05-28"), quarter_of("2025-11"), quarter_of("2025"), quarter_of(None)
    ('2025-Q2', '2025-Q4', None, None)
    """
    if not date or len(date) < 7:
        return None
    return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"


def quarter_range(first: str, last: str) -> list[str]:
    """Every quarter from ``first`` to ``last``, gaps included.

    >>> quarter_range("2024-Q3", "2025-Q2")
    ['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2']
    """
    year, q = int(first[:4]), int(first[-1])
    out = []
    while (year, q) <= (int(last[:4]), int(last[-1])):
        out.append(f"{year}-Q{q}")
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out
