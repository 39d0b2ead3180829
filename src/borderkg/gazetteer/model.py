"""The gazetteer as the linker and the graph see it: places, municipalities, countries.

Loaded from the TSV files in ``data/gazetteer/`` (built by :mod:`borderkg.gazetteer.build`
from the copied public sources). Loading is cheap (a few thousand rows) and cached.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from borderkg.paths import GAZETTEER

SETTLEMENT_KINDS = ("city", "town", "urban_settlement", "agrotown", "village")


@dataclass(frozen=True)
class Place:
    """A Belarusian (or Russian) place: settlement, raion, oblast, capital or city district."""

    id: str
    name: str
    kind: str
    country: str
    raion_id: str | None = None
    oblast_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    wikidata: str | None = None
    alt_names: tuple[str, ...] = ()
    name_be: str | None = None
    osm_id: str | None = None
    geonames_id: str | None = None
    population: int | None = None
    centre: str | None = None  # a raion's administrative centre (Russian name)
    in_gazetteer: bool = True
    # Names that are also ordinary words, decided by the gazetteer build (None: not decided).
    common_names: tuple[str, ...] | None = None

    @property
    def is_settlement(self) -> bool:
        return self.kind in SETTLEMENT_KINDS or self.kind == "capital"

    @property
    def adjective(self) -> str | None:
        """«Лиозненский» for «Лиозненский район», «Витебская» for «Витебская область»."""
        if self.kind in ("raion", "oblast", "city_district") and " " in self.name:
            return self.name.split()[0]
        return None


@dataclass(frozen=True)
class Municipality:
    """A Smolensk-oblast municipality: one entity across the 2024-2025 renaming."""

    id: str
    name: str
    former_name: str
    adjective: str
    kind: str
    admin_centre: str
    renamed_on: str | None = None
    renamed_note: str = ""
    lat: float | None = None
    lon: float | None = None
    okato: str | None = None
    oktmo_pre2024: str | None = None


@dataclass(frozen=True)
class Country:
    iso2: str
    name: str
    forms: tuple[str, ...]


@dataclass(eq=False)  # compared and hashed by identity: it keys the linking index's cache
class Gazetteer:
    places: dict[str, Place]
    municipalities: dict[str, Municipality]
    countries: dict[str, Country]
    foreign_places: dict[str, str] = field(default_factory=dict)  # name → ISO2

    def get(self, place_id: str | None) -> Place | None:
        return self.places.get(place_id) if place_id else None

    def raion_of(self, place: Place) -> Place | None:
        """The raion a place lies in (a raion is its own raion)."""
        return place if place.kind == "raion" else self.get(place.raion_id)

    def oblast_of(self, place: Place) -> Place | None:
        """The oblast of a place; Minsk and its districts belong to the capital itself."""
        if place.kind in ("oblast", "capital"):
            return place
        return self.get(place.oblast_id)

    @cached_property
    def _settlements_by_name(self) -> dict[tuple[str, str], list[Place]]:
        """Settlements by (name, country): linking asks for raion centres per mention."""
        found: dict[tuple[str, str], list[Place]] = {}
        for place in self.places.values():
            if place.is_settlement:
                found.setdefault((place.name, place.country), []).append(place)
        return found

    def centre_of(self, raion: Place) -> Place | None:
        """The settlement that is a raion's administrative centre (Витебск for Витебский
        район, though a city of oblast subordination may lie outside the raion proper)."""
        if not raion.centre:
            return None
        named = self._settlements_by_name.get((raion.centre, raion.country), [])
        inside = [p for p in named if p.raion_id == raion.id]
        return (inside or named or [None])[0]

    def by_kind(self, *kinds: str) -> list[Place]:
        return [p for p in self.places.values() if p.kind in kinds]


def _merge_capital(places: dict[str, Place]) -> None:
    """Minsk is both an administrative unit (the capital) and a settlement in the sources:
    keep one entity, the capital, with the settlement's coordinates and population."""
    from dataclasses import replace

    for capital in [p for p in places.values() if p.kind == "capital"]:
        twins = [p for p in places.values() if p.kind != "capital" and p.name == capital.name
                 and p.oblast_id == capital.id]
        for twin in twins:
            del places[twin.id]
            places[capital.id] = replace(
                capital, lat=capital.lat or twin.lat, lon=capital.lon or twin.lon,
                population=capital.population or twin.population,
                wikidata=capital.wikidata or twin.wikidata, alt_names=capital.alt_names + twin.alt_names)


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _num(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _alts(value: str | None) -> tuple[str, ...]:
    return tuple(a for a in (value or "").split("|") if a)


@lru_cache(maxsize=4)
def load_gazetteer(directory: Path = GAZETTEER) -> Gazetteer:
    """Load the gazetteer files (cached per directory)."""
    places: dict[str, Place] = {}
    for row in _rows(directory / "by_admin.tsv"):
        kind = row["kind"]
        places[row["id"]] = Place(
            id=row["id"], name=row["name_ru"], kind=kind, country="BY",
            raion_id=row["id"] if kind == "raion" else None,
            oblast_id=(row.get("parent_id") or None) if kind in ("raion", "city_district") else
            (row["id"] if kind in ("oblast", "capital") else None),
            lat=_num(row.get("lat")), lon=_num(row.get("lon")), wikidata=row.get("wikidata") or None,
            name_be=row.get("name_be") or None, osm_id=row.get("osm_id") or None,
            geonames_id=row.get("geonames_id") or None, alt_names=_alts(row.get("alt_names_ru")),
            centre=row.get("centre_ru") or None,
        )
    for row in _rows(directory / "by_settlements.tsv"):
        places[row["id"]] = Place(
            id=row["id"], name=row["name_ru"], kind=row["kind"], country="BY",
            raion_id=row.get("raion_id") or None, oblast_id=row.get("oblast_id") or None,
            lat=_num(row.get("lat")), lon=_num(row.get("lon")), wikidata=row.get("wikidata") or None,
            alt_names=_alts(row.get("alt_names_ru")), name_be=row.get("name_be") or None,
            geonames_id=row.get("geonames_id") or None,
            population=int(float(row["population"])) if row.get("population") else None,
            common_names=_alts(row.get("common_names")) if "common_names" in row else None,
        )
    _merge_capital(places)
    for row in _rows(directory / "ru_places.tsv"):
        places[row["id"]] = Place(
            id=row["id"], name=row["name_ru"], kind=row["kind"], country="RU",
            oblast_id=row.get("subject") or None, lat=_num(row.get("lat")), lon=_num(row.get("lon")),
            alt_names=_alts(row.get("alt_names_ru")),
        )
    municipalities = {
        row["id"]: Municipality(
            id=row["id"], name=row["name"], former_name=row["former_name"],
            adjective=row["adjective"], kind=row["kind"], admin_centre=row["admin_centre"],
            renamed_on=row.get("renamed_on") or None, renamed_note=row.get("renamed_note", ""),
            lat=_num(row.get("lat")), lon=_num(row.get("lon")), okato=row.get("okato") or None,
            oktmo_pre2024=row.get("oktmo_pre2024") or None,
        )
        for row in _rows(directory / "smolensk_municipalities.tsv")
    }
    countries = {
        row["iso2"]: Country(row["iso2"], row["name_ru"], _alts(row.get("forms")))
        for row in _rows(directory / "countries.tsv")
    }
    foreign = {row["name_ru"]: row["iso2"] for row in _rows(directory / "foreign_regions.tsv")}
    return Gazetteer(places, municipalities, countries, foreign)
