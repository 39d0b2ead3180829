"""From linked texts to an event record: places, countries, venue, twins, agreements, orgs."""

from __future__ import annotations

import re

from borderkg.extract.linking import CellLinks
from borderkg.extract.orgs import Organisation, organisations
from borderkg.extract.record import EventRecord, place_entry
from borderkg.extract.signals import mentions_twinning, signed_agreements
from borderkg.gazetteer import Gazetteer, Municipality
from borderkg.link.resolve import Link
from borderkg.ner import EntityKind
from borderkg.nlp import pieces

_QUALIFIER_GAP = re.compile(r"^[\s,]*(?:район\w*|р-н\w*|г\.|город\w*)?[\s,]*$", re.IGNORECASE)


def belarusian_places(cells: list[CellLinks], gazetteer: Gazetteer) -> list[tuple[Link, dict]]:
    """Every distinct Belarusian place of the event, in order, as (link, gold-schema entry).

    An oblast that only qualifies the raion or town before it («Дрибинского района
    Могилевской области») is not counted again; a raion qualifying a town is.
    """
    seen: dict[str, tuple[Link, dict]] = {}
    for cell in cells:
        previous: Link | None = None
        for link in cell.links:
            place = link.place
            if place is None or place.country != "BY":
                previous = None
                continue
            if place.kind == "oblast" and previous is not None and previous.place is not None \
                    and previous.place.oblast_id == place.id \
                    and _QUALIFIER_GAP.match(cell.text[previous.mention.end:link.mention.start]):
                previous = link
                continue
            key = place.id if place.in_gazetteer else f"{place.raion_id}/{place.name.lower()}"
            seen.setdefault(key, (link, place_entry(place, gazetteer)))
            previous = link
    return list(seen.values())


def countries_of(cells: list[CellLinks]) -> list[str]:
    """ISO codes of the foreign countries named or implied (by a Belarusian place)."""
    codes = set()
    for cell in cells:
        for link in cell.links:
            if link.target.kind == "country" or (link.place is not None and link.place.country == "BY"):
                codes.add(link.country)
    codes.discard("RU")
    return sorted(codes)


def venue_of(place_cell: CellLinks | None, gazetteer: Gazetteer) -> dict | None:
    """Where the event took place, from the first place the place cell names."""
    if place_cell is None:
        return None
    for link in place_cell.links:
        if link.target.kind == "municipality":
            municipality = gazetteer.municipalities[link.target.id]
            return {"name": municipality.admin_centre, "kind": "city" if municipality.kind == "city_okrug" else "town",
                    "raion": None, "oblast": "Смоленская область", "country": "RU"}
        if link.place is not None:
            if link.place.country == "BY":
                return {**place_entry(link.place, gazetteer), "country": "BY"}
            return {"name": link.place.name, "kind": link.place.kind, "raion": None,
                    "oblast": link.place.oblast_id, "country": "RU"}  # oblast: the federal subject
    for link in place_cell.links:
        if link.target.kind == "country":
            country = gazetteer.countries.get(link.target.id)
            return {"name": country.name if country else link.target.id, "kind": "country",
                    "raion": None, "oblast": None, "country": link.target.id}
    return None


def _sentences(text: str) -> list[tuple[int, str]]:
    from razdel import sentenize  # natasha's sentence splitter knows «г.» and initials

    return [(offset + s.start, s.text) for offset, piece in pieces(text) for s in sentenize(piece)]


def twins_of(cells: list[CellLinks], municipality: Municipality | None, gazetteer: Gazetteer) -> list[dict]:
    """Twin-town links stated in a sentence: a Belarusian place and a Smolensk municipality
    (the one named in that sentence, or the row's own)."""
    twins: dict[tuple[str, str], dict] = {}
    for cell in cells:
        for start, sentence in _sentences(cell.text):
            if not mentions_twinning(sentence):
                continue
            inside = [l for l in cell.links if start <= l.mention.start < start + len(sentence)]
            by = [l.place for l in inside if l.place is not None and l.place.country == "BY"
                  and l.place.kind != "oblast"]
            settlements = [p for p in by if p.is_settlement] or by
            ru = [gazetteer.municipalities[l.target.id] for l in inside if l.target.kind == "municipality"]
            partner_ru = ru[0] if ru else municipality
            if not settlements or partner_ru is None:
                continue
            for place in settlements:
                twins.setdefault((partner_ru.id, place.id), {"ru": partner_ru.name, "by": place.name})
    return list(twins.values())


def agreements_of(cells: list[CellLinks], municipality: Municipality | None,
                  orgs: list[Organisation] = ()) -> list[dict]:
    """Signed agreements, memoranda and protocols. The parties of each are the organisations
    and places named between it and the next agreement of the same sentence."""
    agreements = []
    for cell in cells:
        cell_orgs = [o for o in orgs if o.field == cell.field]
        for start, sentence in _sentences(cell.text):
            found = signed_agreements(sentence)
            for i, agreement in enumerate(found):
                lo = start + agreement.end
                hi = start + found[i + 1].start if i + 1 < len(found) else start + len(sentence)
                parties = [o.name for o in cell_orgs if lo <= o.start < hi]
                spans = [(o.start, o.end) for o in cell_orgs if lo <= o.start < hi]
                for link in cell.links:
                    at = link.mention.start
                    if not lo <= at < hi or any(s <= at < e for s, e in spans):
                        continue
                    if link.target.kind == "municipality":
                        parties.append(_municipality_name(link, municipality))
                    elif link.place is not None and link.place.country == "BY" and link.place.kind != "oblast":
                        parties.append(link.place.name)
                agreements.append({"kind": agreement.kind, "parties": list(dict.fromkeys(parties))})
    return agreements


def _municipality_name(link: Link, municipality: Municipality | None) -> str:
    from borderkg.gazetteer import load_gazetteer

    found = load_gazetteer().municipalities.get(link.target.id)
    return found.name if found else (municipality.name if municipality else link.target.id)


def all_organisations(cells: list[CellLinks]) -> list[Organisation]:
    """Every organisation named in the event's cells, each name once."""
    seen: dict[str, Organisation] = {}
    for cell in cells:
        for org in organisations(cell):
            seen.setdefault(org.name, org)
    return list(seen.values())


def fill_places(record: EventRecord, cells: list[CellLinks],
                gazetteer: Gazetteer) -> tuple[list[tuple[Link, dict]], list[Organisation]]:
    """Set the place- and organisation-derived fields of a record; returns the Belarusian
    partner places (link, entry) and the organisations."""
    places = belarusian_places(cells, gazetteer)
    record.by_places = [entry for _, entry in places]
    record.countries = countries_of(cells)
    record.by_country_mentioned = "BY" in record.countries
    orgs = all_organisations(cells)
    record.by_orgs = [org.name for org in orgs if org.country == "BY"]
    return places, orgs
