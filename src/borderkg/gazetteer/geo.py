"""Raion polygons: re-label the geoBoundaries layer from raion centres and
assign points to raions.

The layer's ``shapeName`` is unreliable (duplicates, typos, a Borisov raion
called «Браслав»), so a polygon's identity is taken from the raion centre(s)
that fall inside it. The layer has no polygon of its own for Dribin raion
(its territory is part of the Gorki polygon), so one polygon holds two
centres; such a polygon is split between its centres by a Voronoi partition
and the pieces are flagged ``approximate``.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely.ops import voronoi_diagram
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.geometry.base import BaseGeometry

DECIMALS = 4
NEAREST_MAX_DEG = 0.05   # points just outside the (generalised) border: take the nearest raion


@dataclass
class Area:
    """One labelled polygon."""

    id: str
    name_ru: str
    kind: str
    geometry: BaseGeometry
    source_shape_id: str
    approximate: bool = False


def _round_coords(obj):
    """Round nested coordinate lists to DECIMALS."""
    if isinstance(obj, (list, tuple)) and obj and isinstance(obj[0], (int, float)):
        return [round(float(c), DECIMALS) for c in obj]
    return [_round_coords(o) for o in obj]


def rounded(geom: BaseGeometry) -> BaseGeometry:
    """The geometry as it is written to the GeoJSON (rounded, made valid)."""
    gj = mapping(geom)
    out = shape({"type": gj["type"], "coordinates": _round_coords(gj["coordinates"])})
    return out if out.is_valid else out.buffer(0)


def unique_features(features: list[dict]) -> list[tuple[str, str, BaseGeometry]]:
    """(shapeID, shapeName, geometry) with exact duplicates (Minsk twice) dropped."""
    seen, out = set(), []
    for feat in features:
        geom = shape(feat["geometry"])
        if geom.wkb in seen:
            continue
        seen.add(geom.wkb)
        out.append((feat["properties"]["shapeID"], feat["properties"]["shapeName"], geom))
    return out


def _split(geom: BaseGeometry, centres: list[tuple[str, Point]]) -> dict[str, BaseGeometry]:
    """Split a polygon between several centres by their Voronoi cells."""
    cells = voronoi_diagram(MultiPoint([p for _, p in centres]), envelope=geom.envelope.buffer(1))
    pieces = {}
    for unit_id, point in centres:
        cell = next(c for c in cells.geoms if c.covers(point))
        pieces[unit_id] = geom.intersection(cell)
    return pieces


def label_polygons(features: list[dict], centres: dict[str, tuple[str, Point]],
                   leftovers: dict[str, str]) -> list[Area]:
    """Label polygons by the centres inside them.

    ``centres``: unit id → (name_ru, centre point) for units whose centre lies
    in their own territory (raions and Minsk city). ``leftovers``: unit id →
    name_ru for units whose centre is outside (Минский район); they take the
    polygons no centre falls in, so their number must match.
    """
    areas, empty = [], []
    for shape_id, _name, geom in unique_features(features):
        inside = sorted((uid, pt) for uid, (_, pt) in centres.items() if geom.covers(pt))
        if not inside:
            empty.append((shape_id, geom))
            continue
        pieces = _split(geom, inside) if len(inside) > 1 else {inside[0][0]: geom}
        for uid, piece in pieces.items():
            kind = "capital" if uid == "by-minsk" else "raion"
            areas.append(Area(uid, centres[uid][0], kind, rounded(piece), shape_id,
                              approximate=len(inside) > 1))
    if len(empty) != len(leftovers):
        raise ValueError(f"{len(empty)} polygons without a centre for {sorted(leftovers)}")
    for (shape_id, geom), (uid, name) in zip(empty, sorted(leftovers.items())):
        areas.append(Area(uid, name, "raion", rounded(geom), shape_id))
    labelled = [a.id for a in areas]
    missing = set(centres) - set(labelled)
    if missing or len(labelled) != len(set(labelled)):
        raise ValueError(f"polygon labelling failed: missing {sorted(missing)}")
    return sorted(areas, key=lambda a: a.id)


def locate(areas: list[Area], lat: float, lon: float, among: set[str] | None = None) -> str:
    """Id of the area containing the point (nearest one if just outside), or ''.

    ``among`` restricts the search to some area ids (used when another
    source says which oblast the point belongs to).
    """
    point = Point(lon, lat)
    candidates = [a for a in areas if among is None or a.id in among]
    for area in candidates:
        if area.geometry.covers(point):
            return area.id
    dist, best = min((a.geometry.distance(point), a.id) for a in candidates)
    return best if dist <= NEAREST_MAX_DEG else ""


def to_geojson(areas: list[Area]) -> dict:
    """FeatureCollection of the labelled areas (coordinates already rounded)."""
    features = []
    for area in areas:
        gj = mapping(area.geometry)
        props = {"id": area.id, "name_ru": area.name_ru, "kind": area.kind,
                 "source_shape_id": area.source_shape_id}
        if area.approximate:
            props["approximate"] = True
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": gj["type"],
                                      "coordinates": _round_coords(gj["coordinates"])}})
    return {"type": "FeatureCollection", "features": features}
