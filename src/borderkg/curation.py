"""Curation: a person's corrections of links, kept in plain files and re-applied on every
build (``data/curation/links.tsv``; places missing from the gazetteer in ``places.tsv``).

A ``link`` rule makes a mention (any case form of the written text) refer to a gazetteer
entity, whether or not the matcher found it; an ``ignore`` rule says a mention is not a
place. Rules apply to one document or, with ``*``, to all.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from borderkg.errors import BorderkgError
from borderkg.gazetteer import Gazetteer, Place
from borderkg.paths import CURATION

ACTIONS = ("link", "ignore")


class CurationError(BorderkgError):
    """A curation file has a malformed rule."""


@dataclass(frozen=True)
class Rule:
    doc: str
    mention: str
    action: str
    target: str
    note: str = ""

    def applies_to(self, doc_id: str) -> bool:
        return self.doc in ("*", "", doc_id)


@dataclass(frozen=True)
class Curation:
    rules: tuple[Rule, ...] = ()
    places: tuple[Place, ...] = ()
    digest: str = ""

    def for_mention(self, doc_id: str, text: str) -> Rule | None:
        """The rule for a mention in a document (the document's own rules win over ``*``)."""
        key = _key(text)
        found = [r for r in self.rules if _key(r.mention) == key and r.applies_to(doc_id)]
        found.sort(key=lambda r: r.doc == "*")
        return found[0] if found else None

    def with_places(self, gazetteer: Gazetteer) -> Gazetteer:
        """The gazetteer with the curated places added."""
        if not self.places:
            return gazetteer
        places = dict(gazetteer.places)
        for place in self.places:
            raion = places.get(place.raion_id)
            if raion is None or raion.kind not in ("raion", "city_district"):
                raise CurationError(f"curated place {place.id} ({place.name}): unknown raion "
                                    f"{place.raion_id!r} (see data/gazetteer/by_admin.tsv)")
            places[place.id] = replace(place, oblast_id=place.oblast_id or raion.oblast_id)
        return replace(gazetteer, places=places)


def _key(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").lower().split())


def _data_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def load_curation(directory: Path = CURATION) -> Curation:
    """Read the curation files; a malformed line raises :class:`CurationError` naming it."""
    links, places_path = directory / "links.tsv", directory / "places.tsv"
    rules, places = [], []
    digest = hashlib.sha256()
    if links.exists():
        digest.update(links.read_bytes())
        for number, row in enumerate(csv.DictReader(_data_lines(links), delimiter="\t"), 2):
            action = (row.get("action") or "").strip()
            if action not in ACTIONS or not (row.get("mention") or "").strip():
                raise CurationError(f"{links}: rule {number}: expected a mention and an action "
                                    f"({' or '.join(ACTIONS)}), got {dict(row)}")
            if action == "link" and not (row.get("target") or "").strip():
                raise CurationError(f"{links}: rule {number}: a link rule needs a target id")
            rules.append(Rule((row.get("doc") or "*").strip(), row["mention"].strip(), action,
                              (row.get("target") or "").strip(), (row.get("note") or "").strip()))
    if places_path.exists():
        digest.update(places_path.read_bytes())
        for number, row in enumerate(csv.DictReader(_data_lines(places_path), delimiter="\t"), 2):
            if not (row.get("id") and row.get("name_ru") and row.get("raion_id")):
                raise CurationError(f"{places_path}: place {number}: id, name_ru and raion_id are required")
            places.append(Place(
                id=row["id"], name=row["name_ru"], kind=row.get("kind") or "village", country="BY",
                raion_id=row["raion_id"], oblast_id=row.get("oblast_id") or None,
                lat=float(row["lat"]) if row.get("lat") else None,
                lon=float(row["lon"]) if row.get("lon") else None,
                alt_names=tuple(a for a in (row.get("alt_names_ru") or "").split("|") if a),
                in_gazetteer=False))
    return Curation(tuple(rules), tuple(places), digest.hexdigest())
