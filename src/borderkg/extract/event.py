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
>>> [(t.municipality.id, t.place.id) for t in twins_of([cell], None, gaz)]
[('desnogorsk', 'by-s-chausy'), ('desnogorsk', 'by-s-orsha')]
>>> [(a.kind, [(p.name, p.entity.id) for p in a.parties]) for a in agreements_of([cell], gaz)]
[('agreement', [('Орша', 'by-s-orsha')])]
>>> all_organisations([cell])
()
"""

from __future__ import annotations

import re

from borderkg.dates import DateSpan
from borderkg.extract.linking import CellLinks
from borderkg.extract.model import Agreement, AgreementParty, PlaceMention, TwinLink, Venue
from borderkg.extract.orgs import Organisation, name_key, organisations
from borderkg.extract.signals import mentions_twinning, signed_agreements
from borderkg.gazetteer import Country, Gazetteer, Municipality

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
    """ISO codes of the foreign countries named or implied (by a Belarusian place).
    """
    codes = set()
    for cell in cells:
        for link in cell.links:
            if link.target.kind == "country" or (link.place is not None and link.place.country == "BY"):
                codes.add(link.country)
    codes.discard("RU")
    return tuple(sorted(codes))


def venue_of(cell: CellLinks | None, gazetteer: Gazetteer) -> Venue | None:
    """Where the event took place, from the first place (or municipality) the cell names,
    else the first country.
    """
    if cell is None:
        return None
    for link in cell.links:
        if link.target.kind == "municipality":
            return gazetteer.municipalities[link.target.id]
        if link.place is not None:
            return link.place
    for link in cell.links:
        if link.target.kind == "country":
            return gazetteer.countries.get(link.target.id) or Country(link.target.id, link.target.id, ())
    return None


def _sentences(text: str) -> list[tuple[int, str]]:
    from razdel import sentenize  # natasha's sentence splitter knows «г.» and initials

    return [(s.start, s.text) for s in sentenize(text)]


def twins_of(cells: list[CellLinks], municipality: Municipality | None, gazetteer: Gazetteer,
             stated_on: DateSpan | None = None) -> tuple[TwinLink, ...]:
    """Twin-town links stated in a sentence: a Belarusian place and a Smolensk municipality
    (the one named in that sentence, or the event's own).
    """
    twins: dict[tuple[str, str], TwinLink] = {}
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
                twins.setdefault((partner_ru.id, place.id), TwinLink(partner_ru, place, stated_on))
    return tuple(twins.values())


def agreements_of(cells: list[CellLinks], gazetteer: Gazetteer, orgs: tuple[Organisation, ...] = (),
                  stated_on: DateSpan | None = None) -> tuple[Agreement, ...]:
    """Signed agreements, memoranda and protocols. The parties of each are the organisations
    and places named between it and the next agreement of the same sentence, each once by
    name.
    """
    agreements = []
    for cell in cells:
        cell_orgs = [o for o in orgs if o.field == cell.field]
        for start, sentence in _sentences(cell.text):
            found = signed_agreements(sentence)
            for i, agreement in enumerate(found):
                lo = start + agreement.end
                hi = start + found[i + 1].start if i + 1 < len(found) else start + len(sentence)
                inside = [o for o in cell_orgs if lo <= o.start < hi]
                parties = [AgreementParty(o.name, o) for o in inside]
                for link in cell.links:
                    at = link.mention.start
                    if not lo <= at < hi or any(o.start <= at < o.end for o in inside):
                        continue
                    if link.target.kind == "municipality":
                        municipality = gazetteer.municipalities[link.target.id]
                        parties.append(AgreementParty(municipality.name, municipality))
                    elif link.place is not None and link.place.country == "BY" and link.place.kind != "oblast":
                        parties.append(AgreementParty(link.place.name, link.place))
                unique: dict[str, AgreementParty] = {}
                for party in parties:
                    unique.setdefault(party.name, party)
                agreements.append(Agreement(agreement.kind, tuple(unique.values()), stated_on))
    return tuple(agreements)


def all_organisations(cells: list[CellLinks], gazetteer: Gazetteer | None = None) -> tuple[Organisation, ...]:
    """Every organisation named in the event's cells, each once (by its identity).
    """
    seen: dict[str, Organisation] = {}
    before = []
    for cell in cells:
        for org in organisations(cell, before, gazetteer):
            key = name_key(org.name)
            if key not in seen or (seen[key].country is None and org.country is not None):
                seen[key] = org
        before = before + cell.links
    return tuple(seen.values())
