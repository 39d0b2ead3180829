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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from borderkg.gazetteer import Gazetteer, Municipality, Place

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
