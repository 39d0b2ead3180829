"""Build the gazetteer TSV/GeoJSON files from ``data/gazetteer/sources``.

Run ``python -m borderkg.gazetteer.build [--sources DIR] [--out DIR]``. The output
is deterministic: rows are sorted by id and nothing depends on time or on
dict/set iteration order, so a rebuild gives byte-identical files.
See ``data/gazetteer/sources/SOURCES.md`` for the sources, the column
sources and the rules (kind, Russian name choice, raion assignment).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import click
from shapely.geometry import Point

from borderkg.paths import GAZETTEER

from . import census, curated, geo, names, russia, sources, world
from .settlements import Settlement, assign_wikidata, latin_key, load_settlements

DEFAULT_SOURCES = GAZETTEER / "sources"
DEFAULT_OUT = GAZETTEER

SMOLENSK_COLUMNS = ["id", "name", "former_name", "adjective", "kind", "renamed_on",
                    "renamed_note", "admin_centre", "lat", "lon", "okato", "oktmo_pre2024",
                    "centre_geonames_id", "alt_names"]
ADMIN_COLUMNS = ["id", "kind", "name_ru", "name_be", "parent_id", "iso", "osm_id",
                 "geonames_id", "wikidata", "centre_ru", "lat", "lon", "soato"]
SETTLEMENT_COLUMNS = ["id", "name_ru", "name_be", "kind", "raion_id", "oblast_id", "lat",
                      "lon", "population", "geonames_id", "wikidata", "alt_names_ru", "soato",
                      "census_kind", "population_2009", "coord_source", "common_names"]

SMOLENSK_LAW_NOTE = ("law of Smolensk oblast of 10.06.2024 N 134-з (docs.cntd.ru text for "
                     "«Смоленский муниципальный округ»); date of effect not verified")
REFORM_NOTE = "2024-2025 reform, exact date unknown"
TOWN_MIN_POPULATION = 10_000      # heuristic, see README: no source gives town status
URBAN_SETTLEMENT_MIN_POPULATION = 2_000


def fmt_coord(value: float | None) -> str:
    """Coordinates with 5 decimals (≈1 m), '' if unknown."""
    return "" if value is None else f"{value:.5f}"


def write_tsv(path: Path, columns: list[str], rows: list[dict]) -> int:
    """Write rows (sorted by the caller) as UTF-8 TSV with a header; return the count."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return len(rows)


# --- Smolensk oblast ---------------------------------------------------------

def smolensk_rows(src: Path) -> list[dict]:
    """27 municipalities from the derived table, checked against GeoNames."""
    centres = {r["geonameid"]: r for r in sources.read_geonames_cities(src, "RU")}
    rows = []
    for rec in sources.read_smolensk(src):
        unit = rec["unit_ru"]
        centre = centres[rec["centre_geonameid"]]  # KeyError = inconsistent sources
        if abs(float(centre["latitude"]) - float(rec["centre_lat"])) > 1e-4:
            raise ValueError(f"centre coordinates disagree for {unit}")
        is_city = rec["unit_kind"] == "городской округ"
        adjective = "" if is_city else names.fold_yo(unit)
        name = unit if is_city else f"{adjective} муниципальный округ"
        former = unit if is_city else f"{adjective} район"
        alt = [] if unit == names.fold_yo(unit) else [f"{unit} муниципальный округ", f"{unit} район"]
        rows.append({
            "id": names.translit_ru(names.fold_yo(unit).replace("город ", "")),
            "name": name, "former_name": former, "adjective": adjective,
            "kind": "city_okrug" if is_city else "municipal_okrug", "renamed_on": "",
            "renamed_note": "" if is_city else (SMOLENSK_LAW_NOTE if unit == "Смоленский" else REFORM_NOTE),
            "admin_centre": names.fold_yo(rec["admin_centre_ru"]),
            "lat": fmt_coord(float(rec["centre_lat"])), "lon": fmt_coord(float(rec["centre_lon"])),
            "okato": rec["okato_unit_prefix"], "oktmo_pre2024": rec["oktmo_unit_pre2024"],
            "centre_geonames_id": rec["centre_geonameid"], "alt_names": "|".join(alt),
        })
    return sorted(rows, key=lambda r: r["id"])


# --- Belarus administrative units ---------------------------------------------

def _greedy_match(scores: list[tuple[float, str, str]], minimum: float) -> dict[str, str]:
    """One-to-one matching (left → right) by descending score."""
    out, used = {}, set()
    for score, left, right in sorted(scores, key=lambda s: (-s[0], s[1], s[2])):
        if score >= minimum and left not in out and right not in used:
            out[left] = right
            used.add(right)
    return out


def _is_raion_name(name: str) -> bool:
    return name.split()[-1] in ("Rayon", "Raion", "Rajon")


def match_geonames_raions(oblasts: list[dict], admin2: list[dict]) -> dict[str, str]:
    """Raion OSM id → GeoNames admin2 id, by romanised-name similarity per oblast."""
    scores = []
    for obl in oblasts:
        code = curated.OBLASTS[obl["iso"]][2]
        rows = [r for r in admin2 if r["admin1"] == code and _is_raion_name(r["name"])
                and r["geonameid"] not in curated.EXCLUDED_GEONAMES_ADMIN2]
        for raion in obl["raions"]:
            be = names.bgn_key(raion["name_be"].replace(" раён", ""), names.BGN_BE)
            ru = names.bgn_key(raion["name_ru"].replace(" район", ""), names.BGN_RU)
            for row in rows:
                key = latin_key(row["name"])
                score = max(names.similarity(be, key), names.similarity(ru, key))
                scores.append((score, raion["osm"], row["geonameid"]))
    matched = _greedy_match(scores, 0.6)
    if len(matched) != sum(len(o["raions"]) for o in oblasts):
        raise ValueError("not every raion has a GeoNames admin2 id")
    return matched


def match_dr5hn_raions(oblasts: list[dict], records: list[dict]) -> dict[str, dict]:
    """Raion OSM id → dr5hn record, by similarity of the Belarusian names per oblast."""
    scores, by_id = [], {str(r["id"]): r for r in records}
    for obl in oblasts:
        state = curated.OBLASTS[obl["iso"]][3]
        for raion in obl["raions"]:
            for rec in records:
                if rec["state_code"] == state:
                    score = names.similarity(raion["name_be"], rec.get("native") or "")
                    scores.append((score, raion["osm"], str(rec["id"])))
    return {k: by_id[v] for k, v in _greedy_match(scores, 0.75).items()}


def _find_place(places: list[Settlement], name: str, admin1: str | None) -> Settlement:
    """The settlement called ``name`` (name_ru or alt), within admin1 if given."""
    hits = [p for p in places if (admin1 is None or p.admin1 == admin1)
            and (p.name_ru == name or name in map(names.fold_yo, p.alt_names_ru))]
    if not hits:
        raise ValueError(f"centre {name!r} not found among settlements")
    return max(hits, key=lambda p: (p.population, -int(p.geonames_id)))


def admin_units(src: Path, places: list[Settlement]) -> tuple[list[dict], dict[str, Settlement]]:
    """Oblasts, Minsk, raions and Minsk districts (rows without lat/lon checks),
    plus raion id → centre settlement."""
    oblasts, minsk_osm = sources.read_osm_tree(src)
    admin1, admin2 = sources.read_geonames_admin(src)
    dr5hn = sources.read_dr5hn(src)
    raion_recs = [r for r in dr5hn if _is_raion_name(r["name"]) and r["state_code"] != "HM"]
    gn_ids = match_geonames_raions(oblasts, admin2)
    dr_of = match_dr5hn_raions(oblasts, raion_recs)
    minsk_place = _find_place(places, curated.MINSK["name_ru"], curated.MINSK["admin1"])
    rows = [{"id": curated.MINSK["id"], "kind": "capital", "name_ru": curated.MINSK["name_ru"],
             "name_be": curated.MINSK["name_be"], "iso": curated.MINSK["iso"], "osm_id": minsk_osm,
             "geonames_id": admin1[curated.MINSK["admin1"]][1], "centre_ru": curated.MINSK["name_ru"],
             "lat": fmt_coord(minsk_place.lat), "lon": fmt_coord(minsk_place.lon)}]
    centres: dict[str, Settlement] = {}
    for obl in oblasts:
        obl_id, centre_ru, code, _state = curated.OBLASTS[obl["iso"]]
        centre = _find_place(places, centre_ru, None)
        rows.append({"id": obl_id, "kind": "oblast", "name_ru": names.fold_yo(obl["name_ru"]),
                     "name_be": obl["name_be"], "iso": obl["iso"], "osm_id": obl["osm"],
                     "geonames_id": admin1[code][1], "centre_ru": centre_ru,
                     "lat": fmt_coord(centre.lat), "lon": fmt_coord(centre.lon)})
        for raion in obl["raions"]:
            adjective = names.fold_yo(raion["name_ru"]).replace(" район", "")
            centre_ru = curated.RAION_CENTRES[adjective]
            centre = _find_place(places, centre_ru, None if adjective in curated.CENTRE_OUTSIDE else code)
            raion_id = f"by-{names.translit_be(centre.name_be)}-raion"
            centres[raion_id] = centre
            rec = dr_of.get(raion["osm"], {})
            rows.append({"id": raion_id, "kind": "raion", "name_ru": names.fold_yo(raion["name_ru"]),
                         "name_be": raion["name_be"], "parent_id": obl_id, "osm_id": raion["osm"],
                         "geonames_id": gn_ids[raion["osm"]], "wikidata": rec.get("wikiDataId", ""),
                         "centre_ru": centre_ru, "lat": fmt_coord(centre.lat),
                         "lon": fmt_coord(centre.lon), "adjective": adjective,
                         "_dr5hn_id": str(rec.get("id", ""))})
    rows.extend(minsk_districts(admin2, dr5hn))
    return rows, centres


def minsk_districts(admin2: list[dict], dr5hn: list[dict]) -> list[dict]:
    """Minsk city districts: curated names, GeoNames ids, dr5hn QIDs/coordinates."""
    gn = {latin_key(r["name"]): r["geonameid"] for r in admin2 if r["admin1"] == "04"}
    dr = {latin_key(r["name"]): r for r in dr5hn if r["state_code"] == "HM" and _is_raion_name(r["name"])}
    rows = []
    for name_ru, name_be, english in curated.MINSK_DISTRICTS:
        rec = dr.get(latin_key(english), {})
        lat, lon = rec.get("latitude"), rec.get("longitude")
        rows.append({"id": "by-minsk-" + names.translit_ru(name_ru.replace(" район", "")),
                     "kind": "city_district", "name_ru": name_ru, "name_be": name_be,
                     "parent_id": curated.MINSK["id"], "geonames_id": gn[latin_key(english)],
                     "wikidata": rec.get("wikiDataId", ""), "_dr5hn_id": str(rec.get("id", "")),
                     "lat": fmt_coord(float(lat)) if lat else "", "lon": fmt_coord(float(lon)) if lon else ""})
    return rows


def ambiguous_qids(dr5hn: list[dict], places: list[Settlement], rows: list[dict]) -> set[str]:
    """QIDs that dr5hn gives to records ending up in different units/places
    (e.g. Q2091651 on both Несвижский район and Орша): they cannot be trusted."""
    owner = {str(r["id"]): "place:" + p.geonames_id for p in places for r in p.dr5hn}
    owner.update({row["_dr5hn_id"]: "admin:" + row["id"] for row in rows if row.get("_dr5hn_id")})
    users: dict[str, set[str]] = {}
    for rec in dr5hn:
        if rec.get("wikiDataId"):
            users.setdefault(rec["wikiDataId"], set()).add(owner.get(str(rec["id"]), f"rec:{rec['id']}"))
    return {qid for qid, who in users.items() if len(who) > 1}


def apply_qids(rows: list[dict], places: list[Settlement], ambiguous: set[str]) -> None:
    """Blank ambiguous QIDs on admin rows, set settlement QIDs; overrides win."""
    for row in rows:
        if row["id"] in curated.WIKIDATA_OVERRIDES:
            row["wikidata"] = curated.WIKIDATA_OVERRIDES[row["id"]]
        elif row.get("wikidata") in ambiguous:
            row["wikidata"] = ""
    assign_wikidata(places, ambiguous)


# --- settlements: raion, kind, id -------------------------------------------------

def _set_area(place: Settlement, area: str, parent_of: dict[str, str]) -> None:
    """Raion/oblast from an area id; Minsk city → oblast by-minsk, no raion."""
    if area == curated.MINSK["id"]:
        place.raion_id, place.oblast_id = "", area
    else:
        place.raion_id, place.oblast_id = area, parent_of.get(area, "")


def locate_settlements(places: list[Settlement], areas: list[geo.Area],
                       parent_of: dict[str, str], oblast_of_admin1: dict[str, str]) -> None:
    """Raion/oblast by point-in-polygon. Where the polygon's oblast contradicts
    GeoNames' admin1 (villages just outside Minsk that the generalised Minsk
    polygon swallows), the nearest area of the GeoNames oblast wins if it is
    within ``geo.NEAREST_MAX_DEG``."""
    for place in places:
        area = geo.locate(areas, place.lat, place.lon)
        _set_area(place, area, parent_of)
        expected = oblast_of_admin1.get(place.admin1, "")
        if expected and place.oblast_id != expected:
            among = {a for a, o in parent_of.items() if o == expected} | ({expected} & {curated.MINSK["id"]})
            fallback = geo.locate(areas, place.lat, place.lon, among)
            if fallback or not area:
                _set_area(place, fallback, parent_of)
                place.oblast_id = place.oblast_id or expected


def oblast_subordination_cities(places: list[Settlement], areas: list[geo.Area],
                                links: dict[str, list[str]], raion_of_osm: dict[str, str]
                                ) -> dict[str, str]:
    """GeoNames id → raion of the separate city territories that OsmBelarus
    lists inside raions: the most populous settlements in or next to (within
    ``geo.NEAREST_MAX_DEG``) the raion polygon, Minsk city excluded. The raion
    comes from OsmBelarus, which fixes Жодино (its point falls just inside the
    Borisov polygon, but its territory is enclosed by Smolevichi raion)."""
    polygons = {a.id: a.geometry for a in areas}
    out = {}
    for osm, cities in sorted(links.items()):
        raion = raion_of_osm[osm]
        near = [p for p in places if p.oblast_id != curated.MINSK["id"]
                and polygons[raion].distance(Point(p.lon, p.lat)) <= geo.NEAREST_MAX_DEG]
        for place in sorted(near, key=lambda p: (-p.population, p.geonames_id))[:len(cities)]:
            out[place.geonames_id] = raion
    return out


def classify(place: Settlement, cities: set[str], centres: set[str]) -> str:
    """Settlement kind; SOURCES.md says which parts are sourced and which heuristic."""
    if place.geonames_id in cities:
        return "city"
    for hint in ("agrotown", "urban_settlement"):
        if hint in place.hints:
            return hint
    if place.geonames_id in centres or place.population >= TOWN_MIN_POPULATION:
        return "town"
    if place.population >= URBAN_SETTLEMENT_MIN_POPULATION:
        return "urban_settlement"
    return "village"


def assign_ids(places: list[Settlement]) -> None:
    """``by-s-<translit of name_ru>``; homonyms get their raion (or oblast) appended."""
    base = {p.geonames_id: "by-s-" + names.translit_ru(p.name_ru) for p in places}
    counts = Counter(base.values())
    for place in places:
        place.id = base[place.geonames_id]
        if counts[place.id] > 1:
            where = (place.raion_id or place.oblast_id).removeprefix("by-").removesuffix("-raion")
            place.id = f"{place.id}-{where.removesuffix('-oblast')}"
    again = Counter(p.id for p in places)
    for place in places:
        if again[place.id] > 1:
            place.id = f"{place.id}-{place.geonames_id}"


def settlement_row(place: Settlement) -> dict:
    """TSV row of one settlement."""
    return {"id": place.id, "name_ru": place.name_ru, "name_be": place.name_be,
            "kind": place.kind, "raion_id": place.raion_id, "oblast_id": place.oblast_id,
            "lat": fmt_coord(place.lat), "lon": fmt_coord(place.lon),
            "population": place.population or "", "geonames_id": place.geonames_id,
            "wikidata": place.wikidata, "alt_names_ru": "|".join(place.alt_names_ru)}


def common_names(row: dict) -> list[str]:
    """The names of a settlement that are also ordinary Russian words («Горки», «Дружба»):
    the linker asks a cue for them. Decided here, once, so that runtime needs no
    morphological analysis of 5,000 names."""
    from borderkg.nlp import is_common_word

    names_ = [row["name_ru"], *filter(None, row["alt_names_ru"].split("|"))]
    return [name for name in names_ if is_common_word(name)]


# --- orchestration -------------------------------------------------------------------

def label_areas(src: Path, raions: dict[str, dict], centres: dict[str, Settlement],
                minsk: Settlement) -> list[geo.Area]:
    """Label the polygons from the raion centres (and Minsk for the city polygon)."""
    outside = {rid for rid, r in raions.items() if r["adjective"] in curated.CENTRE_OUTSIDE}
    in_own = {rid: (raions[rid]["name_ru"], Point(c.lon, c.lat))
              for rid, c in centres.items() if rid not in outside}
    in_own[curated.MINSK["id"]] = (curated.MINSK["name_ru"], Point(minsk.lon, minsk.lat))
    leftovers = {rid: raions[rid]["name_ru"] for rid in outside}
    return geo.label_polygons(sources.read_polygons(src), in_own, leftovers)


def place_settlements(src: Path, places: list[Settlement], areas: list[geo.Area],
                      raions: dict[str, dict], centres: dict[str, Settlement],
                      minsk: Settlement) -> None:
    """Fill raion, oblast, kind and id of every settlement; check the centres."""
    parent_of = {rid: r["parent_id"] for rid, r in raions.items()}
    oblast_of_admin1 = {v[2]: v[0] for v in curated.OBLASTS.values()}
    oblast_of_admin1[curated.MINSK["admin1"]] = curated.MINSK["id"]
    locate_settlements(places, areas, parent_of, oblast_of_admin1)
    raion_of_osm = {r["osm_id"]: rid for rid, r in raions.items()}
    city_raions = oblast_subordination_cities(places, areas, sources.read_osm_city_links(src), raion_of_osm)
    for place in places:
        if place.geonames_id in city_raions:
            _set_area(place, city_raions[place.geonames_id], parent_of)
    for raion_id, centre in centres.items():
        if raions[raion_id]["adjective"] not in curated.CENTRE_OUTSIDE and centre.raion_id != raion_id:
            raise ValueError(f"centre of {raion_id} located in {centre.raion_id!r}")
    cities = set(city_raions) | {minsk.geonames_id}
    cities |= {_find_place(places, c[1], None).geonames_id for c in curated.OBLASTS.values()}
    centre_ids = {c.geonames_id for c in centres.values()}
    for place in places:
        place.kind = classify(place, cities, centre_ids)
    assign_ids(places)


def write_outputs(out: Path, src: Path, admin: list[dict], places: list[Settlement],
                  areas: list[geo.Area]) -> dict[str, int]:
    """Write the six files; return row (feature) counts per file name."""
    countries, regions = world.country_rows()
    settlements, district_soato = census.merge_census(
        census.read_census(src), [settlement_row(p) for p in places], admin)
    for row in admin:
        row["soato"] = district_soato.get(row["id"], "")
    for row in settlements:
        row["common_names"] = "|".join(common_names(row))
    tables = {
        "smolensk_municipalities.tsv": (SMOLENSK_COLUMNS, smolensk_rows(src)),
        "by_admin.tsv": (ADMIN_COLUMNS, sorted(admin, key=lambda r: r["id"])),
        "by_settlements.tsv": (SETTLEMENT_COLUMNS, sorted(settlements, key=lambda r: r["id"])),
        "countries.tsv": (["iso2", "name_ru", "forms"], countries),
        "foreign_regions.tsv": (["name_ru", "iso2", "kind"], regions),
        "ru_places.tsv": (russia.COLUMNS, russia.ru_place_rows(src)),
    }
    counts = {name: write_tsv(out / name, cols, rows) for name, (cols, rows) in tables.items()}
    with open(out / "raion_polygons.geojson", "w", encoding="utf-8", newline="\n") as fh:
        json.dump(geo.to_geojson(areas), fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    counts["raion_polygons.geojson"] = len(areas)
    return counts


def build(sources_dir: Path | str = DEFAULT_SOURCES, out_dir: Path | str = DEFAULT_OUT) -> dict[str, int]:
    """Regenerate all gazetteer files in ``out_dir``; return row counts per file."""
    src, out = Path(sources_dir), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    dr5hn = sources.read_dr5hn(src)
    state_to_admin1 = {v[3]: v[2] for v in curated.OBLASTS.values()}
    state_to_admin1[curated.MINSK["state_code"]] = curated.MINSK["admin1"]
    place_recs = [r for r in dr5hn if not _is_raion_name(r["name"])]
    places, _unmatched = load_settlements(sources.read_geonames_cities(src), place_recs, state_to_admin1)
    admin, centres = admin_units(src, places)
    apply_qids(admin, places, ambiguous_qids(dr5hn, places, admin))
    raions = {r["id"]: r for r in admin if r["kind"] == "raion"}
    minsk = _find_place(places, curated.MINSK["name_ru"], curated.MINSK["admin1"])
    areas = label_areas(src, raions, centres, minsk)
    place_settlements(src, places, areas, raions, centres, minsk)
    return write_outputs(out, src, admin, places, areas)


@click.command(name="gazetteer")
@click.option("--sources", "sources_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=DEFAULT_SOURCES, show_default=True, help="Folder of the copied public sources.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_OUT, show_default=True, help="Folder the gazetteer files are written to.")
def main(sources_dir: Path, out_dir: Path) -> None:
    """Rebuild the gazetteer files from the public sources (a developer command: it needs
    shapely; the product only reads the TSV files it writes)."""
    counts = build(sources_dir, out_dir)
    click.echo("gazetteer built: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
