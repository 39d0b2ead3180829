"""Belarusian settlements: merge GeoNames cities500 with dr5hn places and
choose Russian/Belarusian names.

GeoNames is the backbone (coordinates, population, Cyrillic alternate
names); dr5hn adds Wikidata QIDs, a Belarusian ``native`` name and a
machine-made Russian translation that is only trusted when GeoNames has the
same form (see ``names.choose_russian``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from . import curated, names

MAX_MATCH_KM = 5.0       # dr5hn and GeoNames coordinates of one place differ by up to ~2.6 km
MIN_NAME_SCORE = 0.75    # name similarity needed to merge a dr5hn record into a GeoNames one
DUPLICATE_KM = 3.0       # GeoNames rows with one Russian name closer than this are one place
                         # (e.g. «Horad Krychaw» 2.3 km from «Krychaw»)


@dataclass
class Settlement:
    """One merged settlement; raion/kind/id are filled in by the build."""

    geonames_id: str
    lat: float
    lon: float
    admin1: str
    population: int
    forms: list[str]
    latin: list[str]
    hints: set[str] = field(default_factory=set)
    dr5hn: list[dict] = field(default_factory=list)
    name_ru: str = ""
    name_be: str = ""
    alt_names_ru: list[str] = field(default_factory=list)
    wikidata: str = ""
    name_ru_basis: str = ""
    raion_id: str = ""
    oblast_id: str = ""
    kind: str = ""
    id: str = ""


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance, accurate enough at a few km."""
    dx = (lon1 - lon2) * 111.32 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot((lat1 - lat2) * 110.57, dx)


def latin_key(text: str) -> str:
    """Lower-case ASCII letters of a Latin name («Smarhoń» → smarhon)."""
    text = unicodedata.normalize("NFKD", text)
    text = re.sub(r"^horad\s+|\s+ra[yj]?on$", "", text.lower().strip())
    return re.sub(r"[^a-z]", "", text)


def _strip_status(text: str) -> str:
    """Drop status prefixes dr5hn puts on names («Горад Жодзіна», «Паселак Усход»)."""
    return re.sub(r"^(Горад|Город|Horad|Паселак|Посёлок|Поселок)\s+", "", text or "")


def from_geonames(row: dict) -> Settlement:
    """Build a Settlement from one cities500 row."""
    raw = row["cyrillic_alternatenames"].split("|") + [row["name"]]
    cleaned = [c for c in (names.clean_form(x) for x in raw if x) if c]
    latin = [x for x in row["all_alternatenames"].split("|") + [row["name"]]
             if x and not re.search(r"[^\x00-\u024f’ʼ]", x)]
    return Settlement(
        geonames_id=row["geonameid"], lat=float(row["latitude"]), lon=float(row["longitude"]),
        admin1=row["admin1code"], population=int(row["population"] or 0),
        forms=[f for f, _ in cleaned], latin=latin, hints={h for _, h in cleaned if h},
    )


def _match_score(place: Settlement, rec: dict) -> float:
    """Name similarity of a dr5hn record with a GeoNames settlement."""
    eng = latin_key(rec["name"])
    native = names.fold_yo(_strip_status(rec.get("native") or "")).lower()
    ru = names.fold_yo(_strip_status(rec["translations"].get("ru", ""))).lower()
    best = max((names.similarity(eng, latin_key(x)) for x in place.latin), default=0.0)
    for form in place.forms:
        form = names.fold_yo(form).lower()
        best = max(best, names.similarity(native, form), names.similarity(ru, form))
    return best


def attach_dr5hn(places: list[Settlement], records: list[dict],
                 admin1_of_state: dict[str, str]) -> list[dict]:
    """Attach each non-raion dr5hn record to the best-named GeoNames place of
    the same oblast within MAX_MATCH_KM; return the records left unmatched."""
    unmatched = []
    for rec in records:
        lat, lon = float(rec["latitude"]), float(rec["longitude"])
        admin1 = admin1_of_state.get(rec["state_code"])
        scored = [
            (_match_score(p, rec), -distance_km(lat, lon, p.lat, p.lon), p.geonames_id, p)
            for p in places
            if p.admin1 == admin1 and distance_km(lat, lon, p.lat, p.lon) <= MAX_MATCH_KM
        ]
        scored = [s for s in scored if s[0] >= MIN_NAME_SCORE]
        if scored:
            max(scored, key=lambda s: s[:3])[3].dr5hn.append(rec)
        else:
            unmatched.append(rec)
    return unmatched


def _primary_dr5hn(place: Settlement) -> dict | None:
    """The dr5hn record describing the place itself (not a «Horad …» unit)."""
    plain = [r for r in place.dr5hn if not r["name"].startswith("Horad ")]
    return (plain or place.dr5hn or [None])[0]


def be_to_ru_letters(text: str) -> str:
    """Last-resort letter mapping of a Belarusian name to Russian spelling."""
    text = text.replace("шч", "щ").replace("Шч", "Щ")
    text = re.sub(r"(?<=[жшчЖШЧ])ы", "и", text)
    text = re.sub(r"(?<=\w)э", "е", text)
    return text.translate(str.maketrans("іІўЎ’'", "иИвВьь"))


def choose_names(place: Settlement) -> None:
    """Fill name_ru (+ the basis used), name_be and alt_names_ru."""
    primary = _primary_dr5hn(place)
    prefer = _strip_status(primary["translations"].get("ru", "")) if primary else None
    native = _strip_status(primary.get("native", "")) if primary else None
    uk = {_strip_status(r["translations"].get("uk", "")) for r in place.dr5hn}
    exclude = ({native} | uk) - {prefer, None, ""}
    chosen = names.choose_russian(place.forms, exclude, prefer)
    if place.geonames_id in curated.NAME_RU_OVERRIDES:
        place.name_ru, place.name_ru_basis = curated.NAME_RU_OVERRIDES[place.geonames_id], "curated"
    elif chosen:
        place.name_ru, place.name_ru_basis = chosen, "geonames"
    else:
        be = names.choose_belarusian(place.forms, native, "")
        place.name_ru, place.name_ru_basis = names.fold_yo(be_to_ru_letters(be)), "letter-mapped"
    place.name_be = curated.NAME_BE_OVERRIDES.get(place.geonames_id) or \
        names.choose_belarusian(place.forms, native, place.name_ru)
    alts = names.russian_alt_names(place.forms, place.name_ru, place.name_be, exclude)
    if chosen and chosen != place.name_ru:
        alts = [a for a in alts if a != chosen]
    place.alt_names_ru = [a for a in alts if a not in curated.ALT_NAMES_DROP]


def merge_duplicates(places: list[Settlement]) -> list[Settlement]:
    """Merge GeoNames rows that are one place (same Russian name, < DUPLICATE_KM
    apart, e.g. the two «Нарочь» rows); the lower-numbered id survives."""
    kept: list[Settlement] = []
    for place in sorted(places, key=lambda p: int(p.geonames_id)):
        twin = next((k for k in kept if k.name_ru == place.name_ru and
                     distance_km(k.lat, k.lon, place.lat, place.lon) < DUPLICATE_KM), None)
        if twin is None:
            kept.append(place)
            continue
        twin.dr5hn.extend(place.dr5hn)
        twin.hints |= place.hints
        twin.population = max(twin.population, place.population)
        twin.alt_names_ru = sorted(set(twin.alt_names_ru) | set(place.alt_names_ru))
    return kept


def assign_wikidata(places: list[Settlement], ambiguous: set[str]) -> None:
    """Set the QID from the attached dr5hn records, skipping ambiguous QIDs
    (ones dr5hn gives to several different places/units); curated overrides win."""
    for place in places:
        good = sorted({r["wikiDataId"] for r in place.dr5hn if r.get("wikiDataId")} - ambiguous)
        if place.geonames_id in curated.WIKIDATA_OVERRIDES:
            place.wikidata = curated.WIKIDATA_OVERRIDES[place.geonames_id]
        else:
            place.wikidata = good[0] if good else ""


def load_settlements(gn_rows: list[dict], dr5hn_places: list[dict],
                     admin1_of_state: dict[str, str]) -> tuple[list[Settlement], list[dict]]:
    """Merge sources into named settlements (QIDs are set later, see
    ``assign_wikidata``); also return the unmatched dr5hn records."""
    places = [from_geonames(r) for r in gn_rows]
    unmatched = attach_dr5hn(places, dr5hn_places, admin1_of_state)
    for place in places:
        choose_names(place)
        if not place.population:
            place.population = max((r.get("population") or 0 for r in place.dr5hn), default=0)
    return merge_duplicates(places), unmatched
