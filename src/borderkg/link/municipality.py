"""Smolensk-oblast municipalities: section headers and mentions in text, across the renaming.

A 2020 header «Хиславичский район» and a 2025 header «Муниципальное образование
«Хиславичский муниципальный округ» Смоленской области» land on the same entity.
"""

from __future__ import annotations

import re

from borderkg.gazetteer import Gazetteer, Municipality
from borderkg.link.index import fold

_CITY = re.compile(r"(?:^|\bгород\s+|\bг\.\s*|«)(Смоленск|Десногорск)\b(?!\w)", re.IGNORECASE)


def resolve_municipality(header: str, gazetteer: Gazetteer) -> Municipality | None:
    """The municipality a section header (or any name of it) denotes, or None.

    >>> from borderkg.gazetteer import load_gazetteer
    >>> gaz = load_gazetteer()
    >>> resolve_municipality("Хиславичский район", gaz).name
    'Хиславичский муниципальный округ'
    >>> resolve_municipality("Муниципальное образование «Хиславичский муниципальный округ» Смоленской области", gaz).id == resolve_municipality("МО «Хиславичский район»", gaz).id
    True
    >>> resolve_municipality("Город Смоленск", gaz).name
    'город Смоленск'
    >>> resolve_municipality("Смоленский район", gaz).name
    'Смоленский муниципальный округ'
    >>> resolve_municipality("Делегация г. Минска", gaz) is None
    True
    """
    # «… Смоленской области» names the oblast, not the Смоленский municipal okrug.
    text = re.sub(r"(?i)смоленск\w*\s+област\w*", " ", fold(" ".join(header.split())))
    by_adjective = {_stem(m.adjective): m for m in gazetteer.municipalities.values()
                    if m.kind != "city_okrug"}
    for word in re.findall(r"[А-ЯЁA-Z][\w-]+", text):
        municipality = by_adjective.get(_stem(word))
        if municipality and re.search(r"(?i)район|округ|муниципальн|МО\b", text):
            return municipality
    match = _CITY.search(text)
    if match:
        centre = match.group(1).lower()
        for municipality in gazetteer.municipalities.values():
            if municipality.kind == "city_okrug" and fold(municipality.admin_centre).lower() == centre:
                return municipality
    return None


def _stem(adjective: str) -> str:
    """«Тёмкинский», «Темкинского», «Темкинский» share the stem «темкинск»."""
    word = fold(adjective).lower()
    return re.sub(r"(ий|ый|ой|ого|ему|ому|ем|им|ым|ом|ая|ой|ую|ое|ие|ые|их|ых|ими|ыми)$", "", word)
