"""The event record: one extracted event in exactly the schema of the gold annotation."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from borderkg.gazetteer import Gazetteer, Place


@dataclass
class EventRecord:
    """One event as the gold annotation (``shared/gold/GUIDE.md``) describes it."""

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
        """
        data = {
            "doc": self.doc, "n": self.n, "municipality": self.municipality,
        }
        if self.ru_municipalities is not None:
            data["ru_municipalities"] = self.ru_municipalities
        data.update({
            "date_start": self.date_start, "date_end": self.date_end, "online": self.online,
            "venue": self.venue, "by_places": self.by_places,
            "by_country_mentioned": self.by_country_mentioned, "countries": self.countries,
            "by_orgs": self.by_orgs, "twins": self.twins, "agreements": self.agreements,
        })
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def place_entry(place: Place, gazetteer: Gazetteer) -> dict:
    """A Belarusian place as a ``by_places`` entry: name, kind, raion, oblast (nominative).

    Minsk is its own oblast-level unit with no raion; its city districts count as raions.
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
