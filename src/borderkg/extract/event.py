"""From linked texts to what an event involves: places, countries, venue, twins, agreements,
organisations, each as typed values of :mod:`borderkg.extract.model`.

The examples of every function here share one hand-linked cell (what
:func:`~borderkg.extract.linking.link_texts` gives):

>>> from borderkg.gazetteer import load_gazetteer
>>> from borderkg.link.index import Target
>>> from borderkg.link.mentions import Mention
>>> from borderkg.link.resolve import Link
>>> gaz = load_gazetteer()
>>> def link(start, text, kind, id):
...     return Link(Mention(start, start + len(text), text, [], "name"), Target(kind, id),
...                 gaz.places.get(id), 0.9)
>>> text = "Десногорск и город-побратим Чаусы подписали соглашение с Оршей"
>>> cell = CellLinks("content", text, [link(0, "Десногорск", "municipality", "desnogorsk"),
...                  link(28, "Чаусы", "place", "by-s-chausy"), link(57, "Оршей", "place", "by-s-orsha")], [])
>>> [(m.text, m.start, m.field, m.confidence) for m in place_mentions([cell])]
[('Чаусы', 28, 'content', 0.9), ('Оршей', 57, 'content', 0.9)]
>>> [p.place.name for p in belarusian_places([cell, cell])]
['Чаусы', 'Орша']
>>> countries_of([cell])
('BY',)
>>> venue_of(cell, gaz).name
'город Десногорск'
>>> distinct_organisations(organisations_by_cell([cell], gaz))
()
"""

from __future__ import annotations

import re

from borderkg.extract.adjectives import country_adjectives
from borderkg.extract.linking import CellLinks
from borderkg.extract.model import PlaceMention, Venue
from borderkg.extract.orgs import Organisation, organisations
from borderkg.gazetteer import Country, Gazetteer
from borderkg.gazetteer.model import SETTLEMENT_KINDS
from borderkg.link.resolve import IN_PLACE_BEFORE

_QUALIFIER_GAP = re.compile(r"^[\s,]*(?:район\w*|р-н\w*|г\.|город\w*)?[\s,]*$", re.IGNORECASE)


def place_mentions(cells: list[CellLinks]) -> list[PlaceMention]:
    """Every mention of a Belarusian place in the event's texts, in order, with the field it
    is in and the confidence the linker gave it.
    """
    return [PlaceMention(link.place, cell.field, link.mention, link.confidence)
            for cell in cells for link in cell.links
            if link.place is not None and link.place.country == "BY"]


def belarusian_places(cells: list[CellLinks]) -> list[PlaceMention]:
    """Every distinct Belarusian place of the event, in order, by its first mention.

    An oblast that only qualifies the raion or town before it («Дрибинского района
    Могилевской области») is not counted again; a raion qualifying a town is.
    """
    seen: dict[str, PlaceMention] = {}
    for cell in cells:
        previous = None
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
            seen.setdefault(key, PlaceMention(place, cell.field, link.mention, link.confidence))
            previous = link
    return list(seen.values())


def countries_of(cells: list[CellLinks]) -> tuple[str, ...]:
    """ISO codes of the foreign countries named or implied (by a Belarusian place, by an
    adjective: «белорусская команда «БАТЭ»»).
    """
    codes = set()
    for cell in cells:
        codes.update(country_adjectives(cell.text))
        for link in cell.links:
            if link.target.kind == "country" or (link.place is not None and link.place.country == "BY"):
                codes.add(link.country)
    codes.discard("RU")
    return tuple(sorted(codes))


def venue_of(cell: CellLinks | None, gazetteer: Gazetteer, countries: bool = True) -> Venue | None:
    """Where the event took place, from the first place (or municipality) the cell names,
    else (with ``countries``) the first country.
    """
    if cell is None:
        return None
    for link in cell.links:
        if link.target.kind == "municipality":
            return gazetteer.municipalities[link.target.id]
        if link.place is not None:
            return link.place
    for link in cell.links if countries else []:
        if link.target.kind == "country":
            return gazetteer.countries.get(link.target.id) or Country(link.target.id, link.target.id, ())
    return None


def venue_in_text(cells: list[CellLinks], gazetteer: Gazetteer) -> Venue | None:
    """Where a free text says its event was: the first settlement (a town, a Smolensk city)
    named after «в»/«во», else the first raion or municipality so named; None when the text
    never says «in» of a place (the first place a headline names is often not where).

    >>> [bool(IN_PLACE_BEFORE.search(t)) for t in ("в г.п. ", "приняли участие в ", "в городе ", "Делегация ")]
    [True, True, True, False]
    """
    def is_settlement(link) -> bool:
        if link.place is not None:
            return link.place.kind in SETTLEMENT_KINDS
        municipality = gazetteer.municipalities.get(link.target.id)
        return municipality is not None and municipality.kind == "city_okrug"

    located = [link for cell in cells for link in cell.links
               if (link.place is not None and link.place.kind != "oblast" or link.target.kind == "municipality")
               and IN_PLACE_BEFORE.search(cell.text[max(0, link.mention.start - 40):link.mention.start])]
    first = min(located, key=lambda link: not is_settlement(link), default=None)  # the first of the best
    if first is None:
        return None
    return first.place if first.place is not None else gazetteer.municipalities[first.target.id]


def organisations_by_cell(cells: list[CellLinks], gazetteer: Gazetteer | None = None) -> list[list[Organisation]]:
    """The organisations of each cell, in order; a body named with no place is of the
    raion named last in this cell or one before it."""
    found, before = [], []
    for cell in cells:
        found.append(organisations(cell, before, gazetteer))
        before = before + cell.links
    return found


def distinct_organisations(per_cell: list[list[Organisation]]) -> tuple[Organisation, ...]:
    """Every organisation of the event once (by :attr:`~Organisation.name_key`), the mention
    that tells its country preferred, then the one by its own name (not an alias).
    """
    seen: dict[str, Organisation] = {}
    for org in (o for cell in per_cell for o in cell):
        key = org.name_key
        if key not in seen or (seen[key].country is None and org.country is not None) or (
                seen[key].is_alias and not org.is_alias and org.country == seen[key].country):
            seen[key] = org
    return tuple(seen.values())
