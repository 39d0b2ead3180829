"""Choose what each mention refers to, from the context of the row or document.

The context rules, in order:
1. a name that is also an ordinary word («Горки», «Мир», «Красный») needs a cue («г.»,
   «аг.») or a Belarusian qualifier right after it;
2. a qualifier right after a mention («… Могилевской области», «… Смоленской области»,
   «(Республика Беларусь)») decides between homonyms and between Russia and Belarus;
3. otherwise the oblasts and raions named anywhere in the same text decide;
4. otherwise the Belarusian reading wins when Belarus is named in the text, else the
   Russian one; among Belarusian homonyms the most populous place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from borderkg.gazetteer import Place
from borderkg.link.index import LinkIndex, Target
from borderkg.link.mentions import Mention

_RU_AFTER = re.compile(r"^[\s,()]*(?:\w+\s+){0,2}?(?:Смоленск\w*\s+област|Брянск\w*\s+област|Псковск\w*\s+област|"
                       r"Российск\w*\s+Федерац|Росси[ия]\b|РФ\b|Свердловск\w* област|Московск\w* област)",
                       re.IGNORECASE)
_BY_AFTER = re.compile(r"^[\s,()]*(?:\w+\s+){0,3}?(?:Республик\w*\s+Беларусь|Беларус\w*|РБ\b|"
                       r"(?:Брестск|Витебск|Гомельск|Гродненск|Минск|Могилевск|Могилёвск)\w*\s+област)",
                       re.IGNORECASE)
_BY_ANYWHERE = re.compile(r"Беларус|Белорус|белорус", re.IGNORECASE)
# Generic adjectives shared by districts across the former USSR: a raion or a Minsk city
# district of this name needs a Belarusian qualifier nearby.
GENERIC_ADJECTIVES = {"Октябрьский", "Кировский", "Дзержинский", "Ленинский", "Первомайский",
                      "Советский", "Заводской", "Центральный", "Фрунзенский", "Партизанский",
                      "Московский", "Пролетарский", "Железнодорожный", "Новобелицкий",
                      "Пуховичский"}


@dataclass(frozen=True)
class Link:
    """A mention resolved to one target (a place may be new: not from the gazetteer)."""

    mention: Mention
    target: Target
    place: Place | None = None  # set for places, including new settlements
    confidence: float = 1.0  # how sure the linker is, 0..1: see :func:`link_confidence`

    @property
    def country(self) -> str:
        if self.target.kind == "country":
            return self.target.id
        if self.target.kind == "municipality":
            return "RU"
        return self.place.country if self.place else "BY"


def resolve(mentions: list[Mention], text: str, index: LinkIndex, context: str = "",
            context_units: set[str] = frozenset(), belarus_named: bool | None = None) -> list[Link]:
    """Resolve every mention of one text; unresolvable ones are dropped.

    ``context`` (the whole row or document) and ``context_units`` (raions and oblasts named
    there) widen what counts as named nearby; ``belarus_named`` is
    :func:`names_belarus` of the context, for a caller that resolves many texts of one.
    """
    gaz = index.gazetteer
    by_named = names_belarus(context or text) if belarus_named is None else belarus_named
    named_units = {t.id for m in mentions if m.rule == "adjective" for t in m.candidates}
    named_units |= set(context_units)
    links = []
    for mention in mentions:
        after = text[mention.end: mention.end + 90]
        if mention.rule == "new-settlement":
            raion = _pick_place(mention.extra["raion"], named_units, by_named, after, index)
            if raion is not None and raion.kind == "raion":
                links.append(Link(mention, Target("place", f"{raion.id}-new"),
                                  _new_settlement(mention, raion), link_confidence(mention)))
            continue
        candidates = [t for t in mention.candidates if _allowed(t, mention, after, text, index)]
        if not candidates:
            continue
        target = _choose(candidates, named_units, by_named, after, index)
        if target is None:
            continue
        links.append(Link(mention, target, gaz.places.get(target.id) if target.kind == "place" else None,
                          link_confidence(mention)))
    return links


def names_belarus(text: str) -> bool:
    """True when a text names Belarus or Belarusians.

    >>> names_belarus("делегация Республики Беларусь"), names_belarus("г. Смоленск")
    (True, False)
    """
    return bool(_BY_ANYWHERE.search(text))


def link_confidence(mention: Mention) -> float:
    """How sure the linker is of a link, from how the mention was found: a settlement not in
    the gazetteer 0.7, a bare name with no cue («г.», «аг.») 0.9, anything else 1.0.

    >>> link_confidence(Mention(0, 6, "Лиозно", [], rule="name"))
    0.9
    """
    if mention.rule == "new-settlement":
        return 0.7
    if mention.rule == "name" and mention.cue is None:
        return 0.9
    return 1.0


def _allowed(target: Target, mention: Mention, after: str, text: str, index: LinkIndex) -> bool:
    gaz = index.gazetteer
    if (mention.key, target.id) in index.needs_cue and mention.cue is None and not _BY_AFTER.match(after):
        return False
    if target.kind == "place":
        place = gaz.places[target.id]
        if place.adjective in GENERIC_ADJECTIVES or place.kind == "city_district":
            window = text[max(0, mention.start - 120): mention.end + 120]
            parent = gaz.get(place.oblast_id)
            if place.kind == "city_district":
                return bool(re.search(r"Минск[аеуо]?\b|Минском\b", window))
            return bool(parent and parent.adjective and parent.adjective[:-2] in window) \
                or bool(_BY_AFTER.match(after))
    return True


def _choose(candidates: list[Target], named_units: set[str], by_named: bool, after: str,
            index: LinkIndex) -> Target | None:
    if len(candidates) == 1:
        return candidates[0]
    gaz = index.gazetteer
    russian = [t for t in candidates if t.kind == "municipality" or
               (t.kind == "place" and gaz.places[t.id].country == "RU")]
    belarusian = [t for t in candidates if t not in russian and t.kind == "place"]
    others = [t for t in candidates if t.kind == "country"]
    if others and not belarusian and not russian:
        return others[0]
    if russian and belarusian:
        if _RU_AFTER.match(after):
            return russian[0]
        if _BY_AFTER.match(after):
            candidates = belarusian
        else:
            in_context = [t for t in belarusian if _in_named_units(gaz.places[t.id], named_units)]
            if in_context:
                candidates = in_context
            else:
                return (belarusian if by_named else russian)[0]
    place = _pick_place(candidates, named_units, by_named, after, index)
    return Target("place", place.id) if place else candidates[0]


def _in_named_units(place: Place, named_units: set[str]) -> bool:
    return place.raion_id in named_units or place.oblast_id in named_units


def _pick_place(candidates: list[Target], named_units: set[str], by_named: bool, after: str,
                index: LinkIndex) -> Place | None:
    gaz = index.gazetteer
    places = [gaz.places[t.id] for t in candidates if t.kind == "place" and t.id in gaz.places]
    if not places:
        return None
    in_context = [p for p in places if _in_named_units(p, named_units)]
    pool = in_context or places
    return max(pool, key=lambda p: p.population or 0)


def _new_settlement(mention: Mention, raion: Place) -> Place:
    slug = "".join(ch for ch in mention.text.lower() if ch.isalnum())
    return Place(id=f"{raion.id}-new-{slug}", name=mention.text, kind=mention.cue or "village",
                 country="BY", raion_id=raion.id, oblast_id=raion.oblast_id, in_gazetteer=False)
