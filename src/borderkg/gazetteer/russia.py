"""Russian towns (hflabs/city, CC BY-SA 4.0): venues of events held in Russia, and the
Russian reading of names that Belarus shares («Кировск», «Светлогорск»)."""

from __future__ import annotations

import csv
from pathlib import Path

HFLABS = "ru_cities_hflabs.csv"
COLUMNS = ["id", "name_ru", "kind", "subject", "lat", "lon", "population"]

_SUBJECT_KINDS = {"обл": "область", "край": "край", "Респ": "Республика", "АО": "автономный округ",
                  "Аобл": "автономная область", "г": ""}


def subject_name(region_type: str, region: str) -> str:
    """The federal subject in the form the reports use.

    >>> subject_name("обл", "Смоленская"), subject_name("г", "Москва"), subject_name("Респ", "Татарстан")
    ('Смоленская область', 'Москва', 'Республика Татарстан')
    """
    word = _SUBJECT_KINDS.get(region_type, region_type)
    if not word:
        return region
    if word == "Республика":
        return f"Республика {region}"
    return region if word.lower() in region.lower() else f"{region} {word}"


def ru_place_rows(src: Path) -> list[dict]:
    """One row per Russian town of the hflabs list (federal cities included)."""
    path = Path(src) / HFLABS
    if not path.exists():
        return []
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            name = record["city"] or record["region"]
            if not name:
                continue
            rows.append({
                "id": f"ru-{record['fias_id'][:8]}",
                "name_ru": name.replace("ё", "е"),
                "kind": "city",
                "subject": subject_name(record["region_type"], record["region"]),
                "lat": record["geo_lat"], "lon": record["geo_lon"],
                "population": record["population"],
            })
    return sorted(rows, key=lambda r: r["id"])
