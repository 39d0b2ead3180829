"""The gold-annotation adapter: an :class:`~borderkg.extract.model.Extraction` in exactly the
schema of the gold annotation (``data/gold/GUIDE.md``), display strings and all.

Only ``borderkg extract --format jsonl`` and ``borderkg eval`` use it; the graph is written
from the typed model itself.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from borderkg.extract.model import Extraction, Venue
from borderkg.gazetteer import Country, Gazetteer, Municipality, Place


@dataclass(frozen=True)
class EventRecord:
    """One event as the gold annotation describes it."""

    doc: str
    n: int
    municipality: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    online: bool = False
    venue: dict | None = None
    by_places: list[dict] = field(default_factory=list)
    by_country_mentioned: bool = False
    countries: list[str] = field(default_factory=list)
    by_orgs: list[str] = field(default_factory=list)
    twins: list[dict] = field(default_factory=list)
    agreements: list[dict] = field(default_factory=list)
    ru_municipalities: list[str] | None = None  # free-text documents only

    def to_dict(self) -> dict:
        """Fields in the guide's order; ``ru_municipalities`` only where it applies.

        >>> list(EventRecord("a.txt", 1).to_dict())[:4]
        ['doc', 'n', 'municipality', 'date_start']
        >>> "ru_municipalities" in EventRecord("a.txt", 1, ru_municipalities=[]).to_dict()
        True
        """
        data = asdict(self)
        ru = data.pop("ru_municipalities")
        if ru is None:
            return data
        head = {key: data.pop(key) for key in ("doc", "n", "municipality")}
        return {**head, "ru_municipalities": ru, **data}

    def to_json(self) -> str:
        """One line of JSONL.

        >>> EventRecord("a.txt", 1).to_json()[:30]
        '{"doc": "a.txt", "n": 1, "muni'
        """
        return json.dumps(self.to_dict(), ensure_ascii=False)


def to_gold_record(extraction: Extraction, gazetteer: Gazetteer) -> EventRecord:
    """The gold-schema record of one extracted event.

    >>> from borderkg.document import Document
    >>> from borderkg.gazetteer import load_gazetteer
    >>> event = Extraction(Document("x.txt", "x.txt", "0", "Новости", []), 1, "Новости", ())
    >>> to_gold_record(event, load_gazetteer()).to_dict()["by_places"]
    []
    """
    dates = extraction.dates
    ru = extraction.ru_municipalities
    return EventRecord(
        extraction.doc_id, extraction.n,
        municipality=extraction.municipality.name if extraction.municipality else None,
        date_start=dates.start_iso() if dates else None,
        date_end=dates.end_iso() if dates else None,
        online=extraction.online,
        venue=venue_entry(extraction.venue, gazetteer) if extraction.venue is not None else None,
        by_places=[place_entry(p.place, gazetteer) for p in extraction.partners],
        by_country_mentioned="BY" in extraction.countries,
        countries=list(extraction.countries),
        by_orgs=[org.name for org in extraction.organisations if org.country == "BY"],
        twins=[{"ru": t.municipality.name, "by": t.place.name} for t in extraction.twins],
        agreements=[{"kind": a.kind, "parties": [p.name for p in a.parties]}
                    for a in extraction.agreements],
        ru_municipalities=[m.name for m in ru] if ru is not None else None,
    )


def venue_entry(venue: Venue, gazetteer: Gazetteer) -> dict:
    """A venue as the gold schema writes it: a Smolensk municipality by its centre, a
    Russian place with its federal subject as ``oblast``, a Belarusian place as in
    ``by_places``, or a country.

    >>> from borderkg.gazetteer import load_gazetteer
    >>> venue_entry(Country("CN", "Китай", ()), load_gazetteer())["kind"]
    'country'
    """
    if isinstance(venue, Municipality):
        return {"name": venue.admin_centre, "kind": "city" if venue.kind == "city_okrug" else "town",
                "raion": None, "oblast": "Смоленская область", "country": "RU"}
    if isinstance(venue, Country):
        return {"name": venue.name, "kind": "country", "raion": None, "oblast": None,
                "country": venue.iso2}
    if venue.country == "BY":
        return {**place_entry(venue, gazetteer), "country": "BY"}
    return {"name": venue.name, "kind": venue.kind, "raion": None,
            "oblast": venue.oblast_id, "country": "RU"}  # oblast: the federal subject


def place_entry(place: Place, gazetteer: Gazetteer) -> dict:
    """A Belarusian place as a ``by_places`` entry: name, kind, raion, oblast (nominative).

    Minsk is its own oblast-level unit with no raion; its city districts count as raions.

    >>> from borderkg.gazetteer import load_gazetteer
    >>> gazetteer = load_gazetteer()
    >>> place_entry(gazetteer.places["by-minsk"], gazetteer)
    {'name': 'Минск', 'kind': 'city', 'raion': None, 'oblast': 'Минск'}
    """
    kind = place.kind
    if kind == "capital":
        return {"name": place.name, "kind": "city", "raion": None, "oblast": place.name}
    if kind == "city_district":
        capital = gazetteer.get(place.oblast_id)
        return {"name": place.name, "kind": "raion", "raion": place.name,
                "oblast": capital.name if capital else None}
    raion = gazetteer.raion_of(place) if kind != "oblast" else None
    oblast = gazetteer.oblast_of(place)
    if raion is None and place.oblast_id and gazetteer.get(place.oblast_id) \
            and gazetteer.get(place.oblast_id).kind == "capital":
        oblast = gazetteer.get(place.oblast_id)  # a settlement inside Minsk
    return {"name": place.name, "kind": kind,
            "raion": raion.name if raion else None,
            "oblast": oblast.name if oblast else None}
