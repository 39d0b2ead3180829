"""What the views show, as plain dataclasses: no RDF here, so views and tests need no store.

A *partnership* is one Smolensk municipality with one Belarusian partner place, and the
events, twin links and agreements that join them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NO_CATEGORY = "без категории"


@dataclass(frozen=True)
class Municipality:
    """A Smolensk oblast municipality (the Russian side)."""

    id: str
    name: str
    lat: float | None = None
    lon: float | None = None


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
    """Everything that joins one municipality and one partner place."""

    municipality: str
    place: str
    events: list[Event] = field(default_factory=list)
    twins: list[TwinLink] = field(default_factory=list)

    @property
    def agreements(self) -> list[Agreement]:
        return [a for event in self.events for a in event.agreements]

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

    def partnerships(self) -> list[Partnership]:
        """One per (municipality, partner place) pair that has an event or a twin link,
        sorted by municipality, then by the number of events (most first)."""
        pairs: dict[tuple[str, str], Partnership] = {}
        for event in self.events:
            if event.municipality is None:
                continue
            for place in event.partners:
                key = (event.municipality, place)
                pairs.setdefault(key, Partnership(*key)).events.append(event)
        for twin in self.twins:
            key = (twin.municipality, twin.place)
            pairs.setdefault(key, Partnership(*key)).twins.append(twin)
        return sorted(pairs.values(), key=lambda p: (p.municipality, -len(p.events), p.place))

    def categories(self) -> list[str]:
        """Category labels in use, "без категории" last when some event has none."""
        labels = {c for e in self.events for c in e.categories}
        missing = any(not e.categories for e in self.events)
        return sorted(labels) + ([NO_CATEGORY] if missing else [])

    def years(self) -> list[int]:
        return sorted({e.year for e in self.events if e.year})

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
