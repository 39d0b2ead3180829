"""Invariants of the gazetteer files built by borderkg.gazetteer.build."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from borderkg.gazetteer import build, names

ROOT = Path(__file__).resolve().parents[1]
GAZ = ROOT / "data" / "gazetteer"
SOURCES = GAZ / "sources"
OUTPUTS = ("smolensk_municipalities.tsv", "by_admin.tsv", "by_settlements.tsv",
           "countries.tsv", "foreign_regions.tsv", "raion_polygons.geojson")


def read_tsv(name: str) -> list[dict[str, str]]:
    with open(GAZ / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture(scope="module")
def admin() -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in read_tsv("by_admin.tsv")}


@pytest.fixture(scope="module")
def settlements() -> list[dict[str, str]]:
    return read_tsv("by_settlements.tsv")


@pytest.fixture(scope="module")
def polygons() -> dict[str, object]:
    with open(GAZ / "raion_polygons.geojson", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    return {f["properties"]["id"]: shape(f["geometry"]) for f in features}


def raion_named(admin, name_ru: str) -> str:
    return next(r["id"] for r in admin.values() if r["kind"] == "raion" and r["name_ru"] == name_ru)


# --- Smolensk oblast ---------------------------------------------------------------

def test_smolensk_has_27_municipalities_with_both_name_forms():
    rows = read_tsv("smolensk_municipalities.tsv")
    assert len(rows) == 27
    assert len({r["id"] for r in rows}) == 27
    kinds = [r["kind"] for r in rows]
    assert kinds.count("municipal_okrug") == 25 and kinds.count("city_okrug") == 2
    for row in rows:
        assert row["name"] and row["former_name"] and row["admin_centre"]
        assert row["lat"] and row["lon"] and row["centre_geonames_id"]
        if row["kind"] == "municipal_okrug":
            assert row["name"] == f"{row['adjective']} муниципальный округ"
            assert row["former_name"] == f"{row['adjective']} район"
            assert row["renamed_note"]
    by_id = {r["id"]: r for r in rows}
    assert by_id["khislavichsky"]["name"] == "Хиславичский муниципальный округ"
    assert by_id["khislavichsky"]["former_name"] == "Хиславичский район"
    assert by_id["khislavichsky"]["admin_centre"] == "Хиславичи"
    assert by_id["smolensk"]["name"] == by_id["smolensk"]["former_name"] == "город Смоленск"
    assert by_id["desnogorsk"]["name"] == "город Десногорск"
    # The district around Smolensk is a different unit with its own adjective.
    assert by_id["smolensky"]["adjective"] == "Смоленский"
    assert by_id["smolensky"]["admin_centre"] == "Смоленск"
    assert "134-з" in by_id["smolensky"]["renamed_note"]
    assert by_id["smolensk"]["adjective"] == ""
    assert "Тёмкинский район" in by_id["temkinsky"]["alt_names"].split("|")
    assert by_id["kholm-zhirkovsky"]["adjective"] == "Холм-Жирковский"


# --- Belarus admin units ---------------------------------------------------------------

def test_admin_counts(admin):
    kinds = [r["kind"] for r in admin.values()]
    assert kinds.count("oblast") == 6
    assert kinds.count("capital") == 1
    assert kinds.count("raion") == 118
    assert kinds.count("city_district") == 9
    assert admin["by-vitebsk-oblast"]["name_ru"] == "Витебская область"
    assert admin["by-vitebsk-oblast"]["iso"] == "BY-VI"
    assert admin["by-minsk"]["kind"] == "capital" and admin["by-minsk"]["iso"] == "BY-HM"
    assert admin["by-minsk-moskovsky"]["parent_id"] == "by-minsk"
    assert admin["by-liozna-raion"]["name_ru"] == "Лиозненский район"


def test_every_raion_has_oblast_centre_and_ids(admin):
    raions = [r for r in admin.values() if r["kind"] == "raion"]
    for raion in raions:
        assert admin[raion["parent_id"]]["kind"] == "oblast", raion["id"]
        assert raion["centre_ru"] and raion["lat"] and raion["lon"], raion["id"]
        assert raion["name_ru"].endswith(" район") and raion["name_be"].endswith(" раён")
        assert raion["osm_id"].startswith("r") and raion["geonames_id"]
    assert len({r["geonames_id"] for r in raions}) == 118
    names_ru = {r["name_ru"] for r in raions}
    assert "Мстиславский район" in names_ru
    assert not any(n.startswith("Уварович") for n in names_ru)
    per_oblast = {o: sum(r["parent_id"] == o for r in raions) for o in
                  ("by-brest-oblast", "by-vitebsk-oblast", "by-gomel-oblast",
                   "by-grodno-oblast", "by-mogilev-oblast", "by-minsk-oblast")}
    assert per_oblast == {"by-brest-oblast": 16, "by-vitebsk-oblast": 21, "by-gomel-oblast": 21,
                          "by-grodno-oblast": 17, "by-mogilev-oblast": 21, "by-minsk-oblast": 22}
    assert admin[raion_named(admin, "Витебский район")]["centre_ru"] == "Витебск"
    assert admin[raion_named(admin, "Минский район")]["centre_ru"] == "Минск"


# --- settlements -----------------------------------------------------------------

def test_settlement_ids_unique_and_kinds_known(settlements):
    assert len(settlements) > 300
    assert len({s["id"] for s in settlements}) == len(settlements)
    assert all(s["id"].startswith("by-s-") for s in settlements)
    assert {s["kind"] for s in settlements} <= {"city", "town", "urban_settlement", "agrotown", "village"}


def test_every_located_settlement_has_raion_or_is_in_minsk(settlements, admin):
    for s in settlements:
        if not (s["lat"] and s["lon"]):
            continue
        if s["oblast_id"] == "by-minsk":
            assert s["raion_id"] == "", s["id"]
        else:
            assert admin[s["raion_id"]]["kind"] == "raion", s["id"]
            assert admin[s["raion_id"]]["parent_id"] == s["oblast_id"], s["id"]


def test_raion_centres_fall_in_their_own_raion(settlements, admin, polygons):
    for raion in (r for r in admin.values() if r["kind"] == "raion"):
        centre = [s for s in settlements if s["name_ru"] == raion["centre_ru"]
                  and (s["raion_id"] == raion["id"] or s["oblast_id"] == "by-minsk")]
        assert centre, f"no centre settlement for {raion['id']}"
        point = Point(float(raion["lon"]), float(raion["lat"]))
        if raion["centre_ru"] == "Минск":   # Minsk is a city outside Minsk raion
            assert polygons["by-minsk"].covers(point)
        else:
            assert centre[0]["raion_id"] == raion["id"]
            assert polygons[raion["id"]].covers(point), raion["id"]


@pytest.mark.parametrize("settlement, raion", [
    ("Лиозно", "Лиозненский район"),
    ("Барань", "Оршанский район"),
    ("Хотимск", "Хотимский район"),
    ("Горки", "Горецкий район"),
    ("Новополоцк", "Полоцкий район"),
    ("Мачулищи", "Минский район"),
    ("Буйничи", "Могилевский район"),
    ("Мстиславль", "Мстиславский район"),
    ("Дрибин", "Дрибинский район"),
    ("Жодино", "Смолевичский район"),
])
def test_spot_checks(settlement, raion, settlements, admin):
    # With the census, homonyms abound: the spot check is the most populous place of the name.
    rows = sorted((s for s in settlements if s["name_ru"] == settlement),
                  key=lambda s: -int(s["population"] or 0))
    assert rows, settlement
    assert rows[0]["raion_id"] == raion_named(admin, raion)


def test_russian_names_and_alt_names(settlements):
    by_name = {s["name_ru"]: s for s in settlements}
    assert "Минск" in by_name and by_name["Минск"]["oblast_id"] == "by-minsk"
    assert by_name["Минск"]["kind"] == "city" and by_name["Минск"]["raion_id"] == ""
    assert by_name["Витебск"]["name_be"] == "Віцебск"
    assert "Могилёв" in by_name["Могилев"]["alt_names_ru"].split("|")
    assert not any("ё" in s["name_ru"] for s in settlements)
    for s in settlements:     # no Belarusian-only letters in Russian fields
        assert not set(s["name_ru"] + s["alt_names_ru"]) & set("іўІЎ"), s["id"]
    for absent in ("Віцебск", "Магілёў", "Мазыр"):
        assert absent not in by_name
    assert by_name["Новополоцк"]["kind"] == "city"
    assert by_name["Лиозно"]["kind"] in ("town", "urban_settlement")


def test_polygons_cover_raions_and_minsk(polygons, admin):
    raion_ids = {r["id"] for r in admin.values() if r["kind"] == "raion"}
    assert set(polygons) == raion_ids | {"by-minsk"}
    text = (GAZ / "raion_polygons.geojson").read_text(encoding="utf-8")
    assert '"id":"by-drybin-raion"' in text
    coords = json.loads(text)["features"][0]["geometry"]["coordinates"]
    while isinstance(coords[0], list):
        coords = coords[0]
    assert all(round(c, 4) == c for c in coords)


# --- countries ---------------------------------------------------------------------

def test_countries_and_foreign_regions():
    countries = {r["iso2"]: r for r in read_tsv("countries.tsv")}
    assert len(countries) >= 60
    required = {"BY", "KZ", "KG", "TJ", "UZ", "TM", "AM", "AZ", "MD", "UA", "GE", "AB", "OS",
                "LT", "LV", "EE", "PL", "CN", "IN", "MN", "VN", "RS", "US", "CU", "KE", "MG",
                "NP", "HU", "TR", "IR", "EG", "JP", "KR", "KP", "DE", "FR", "IT", "ES"}
    assert required <= set(countries)
    for row in countries.values():
        assert row["forms"].split("|")[0] == row["name_ru"]
    assert {"Китай", "КНР", "Китайская Народная Республика"} <= set(countries["CN"]["forms"].split("|"))
    assert {"Молдавия", "Молдова", "Республика Молдова"} <= set(countries["MD"]["forms"].split("|"))
    assert "Белоруссия" in countries["BY"]["forms"].split("|")
    regions = {r["name_ru"]: r for r in read_tsv("foreign_regions.tsv")}
    assert regions["Гагаузия"]["iso2"] == "MD" and regions["Бхопал"]["iso2"] == "IN"
    assert regions["Пекин"]["iso2"] == "CN"
    assert all(r["iso2"] in countries and r["kind"] in ("region", "city") for r in regions.values())


# --- helpers and reproducibility -----------------------------------------------------

@pytest.mark.parametrize("text, slug", [("Хиславичский", "khislavichsky"), ("Московский", "moskovsky"),
                                        ("Холм-Жирковский", "kholm-zhirkovsky")])
def test_translit_ru(text, slug):
    assert names.translit_ru(text) == slug


def test_translit_be():
    assert names.translit_be("Лёзна") == "liozna"
    assert names.translit_be("Мар’іна Горка") == "marina-horka"


def test_choose_russian_prefers_russian_spelling():
    forms = ["Магілёў", "Могилев", "Могильов", "Могилёв", "Мәгилев"]
    assert names.choose_russian(forms, set(), None) == "Могилев"
    assert names.choose_russian(["Мазыр", "Мозир", "Мозырь"], {"Мазыр"}, None) == "Мозырь"
    assert names.choose_russian(["Кареличи", "Кореличи"], set(), "Кареличи") == "Кореличи"


def test_rebuild_is_byte_identical(tmp_path):
    first = build.build(SOURCES, tmp_path / "a")
    second = build.build(SOURCES, tmp_path / "b")
    assert first == second
    assert first["smolensk_municipalities.tsv"] == 27
    for name in OUTPUTS:
        data = (tmp_path / "a" / name).read_bytes()
        assert data == (tmp_path / "b" / name).read_bytes(), name
        assert data == (GAZ / name).read_bytes(), f"{name} in the repo is out of date"


# --- the 2009 census --------------------------------------------------------------------

def test_every_census_settlement_is_in_the_gazetteer(settlements, admin):
    from borderkg.gazetteer import census

    rows = census.read_census(GAZ / "sources")
    assert len(rows) == 5174
    places = [r for r in rows if not r.is_city_district]
    # Each census row is one settlement with its СОАТО code (a matched place may keep the
    # other sources' spelling of its name, so the codes are counted).
    from collections import Counter

    assert Counter(s["soato"] for s in settlements if s["soato"]) == Counter(r.soato for r in places)
    names = {s["name_ru"] for s in settlements}
    assert sum(r.name in names for r in places) > 0.99 * len(places)
    # The nine Minsk districts of the census are the city districts, with their СОАТО code.
    districts = [a for a in admin.values() if a["kind"] == "city_district"]
    assert len(districts) == 9 and all(a["soato"].startswith("52") for a in districts)


def test_census_places_have_kind_and_marked_coordinates(settlements, admin):
    by_id = {s["id"]: s for s in settlements}
    for s in settlements:
        assert s["coord_source"] in ("geonames", "raion"), s["id"]
        if s["coord_source"] == "raion":
            raion = admin[s["raion_id"]]
            assert (s["lat"], s["lon"]) == (raion["lat"], raion["lon"]), s["id"]
    # Homonyms: the town Барань (Оршанский горсовет) and two villages.
    assert by_id["by-s-baran"]["kind"] == "town" and by_id["by-s-baran"]["soato"] == "2424502000"
    assert by_id["by-s-baran-orsha"]["kind"] == "village"
    assert by_id["by-s-baran-barysau"]["raion_id"] == "by-barysau-raion"
    assert by_id["by-s-stasevo"]["raion_id"] == "by-liozna-raion"
    # GeoNames put Дисна just over the border of Верхнедвинский; the census says Миорский.
    assert by_id["by-s-disna"]["raion_id"] == "by-miory-raion" and by_id["by-s-disna"]["kind"] == "town"


def test_the_build_is_a_click_command(tmp_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(build.main, ["--out", str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    assert "by_settlements.tsv 5167" in result.output
    assert (tmp_path / "g" / "by_settlements.tsv").read_bytes() == (GAZ / "by_settlements.tsv").read_bytes()
    bad = CliRunner().invoke(build.main, ["--sources", str(tmp_path / "missing")])
    assert bad.exit_code == 2 and "does not exist" in bad.output
