"""Readers for the files in ``data/gazetteer/sources`` (see SOURCES.md there).

Each reader returns plain dicts/lists and does no cleaning beyond parsing, so
the build's decisions stay in one place.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

OSM_TREE = "by_admin_tree_osmbelarus.xml"
OSM_TSV = "by_oblasts_raions_osmbelarus.tsv"
DR5HN = "by_places_dr5hn.json"
GN_ADMIN1 = "geonames_admin1_BY_RU-SMO-BRY-PSK.tsv"
GN_ADMIN2 = "geonames_admin2_BY_RU-SMO-BRY-PSK.tsv"
GN_CITIES = "geonames_cities500_BY_RU-SMO-BRY-PSK.tsv"
SMOLENSK = "smolensk_oblast_districts_DERIVED.tsv"
POLYGONS = "by_adm2_geoboundaries_via_schikita.geojson"



def read_osm_tree(sources: Path) -> tuple[list[dict], str]:
    """OsmBelarus admin tree → (oblasts with their raions, Minsk city OSM id).

    Each oblast: {iso, osm, name_be, name_ru, raions: [{osm, name_be, name_ru}]}.
    ``name_be_correct`` (set on Міёрскі → Мёрскі) wins over ``name_be``.
    """
    root = ET.parse(sources / OSM_TREE).getroot()
    oblasts = []
    for obl in root.findall("Voblasc"):
        raions = [
            {"osm": r.get("osmID"), "name_ru": r.get("name_ru"),
             "name_be": r.get("name_be_correct") or r.get("name_be")}
            for r in obl.findall("Rajon")
        ]
        oblasts.append({"iso": obl.get("iso3166-2"), "osm": obl.get("osmID"),
                        "name_be": obl.get("name_be"), "name_ru": obl.get("name_ru"),
                        "raions": raions})
    minsk = root.find("Horad")
    return oblasts, minsk.get("osmID") if minsk is not None else ""


def read_osm_city_links(sources: Path) -> dict[str, list[str]]:
    """OsmBelarus TSV → {raion OSM id: [OSM ids of cities of oblast subordination in it]}."""
    links: dict[str, list[str]] = {}
    with open(sources / OSM_TSV, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            cities = (row.get("уваходзяць гарады") or "").split()
            if cities and row["даведнік:назва раёну"]:
                links["r" + row["osm:relationID"]] = cities
    return links


def read_geonames_admin(sources: Path) -> tuple[dict[str, tuple[str, str]], list[dict]]:
    """GeoNames admin codes → ({admin1 code: (name, geonameid)}, BY admin2 rows).

    admin2 rows: {admin1, name, geonameid}.
    """
    admin1 = {}
    with open(sources / GN_ADMIN1, encoding="utf-8") as fh:
        for line in fh:
            code, name, _ascii, gid = line.rstrip("\n").split("\t")
            if code.startswith("BY."):
                admin1[code[3:]] = (name, gid)
    admin2 = []
    with open(sources / GN_ADMIN2, encoding="utf-8") as fh:
        for line in fh:
            code, name, _ascii, gid = line.rstrip("\n").split("\t")
            if code.startswith("BY."):
                admin2.append({"admin1": code.split(".")[1], "name": name, "geonameid": gid})
    return admin1, admin2


def read_geonames_cities(sources: Path, country: str = "BY") -> list[dict]:
    """GeoNames cities500 rows of one country (all columns as strings)."""
    with open(sources / GN_CITIES, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r["countrycode"] == country]


def read_dr5hn(sources: Path) -> list[dict]:
    """dr5hn countries-states-cities records for Belarus."""
    with open(sources / DR5HN, encoding="utf-8") as fh:
        return json.load(fh)


def read_smolensk(sources: Path) -> list[dict]:
    """The derived Smolensk-oblast district table (27 rows)."""
    with open(sources / SMOLENSK, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def read_polygons(sources: Path) -> list[dict]:
    """geoBoundaries BLR ADM2 features (GeoJSON dicts)."""
    with open(sources / POLYGONS, encoding="utf-8") as fh:
        return json.load(fh)["features"]
