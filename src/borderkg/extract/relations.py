"""Twin links and agreements read from prose, both sides resolved to entities.

A relation is stated in a sentence. Its Smolensk side is a municipality (named, or through
a body of it: «администрации Краснинского района», «Смоленским … городскими Советами»), its
Belarusian side a raion, town, oblast or district of Minsk (or a body of one). A place that
only qualifies the one before it («Московский район города Минска», «Толочин Толочинского
района») is not a side of its own. A sentence that names the relation but not its sides
(«Подписание соглашения состоялось …») takes them from the nearest sentence that names
both; one that names a party the gazetteer does not know («Себежский муниципальный округ»)
is left as it is. A relation with no Smolensk side, or no Belarusian one, is not stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from borderkg.dates import DateSpan, Precision, find_date_mentions
from borderkg.extract.adjectives import KNOWN_REGION_STEMS, adjective_country, stem
from borderkg.extract.linking import CellLinks
from borderkg.extract.model import Agreement, AgreementParty, PartyEntity, TwinLink
from borderkg.extract.orgs import Organisation
from borderkg.extract.signals import mentions_twinning, names_twins, signed_agreements
from borderkg.gazetteer import Gazetteer, Municipality, Place
from borderkg.link.resolve import Link
from borderkg.nlp import pieces

# Between a place and the one that qualifies it: nothing, a comma, a cue.
_QUALIFIER_GAP = re.compile(r"^[\s,]*(?:(?:район\w*|р-на|г\.|города|област\w*)[\s,]*){0,2}$", re.IGNORECASE)
# A party the gazetteer does not know: «Себежский муниципальный округ», «Брянская область».
_UNKNOWN_PARTY = re.compile(r"([А-ЯЁ][а-яё]+(?:ий|ая|ое|ие|ого|ой|им|ым|ом|ими|ыми))\s+"
                            r"(?:муниципальн\w+ округ|район|област|городск\w+ округ)\w*")
_WINDOW = 3  # sentences looked at before (and two after) for the sides of a relation


@dataclass(frozen=True)
class Sentence:
    cell: CellLinks
    start: int
    end: int
    orgs: tuple[Organisation, ...]  # the organisations of its cell

    @property
    def text(self) -> str:
        return self.cell.text[self.start:self.end]


def sentences(cells: list[CellLinks], orgs: list[list[Organisation]]) -> list[Sentence]:
    """The sentences of all the texts, in order (razdel knows «г.» and initials), each
    with the organisations of its text (``orgs``, one list per cell)."""
    # a long text goes to razdel in pieces (nlp.pieces), offsets mapped back to the cell's
    return [Sentence(cell, offset + start, offset + stop, tuple(cell_orgs))
            for cell, cell_orgs in zip(cells, orgs)
            for offset, piece in pieces(cell.text) for start, stop in _sentence_bounds(piece)]


@lru_cache(maxsize=1024)
def _sentence_bounds(text: str) -> tuple[tuple[int, int], ...]:
    """(start, stop) of each sentence of ``text`` by razdel; kept, as twins and agreements
    both split the same row's texts."""
    from razdel import sentenize

    return tuple((s.start, s.stop) for s in sentenize(text))


@dataclass(frozen=True)
class Side:
    """One party of a relation: its name as written (nominative) and its entity."""

    name: str
    entity: PartyEntity
    russian: bool  # the Smolensk side
    start: int


def _is_qualifier(cell: CellLinks, previous: Link | None, link: Link, gazetteer: Gazetteer,
                  gap_start: int | None = None) -> bool:
    """«Минска» after «Московский район», «Могилёвской области» after «Могилёвским районом»
    (or after the body it names: «Сморгонским районным исполнительным комитетом Гродненской
    области», the gap then from the body's end, ``gap_start``)."""
    if previous is None or previous.place is None or link.place is None:
        return False
    gap_start = previous.mention.end if gap_start is None else gap_start
    if not _QUALIFIER_GAP.match(cell.text[gap_start:link.mention.start]):
        return False
    place = previous.place
    parents = {place.oblast_id, place.raion_id}
    raion = gazetteer.raion_of(place) if place.kind != "oblast" else None
    if raion is not None:
        parents.add(raion.oblast_id)
    return link.place.id in parents - {None}


def _body_entity(org: Organisation, gazetteer: Gazetteer):
    """The unit a body of power belongs to: «Витебский городской Совет» → Витебск."""
    location = org.location
    if location is None:
        return None
    if location.target.kind == "municipality":
        municipality = gazetteer.municipalities.get(location.target.id)
        if municipality is not None and "городск" in org.name.lower():
            city = next((m for m in gazetteer.municipalities.values() if m.kind == "city_okrug"
                         and m.admin_centre[:5] == municipality.adjective[:5]), None)
            return city or municipality
        return municipality
    place = location.place
    if place is not None and place.kind == "raion" and "городск" in org.name.lower():
        return gazetteer.centre_of(place) or place
    return place


def sides_in(sentence: Sentence, lo: int, hi: int, gazetteer: Gazetteer) -> list[Side]:
    """The parties named in ``lo:hi`` of a sentence's cell: organisations first, then the
    places and municipalities not inside one, each entity once."""
    cell = sentence.cell
    found: list[Side] = []
    inside = [o for o in sentence.orgs if lo <= o.start < hi]
    for org in inside:
        unit = _body_entity(org, gazetteer)
        russian = isinstance(unit, Municipality) or (unit is None and org.country == "RU")
        if org.country in ("BY", "RU") or unit is not None:
            found.append(Side(org.name, org, russian if org.country != "BY" else False, org.start))
    previous, gap_start = None, None
    for link in cell.links:
        at = link.mention.start
        body = next((o for o in inside if o.start <= at < o.end), None)
        if not lo <= at < hi or body is not None:
            if at >= lo:
                previous, gap_start = link, (body.end if body is not None else None)
            continue
        if link.target.kind == "municipality":
            municipality = gazetteer.municipalities[link.target.id]
            found.append(Side(_as_named(municipality, link.mention.text, cell.text[link.mention.end:]),
                              municipality, True, at))
        elif link.place is not None and link.place.country == "BY" and not _is_qualifier(
                cell, previous, link, gazetteer, gap_start):
            found.append(Side(link.place.name, link.place, False, at))
        previous, gap_start = link, None
    unique: dict[int, Side] = {}
    for side in found:
        unique.setdefault(id(side.entity), side)
    return sorted(unique.values(), key=lambda s: s.start)


_OKRUG_AFTER = re.compile(r"\s+муниципальн\w*\s+округ", re.IGNORECASE)


def _as_named(municipality: Municipality, mention: str, after: str = "") -> str:
    """A municipality as the text names it: its town («Вязьма», «Смоленск»), its 2025 name
    when the text gives it (``after`` the mention: «Вяземским муниципальным округом»), else
    its district («Смоленский район»).

    >>> from borderkg.gazetteer import load_gazetteer
    >>> vyazma = load_gazetteer().municipalities["vyazemsky"]
    >>> _as_named(vyazma, "Вязьмой"), _as_named(vyazma, "Вяземским")
    ('Вязьма', 'Вяземский район')
    >>> _as_named(vyazma, "Вяземским", " муниципальным округом и городом Бобруйск")
    'Вяземский муниципальный округ'
    """
    if municipality.kind != "city_okrug" and _OKRUG_AFTER.match(after):
        return municipality.name
    centre = municipality.admin_centre
    if municipality.kind == "city_okrug" or mention.lower().startswith(centre.lower()[:max(3, len(centre) - 2)]) \
            and not re.search(r"(?:ий|ого|ому|им|ом)$", mention):
        return centre if municipality.kind != "city_okrug" or mention[:1].isupper() else municipality.name
    return f"{municipality.adjective} район" if municipality.adjective else municipality.name


def _complete(sides: list[Side]) -> bool:
    return any(s.russian for s in sides) and any(not s.russian for s in sides)


def _from_context(all_sentences: list[Sentence], i: int, gazetteer: Gazetteer) -> list[Side]:
    """The sides of the nearest sentence (before, else just after) naming both."""
    order = list(range(i - 1, max(-1, i - 1 - _WINDOW), -1)) + [i + 1, i + 2]
    for j in order:
        if 0 <= j < len(all_sentences):
            s = all_sentences[j]
            sides = sides_in(s, s.start, s.end, gazetteer)
            if _complete(sides):
                return sides
    return []


def _year_said(text: str) -> DateSpan | None:
    """The date a sentence gives with its year («в октябре 2019 года», «с 2009 года»)."""
    for mention in find_date_mentions(text):
        if mention.span.start_precision in (Precision.YEAR, Precision.MONTH, Precision.DAY) \
                and re.search(r"\d{4}", mention.text):
            return mention.span
    return None


# «Побратимы Шарковщины»: the twins of the place, who are not named; the text's own
# municipality may not stand in for them.
_TWINS_OF = re.compile(r"(?<![А-Яа-яЁё-])[Пп]обратимы\s+[А-ЯЁ][а-яё-]+(?:ы|и|а|я)\b")


def twins_in(cells: list[CellLinks], orgs: list[list[Organisation]], municipality: Municipality | None,
             gazetteer: Gazetteer, stated_on: DateSpan | None = None,
             report_row: bool = False) -> tuple[TwinLink, ...]:
    """Twin-town links: each Belarusian side of a twinning sentence with its Smolensk side
    (named there, else the event's municipality), dated when the sentence says since when.
    A report row states its twins in the row; free text may name them a sentence away.
    """
    all_sentences = sentences(cells, orgs)
    twins: dict[tuple[str, str], TwinLink] = {}
    for i, sentence in enumerate(all_sentences):
        if not mentions_twinning(sentence.text):
            continue
        sides = sides_in(sentence, sentence.start, sentence.end, gazetteer)
        if _TWINS_OF.search(sentence.text) and not any(s.russian for s in sides):
            continue
        if not report_row and not sides and names_twins(sentence.text):
            sides = sides + _from_context(all_sentences, i, gazetteer)
        by = [_place_of(s, gazetteer) for s in sides if not s.russian]
        by = [p for p in by if p is not None and p.kind != "oblast"]
        ru = [_municipality_of(s, gazetteer) for s in sides if s.russian]
        partner = next((m for m in ru if m is not None), municipality)
        if partner is None:
            continue
        established = _year_said(sentence.text)
        for place in by:
            known = twins.get((partner.id, place.id))
            if known is None or (known.established_on is None and established is not None):
                twins[(partner.id, place.id)] = TwinLink(partner, place, stated_on, established)
    return tuple(twins.values())


def _place_of(side: Side, gazetteer: Gazetteer) -> Place | None:
    entity = side.entity
    if isinstance(entity, Organisation):
        entity = _body_entity(entity, gazetteer)
    return entity if isinstance(entity, Place) else None


def _municipality_of(side: Side, gazetteer: Gazetteer) -> Municipality | None:
    entity = side.entity
    if isinstance(entity, Organisation):
        entity = _body_entity(entity, gazetteer)
    return entity if isinstance(entity, Municipality) else None


def agreements_in(cells: list[CellLinks], orgs: list[list[Organisation]], gazetteer: Gazetteer,
                  stated_on: DateSpan | None = None, report_row: bool = False,
                  municipality: Municipality | None = None) -> tuple[Agreement, ...]:
    """Signed agreements, memoranda and protocols between a Smolensk and a Belarusian side.
    The parties of each are those named from the agreement before it (or the sentence's
    start) to the next one. In a report row the Smolensk side may go unsaid (the row is
    the municipality's); in free text a relation needs both, and a Belarusian side with
    none named near it signed with the ``municipality`` the text is about («в ходе визита
    смоленской делегации … был подписан протокол о намерениях с Московским районом Минска»
    on a Smolensk page), unless the sentence names a party the gazetteer does not know.
    """
    all_sentences = sentences(cells, orgs)
    agreements: list[Agreement] = []
    for i, sentence in enumerate(all_sentences):
        found = signed_agreements(sentence.text)
        for k, mention in enumerate(found):
            # Its parties follow it, up to the next one; else they precede it («X и Y подписали …»),
            # or one precedes and one follows («X подписала протокол с Y»).
            lo = sentence.start + mention.end
            hi = sentence.start + found[k + 1].start if k + 1 < len(found) else sentence.end
            sides = sides_in(sentence, lo, hi, gazetteer)
            if not _complete(sides):
                lo = sentence.start + (found[k - 1].end if k else 0)
                before = sides_in(sentence, lo, sentence.start + mention.start, gazetteer)
                seen = {id(s.entity) for s in sides}
                sides = [s for s in before if id(s.entity) not in seen] + list(sides)
            filled = False
            # a party the graph holds no entity for: nothing named elsewhere stands in for it
            other = not _complete(sides) and _names_other_party(sentence, lo, hi, gazetteer)
            if not _complete(sides) and not other:
                context = _from_context(all_sentences, i, gazetteer)
                if context:
                    seen = {id(s.entity) for s in sides}
                    sides = sides + [s for s in context if id(s.entity) not in seen]
                    filled = True
            if municipality is not None and not report_row and not _complete(sides) \
                    and any(not s.russian for s in sides) and not other:
                sides = sides + [Side(_as_named(municipality, municipality.admin_centre), municipality, True, lo)]
            if not _complete(sides) and not (report_row and sides):
                continue
            if filled and any(a.kind == mention.kind for a, _ in agreements):
                continue  # a later word on an agreement already read
            parties = tuple(AgreementParty(s.name, s.entity) for s in sides)
            if any(a.kind == mention.kind and {id(p.entity) for p in parties} <= {id(p.entity) for p in a.parties}
                   for a, _ in agreements):
                continue
            agreements.append((Agreement(mention.kind, parties, stated_on, _year_said(sentence.text)), filled))
    # A headline's word («Подписание Соглашения о сотрудничестве») with its sides from the
    # context is the agreement the text states later with its own sides.
    stated = {a.kind for a, filled in agreements if not filled}
    return tuple(a for a, filled in agreements if not filled or a.kind not in stated)


def _names_other_party(sentence: Sentence, lo: int, hi: int, gazetteer: Gazetteer) -> bool:
    """Whether ``lo:hi`` names a party the graph holds no entity for, so that no municipality
    or town named elsewhere may stand in for it: a district or region the gazetteer does not
    know («Себежский муниципальный округ»), or Smolensk oblast itself («между Смоленской и
    Могилевской областями»), not the oblast a district is of («района Смоленской области»).

    >>> [bool(_SMOLENSK_OBLAST_PARTY.search(t)) for t in ("между Смоленской и Могилевской областями",
    ...     "Рославльский район Смоленской области", "соглашение со Смоленской областью")]
    [True, False, True]
    """
    return bool(_SMOLENSK_OBLAST_PARTY.search(sentence.cell.text[lo:hi])) or \
        _names_unknown_party(_unlinked(sentence, lo, hi), gazetteer)


def _names_unknown_party(text: str, gazetteer: Gazetteer) -> bool:
    """A district or region the gazetteer does not know: «Себежский муниципальный округ»."""
    return any(adjective_country(m.group(1), gazetteer) is None and stem(m.group(1)) not in KNOWN_REGION_STEMS
               for m in _UNKNOWN_PARTY.finditer(text))


# The oblast as a party, not as a qualifier («района Смоленской области»): beside another
# region, or in the instrumental («со Смоленской областью»).
_SMOLENSK_OBLAST_PARTY = re.compile(
    r"\bСмоленск(?:ой\s+областью|ая\s+область\s+и\b|ой\s+и\s+[А-ЯЁ][а-яё]+\s+областя(?:ми|х)"
    r"|ой\s+и\s+[А-ЯЁ][а-яё]+\s+областей|ая\s+и\s+[А-ЯЁ][а-яё]+\s+области)")


def _unlinked(sentence: Sentence, lo: int, hi: int) -> str:
    """The text of ``lo:hi`` with what the linker read blanked out."""
    text = list(sentence.cell.text[lo:hi])
    for link in sentence.cell.links:
        for at in range(max(lo, link.mention.start), min(hi, link.mention.end)):
            text[at - lo] = " "
    return "".join(text)


def with_event_organisations(agreements: tuple[Agreement, ...],
                             orgs: tuple[Organisation, ...]) -> tuple[Agreement, ...]:
    """Parties that are organisations as the event's own (one per name), so that a party
    is the organisation the event describes."""
    own = {o.name_key: o for o in orgs}

    def party(p: AgreementParty) -> AgreementParty:
        if isinstance(p.entity, Organisation):
            return replace(p, entity=own.get(p.entity.name_key, p.entity))
        return p

    return tuple(replace(a, parties=tuple(party(p) for p in a.parties)) for a in agreements)
