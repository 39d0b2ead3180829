"""Developer command: simplify the raion polygons of the gazetteer into the outlines the map
ships (``data/gazetteer/raion_outlines.geojson``), so that ``borderkg views`` reads a small
file and needs no geometry library at run time.

Run it after the polygons change (``data/gazetteer/raion_polygons.geojson``)::

    python -m borderkg.views.outlines            # rewrite the outlines
    python -m borderkg.views.outlines --check    # exit 1 if they are out of date
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from borderkg import paths
from borderkg.views.map import RAION_OUTLINES

RAION_POLYGONS = paths.GAZETTEER / "raion_polygons.geojson"
TOLERANCE = 0.01  # degrees (about 1 km): the outlines shrink from 850 KB to a few dozen


def simplified_raions(path: Path = RAION_POLYGONS, tolerance: float = TOLERANCE) -> list[dict]:
    """The raion outlines as GeoJSON features with id and name, simplified (shapely) and
    rounded to three decimals; an absent file gives no outlines."""
    if not path.exists():
        return []
    from shapely.geometry import mapping, shape

    features = []
    for feature in json.loads(path.read_text(encoding="utf-8")).get("features", []):
        geometry = shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
        if geometry.is_empty:
            continue
        props = feature.get("properties", {})
        features.append({"type": "Feature", "geometry": _rounded(mapping(geometry)),
                         "properties": {"id": props.get("id", ""), "name": props.get("name_ru", "")}})
    return features


def _rounded(geometry: dict) -> dict:
    """
    >>> _rounded({"type": "Point", "coordinates": (30.123456, 54.987654)})
    {'type': 'Point', 'coordinates': [30.123, 54.988]}
    """
    def walk(value):
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
            return [round(v, 3) for v in value]
        return [walk(v) for v in value]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def outlines_text(polygons: Path = RAION_POLYGONS) -> str:
    """The outlines file's content: one feature a line, so that a change reads as a diff."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in simplified_raions(polygons)]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


@click.command()
@click.option("--polygons", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=RAION_POLYGONS,
              show_default=True, help="The full raion polygons (GeoJSON).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=RAION_OUTLINES, show_default=True,
              help="The simplified outlines the map reads.")
@click.option("--check", is_flag=True, help="Only compare; exit 1 if the outlines are out of date.")
def main(polygons: Path, out: Path, check: bool) -> None:
    """Simplify the raion polygons into the outlines the map view ships."""
    text = outlines_text(polygons)
    current = out.read_text(encoding="utf-8") if out.exists() else None
    if check:
        if current != text:
            raise click.ClickException(f"{out} is out of date: run python -m borderkg.views.outlines")
        click.echo(f"{out} is up to date")
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out} ({len(text.encode()) // 1024} KB)")


if __name__ == "__main__":
    main()
