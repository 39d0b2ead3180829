"""Places named by an adjective in any gender, case or number: «Шумячское «Порубежье»»,
«ершичские коллективы», «Лиозненского военно-исторического музея». The linker reads
«Шумячского района»; these words name the unit with no «район» after them.

A stem names a Smolensk municipality (its adjective) or a Belarusian raion or oblast; not a
district of Minsk, whose Soviet names («Московский», «Ленинский») are everywhere.
The stem of «Смоленский» is left out: «смоленский» says the region far more often than the
district, and the linker reads «Смоленский район» itself.

>>> from borderkg.gazetteer import load_gazetteer
>>> gaz = load_gazetteer()
>>> [(m.start, m.end, m.unit.name) for m in municipality_adjectives("Шумячское «Порубежье» и ершичские коллективы", gaz)]
[(0, 9, 'Шумячский муниципальный округ'), (24, 33, 'Ершичский муниципальный округ')]
>>> adjective_country("Лиозненского", gaz), adjective_country("Смоленской", gaz), adjective_country("Московского", gaz)
('BY', 'RU', None)
>>> country_adjectives("белорусская команда и сборная немецкого города-побратима Хагена")
['BY', 'DE']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from borderkg.gazetteer import Gazetteer, Municipality, Place
from borderkg.gazetteer.world import COUNTRY_ADJECTIVE_STEMS

_ENDING = re.compile(r"(?:ий|ый|ой|ая|яя|ое|ее|ие|ые|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ей|ой|их|ых|ими|ыми)$")
_WORD = re.compile(r"(?<![А-Яа-яЁё-])[А-Яа-яЁё][а-яё]+(?:ий|ый|ой|ая|ое|ие|ые|ого|ому|ым|им|ом|ую|ей|их|ых|ими|ыми)"
                   r"(?![А-Яа-яЁё-])")
# The region's own adjective is not a district's; with Russia's, the regions every text knows.
_REGION_STEMS = {"смоленск"}
KNOWN_REGION_STEMS = frozenset({"смоленск", "российск", "русск", "белорусск"})


def stem(word: str) -> str:
    """«Шумячского» → «шумячск».

    >>> stem("Шумячского"), stem("Могилёвская")
    ('шумячск', 'могилевск')
    """
    return _ENDING.sub("", word.lower().replace("ё", "е"))


@dataclass(frozen=True)
class AdjectiveMention:
    start: int
    end: int
    unit: Municipality | Place


@lru_cache(maxsize=4)
def _units(gazetteer: Gazetteer) -> dict[str, tuple]:
    units: dict[str, list] = {}
    for municipality in gazetteer.municipalities.values():
        if municipality.adjective:
            units.setdefault(stem(municipality.adjective), []).append(municipality)
    for place in gazetteer.places.values():
        if place.adjective and place.country in ("BY", "RU") and place.kind in ("raion", "oblast"):
            units.setdefault(stem(place.adjective), []).append(place)
    return {key: tuple(value) for key, value in units.items()}


def _country(unit) -> str:
    return "RU" if isinstance(unit, Municipality) else unit.country


def adjective_country(word: str, gazetteer: Gazetteer) -> str | None:
    """The country of the units an adjective names, when they are all of one country."""
    countries = {_country(u) for u in _units(gazetteer).get(stem(word), ())}
    return countries.pop() if len(countries) == 1 else None


def municipality_adjectives(text: str, gazetteer: Gazetteer) -> list[AdjectiveMention]:
    """Smolensk municipalities a text names by their adjective alone, in order."""
    found = []
    for match in _WORD.finditer(text):
        key = stem(match.group(0))
        if key in _REGION_STEMS:
            continue
        units = _units(gazetteer).get(key, ())
        if len(units) == 1 and isinstance(units[0], Municipality):
            found.append(AdjectiveMention(match.start(), match.end(), units[0]))
    return found


_COUNTRY_ADJECTIVE = re.compile(r"(?<![А-Яа-яЁё])(" + "|".join(sorted(COUNTRY_ADJECTIVE_STEMS, key=len, reverse=True))
                                + r")(?:ий|ый|ая|ое|ие|ые|ого|ому|им|ым|ом|ую|ой|их|ых|ими|ыми|о-)", re.IGNORECASE)
# «немецко-фашистских захватчиков» says the war, not Germany.
_NOT_THE_COUNTRY = re.compile(r"о-фашист", re.IGNORECASE)


def country_adjectives(text: str) -> list[str]:
    """ISO codes of the countries a text names by an adjective, sorted; the halves of a
    compound count («российско-белорусский»), the war's «немецко-фашистские» does not.

    >>> country_adjectives("Белорусско-узбекского форума"), country_adjectives("от немецко-фашистских захватчиков")
    (['BY', 'UZ'], [])
    """
    codes = {COUNTRY_ADJECTIVE_STEMS[m.group(1).lower()] for m in _COUNTRY_ADJECTIVE.finditer(text)
             if not _NOT_THE_COUNTRY.match(text, m.end() - 2)}
    return sorted(codes)


# A town named like an adjective («Дубровно - Красный»): a name when capitalised in the
# middle of a sentence with no noun after it, or after a cue («г. Красный»).
_CENTRE_CUE = r"(?:(?<=г\.)|(?<=г\. )|(?<=города )|(?<=город )|(?<=пос\. ))"


def centre_mentions(text: str, gazetteer: Gazetteer) -> list[AdjectiveMention]:
    """Smolensk municipalities named by a centre whose name is an adjective.

    >>> from borderkg.gazetteer import load_gazetteer
    >>> gaz = load_gazetteer()
    >>> [m.unit.name for m in centre_mentions("Городок - Усвяты, Дубровно - Красный.", gaz)]
    ['Краснинский муниципальный округ']
    >>> centre_mentions("Красный Бор. В Красном районе", gaz)
    []
    """
    found = []
    for municipality in gazetteer.municipalities.values():
        centre = municipality.admin_centre
        if not re.search(r"(?:ый|ий|ой)$", centre):
            continue
        base = centre[:-2]
        pattern = re.compile(rf"(?:{_CENTRE_CUE}|(?<=[^.!?\s] )|(?<=[-–—,] )){base}(?:ый|ий|ой|ого|ом|ому)"
                             r"(?=\s*(?:[.,;:!?)–—-]|$))")
        found += [AdjectiveMention(m.start(), m.end(), municipality) for m in pattern.finditer(text)]
    return found


def _city_named(link, text: str, gazetteer: Gazetteer) -> Municipality | None:
    """«между Смоленском и Оршанским районом»: the city, though an adjective of its
    district would read the same; a noun's case form with no «район» after it."""
    municipality = gazetteer.municipalities.get(link.target.id)
    if municipality is None or municipality.kind == "city_okrug":
        return None
    city = next((m for m in gazetteer.municipalities.values() if m.kind == "city_okrug"
                 and m.admin_centre == municipality.admin_centre), None)
    if city is None or not re.fullmatch(rf"{city.admin_centre}(?:а|у|ом|е)?", link.mention.text):
        return None
    after = text[link.mention.end:link.mention.end + 12].lower()
    return None if re.match(r"\s*(?:район|округ|р-н)", after) else city


def named_municipalities(cells, gazetteer: Gazetteer, asides: bool = True) -> list[Municipality]:
    """Every Smolensk municipality the texts name, in order, once per mention: what the
    linker read, the adjectives alone («Шумячское «Порубежье»») and adjective-named centres
    («Красный»). ``asides=False`` leaves out what is named in brackets («(час езды от
    Смоленска)»)."""
    named = []
    for cell in cells:
        found: list[tuple[int, Municipality]] = []
        spans = []
        for link in cell.links:
            if link.target.kind != "municipality":
                continue
            found.append((link.mention.start, _city_named(link, cell.text, gazetteer)
                          or gazetteer.municipalities[link.target.id]))
            spans.append((link.mention.start, link.mention.end))
        for mention in municipality_adjectives(cell.text, gazetteer) + centre_mentions(cell.text, gazetteer):
            if not any(s <= mention.start < e or mention.start <= s < mention.end for s, e in spans):
                found.append((mention.start, mention.unit))
        if not asides:
            found = [(at, m) for at, m in found if cell.text.count("(", 0, at) <= cell.text.count(")", 0, at)]
        named += [m for _, m in sorted(found, key=lambda x: x[0])]
    return named
