"""The 2009 census list of Belarusian settlements (Belstat, source #9 of SOURCES.md).

Every settlement of 100+ inhabitants with its СОАТО code and 2009 kind. The build matches
each row to a settlement the other sources already give (same Russian name in the same
raion: coordinates stay theirs) or adds it, placed at its raion's centre (``coord_source``
says which). The 27 rows that are districts of cities («Ленинский» of Брест, the nine of
Минск) are not settlements: the Minsk ones give the СОАТО code of Minsk's district units.
No geometry is needed here, so this step is cheap.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from . import names

CENSUS = "by_census2009_settlements_belstat.tsv"

# 2009 kind abbreviation → (gazetteer kind, what it stands for).
KINDS = {
    "г": ("town", "город"), "гп": ("urban_settlement", "городской посёлок"),
    "рп": ("urban_settlement", "рабочий посёлок"), "кп": ("urban_settlement", "курортный посёлок"),
    "аг": ("agrotown", "агрогородок"), "д": ("village", "деревня"), "п": ("village", "посёлок"),
    "х": ("village", "хутор"), "с": ("village", "село"), "ст": ("village", "станция"),
    "местечко": ("village", "местечко"),
}
# СОАТО first digit → oblast id (5 is the city of Minsk).
OBLAST_OF_DIGIT = {"1": "by-brest-oblast", "2": "by-vitebsk-oblast", "3": "by-gomel-oblast",
                   "4": "by-grodno-oblast", "5": "by-minsk", "6": "by-minsk-oblast",
                   "7": "by-mogilev-oblast"}


@dataclass(frozen=True)
class CensusRow:
    """One row of the census list, its kind abbreviation split off the name."""

    soato: str
    unit: str
    subunit: str
    abbreviation: str  # «д», «аг», «г» …; "" when the sheet gives none
    name: str
    population: int

    @property
    def oblast_id(self) -> str:
        return OBLAST_OF_DIGIT[self.soato[0]]

    @property
    def kind(self) -> str:
        return KINDS.get(self.abbreviation, ("village", ""))[0]

    @property
    def is_city_district(self) -> bool:
        """«Ленинский» of «г Брест», «Московский р-н» of Minsk: a district, not a settlement."""
        return self.abbreviation == "" and (self.soato[0] == "5" or self.name == self.subunit
                                            or self.unit.endswith("горсовет"))


def split_kind(settlement: str) -> tuple[str, str]:
    """«д Великое Село» → ('д', 'Великое Село'); a name with no abbreviation keeps it all.

    >>> split_kind("аг Добромысли"), split_kind("Сосновый бор")
    (('аг', 'Добромысли'), ('', 'Сосновый бор'))
    """
    head, _, rest = settlement.partition(" ")
    return (head, rest) if head in KINDS and rest else ("", settlement)


def read_census(sources: Path) -> list[CensusRow]:
    """All rows of the census TSV, ё folded in names."""
    with open(sources / CENSUS, encoding="utf-8", newline="") as fh:
        rows = []
        for rec in csv.DictReader(fh, delimiter="\t"):
            abbreviation, name = split_kind(rec["settlement"].strip())
            rows.append(CensusRow(rec["soato"], rec["unit"].strip(), rec["subunit"].strip(),
                                  abbreviation, names.fold_yo(name),
                                  int(rec["population_2009"] or 0)))
    return rows


def city_of_unit(row: CensusRow, rows: list[CensusRow]) -> str | None:
    """The city a «г Брест» or «Оршанский горсовет» unit belongs to (Брест, Орша)."""
    if row.unit.startswith("г "):
        return names.fold_yo(row.unit[2:])
    if row.unit.endswith("горсовет"):
        heads = [r for r in rows if r.unit == row.unit and r.soato.endswith("000000")]
        for head in heads:
            return head.subunit.removeprefix("г ").strip()
    return None


def raion_of_row(row: CensusRow, raion_by_adjective: dict[tuple[str, str], str],
                 raion_of_city: dict[tuple[str, str], str], rows: list[CensusRow]) -> str | None:
    """The raion id of a census row: its «… р-н» unit, or the raion its city lies in."""
    if row.unit.endswith(" р-н"):
        return raion_by_adjective.get((row.oblast_id, names.fold_yo(row.unit[:-4])))
    city = city_of_unit(row, rows)
    return raion_of_city.get((row.oblast_id, city)) if city else None


def _key(name: str) -> str:
    return names.fold_yo(name).lower().replace("-", " ")


def merge_census(rows: list[CensusRow], settlements: list[dict], admin: list[dict]
                 ) -> tuple[list[dict], dict[str, str]]:
    """Settlement rows (TSV dicts) with the census merged in, and the СОАТО codes of the
    Minsk city districts (admin id → code).

    A census row matches a settlement of the same name (or alternative name) in the same
    raion; it adds its СОАТО code, 2009 kind and population. The kind of a matched place
    is raised from «village» to the census's agrotown or urban settlement. A row with no
    match is a new settlement at its raion's centre (``coord_source`` «raion»).
    """
    raions = [a for a in admin if a["kind"] == "raion"]
    raion_by_adjective = {(a["parent_id"], a["adjective"] if a.get("adjective")
                           else a["name_ru"].removesuffix(" район")): a["id"] for a in raions}
    raion_of_city = {(s["oblast_id"], s["name_ru"]): s["raion_id"] for s in settlements
                     if s["kind"] in ("city", "town") and s["raion_id"]}
    by_name: dict[tuple[str, str], list[dict]] = {}
    for place in settlements:
        place.setdefault("coord_source", "geonames")
        for name in (place["name_ru"], *filter(None, place["alt_names_ru"].split("|"))):
            by_name.setdefault((_key(name), place["raion_id"]), []).append(place)
    admin_by_id = {a["id"]: a for a in admin}
    districts = {a["name_ru"].removesuffix(" район"): a["id"] for a in admin
                 if a["kind"] == "city_district"}
    district_soato: dict[str, str] = {}
    pending: list[tuple[CensusRow, str]] = []
    # The most populous rows first, so that «г Барань» (11,662) meets the town Барань
    # before the village «д Барань» (101) of the same raion does.
    for row in sorted(rows, key=lambda r: (-r.population, r.soato, r.name)):
        if row.is_city_district:
            name = row.name.removesuffix(" р-н")
            if row.oblast_id == "by-minsk" and name in districts:
                district_soato[districts[name]] = row.soato
            continue
        raion_id = raion_of_row(row, raion_by_adjective, raion_of_city, rows)
        if raion_id is None:
            raise ValueError(f"census row {row.soato} {row.name}: no raion for unit {row.unit!r}")
        found = [p for p in by_name.get((_key(row.name), raion_id), []) if not p.get("soato")]
        if found:
            _enrich(max(found, key=lambda p: int(p["population"] or 0)), row, raion_id)
        else:
            pending.append((row, raion_id))
    added = [_new_row(row, admin_by_id[raion_id]) for row, raion_id in _match_in_oblast(pending, settlements)]
    _assign_ids(added, {p["id"] for p in settlements})
    return settlements + added, district_soato


def _enrich(place: dict, row: CensusRow, raion_id: str) -> None:
    """Add the census facts to a settlement; the census's raion is the official one."""
    place.update(soato=row.soato, census_kind=row.abbreviation, population_2009=row.population,
                 raion_id=raion_id)
    if place["kind"] == "village" and row.kind != "village":
        place["kind"] = row.kind


def _match_in_oblast(pending: list[tuple[CensusRow, str]], settlements: list[dict]
                     ) -> list[tuple[CensusRow, str]]:
    """Match the rows left over to settlements left over by name within the oblast when the
    name is unique on both sides (GeoNames points near a raion border: Дисна is placed in
    Верхнедвинский, the census says Миорский); return the rows still unmatched."""
    free: dict[tuple[str, str], list[dict]] = {}
    for place in settlements:
        if not place.get("soato") and place["raion_id"]:
            free.setdefault((_key(place["name_ru"]), place["oblast_id"]), []).append(place)
    wanted: dict[tuple[str, str], int] = {}
    for row, raion_id in pending:
        key = (_key(row.name), row.oblast_id)
        wanted[key] = wanted.get(key, 0) + 1
    left = []
    for row, raion_id in pending:
        key = (_key(row.name), row.oblast_id)
        if wanted[key] == 1 and len(free.get(key, [])) == 1:
            _enrich(free[key][0], row, raion_id)
        else:
            left.append((row, raion_id))
    return left


def _new_row(row: CensusRow, raion: dict) -> dict:
    """A settlement only the census gives, placed at its raion's centre."""
    return {"id": "", "name_ru": row.name, "name_be": "", "kind": row.kind, "raion_id": raion["id"],
            "oblast_id": raion["parent_id"], "lat": raion["lat"], "lon": raion["lon"],
            "population": row.population, "geonames_id": "", "wikidata": "", "alt_names_ru": "",
            "soato": row.soato, "census_kind": row.abbreviation, "population_2009": row.population,
            "coord_source": "raion"}


def _assign_ids(added: list[dict], taken: set[str]) -> None:
    """``by-s-<name>``, then ``-<raion>``, then ``-<СОАТО>`` until the id is free."""
    base = {id(r): "by-s-" + names.translit_ru(r["name_ru"]) for r in added}
    clashes: dict[str, int] = {}
    for row in added:
        clashes[base[id(row)]] = clashes.get(base[id(row)], 0) + 1
    for row in sorted(added, key=lambda r: r["soato"] + r["name_ru"]):
        slug = base[id(row)]
        raion = row["raion_id"].removeprefix("by-").removesuffix("-raion")
        for candidate in ([slug] if clashes[slug] == 1 else []) + [f"{slug}-{raion}",
                                                                     f"{slug}-{row['soato']}"]:
            if candidate not in taken:
                break
        else:
            candidate = f"{slug}-{row['soato']}-{len(taken)}"
        row["id"] = candidate
        taken.add(candidate)
