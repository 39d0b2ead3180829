"""Organisations: who took part, with a type, a country and a location.

Found two ways: names opened by a legal form and a quoted title («ГУО «Детская школа
искусств № 1 г. Витебска»», «МБУК ДК «Шарм»»), read with balanced quotes; and natasha's
ORG entities («Лиозненский районный исполнительный комитет»). The country comes from the
legal form (ГУО, ГУК, УО are Belarusian; МБУК, МБУДО, МБОУ, ОГБУК Russian), else from a
place inside the name or right after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from borderkg.extract.linking import CellLinks
from borderkg.link.resolve import Link
from borderkg.ner import EntityKind

BY_FORMS = ("ГУО", "ГУК", "УО", "ГУ", "ГУДО", "ГУКДО", "ГУСУ", "КУП", "РУП", "ГОУ", "УК", "ГУКиТ")
RU_FORMS = ("МБУК", "МБУДО", "МБОУ", "МАОУ", "МБДОУ", "МКУ", "МАУК", "МБУ", "МАУ", "МУК", "ОГБУК",
            "ОГБОУ", "ОГБУ", "ГБУК", "ГБОУ", "ГАУК", "ФГБУ", "ФГБОУ", "ФГБУК", "АНО", "НКО", "ООО", "ПАО")
_FORM = re.compile(r"(?<![\w«])(" + "|".join(sorted(BY_FORMS + RU_FORMS, key=len, reverse=True)) +
                   r")(?:\s+(?:ВО|ДО|СПО|ДПО))?\s*(?=[«\"A-ZА-ЯЁ])")
# The type of an organisation, by the first keyword its name contains.
TYPES = (
    ("executive_committee", r"исполнительн\w* комитет|исполком"),
    ("council", r"совет\w* депутатов"),
    ("administration", r"администраци"),
    ("school_of_arts", r"школ\w* искусств|\bДШИ\b|\bДМШ\b|\bДХШ\b|музыкальн\w* школ|художественн\w* школ"),
    ("library", r"библиотек|ЦБС|библиотечн"),
    ("museum", r"музе"),
    ("university", r"университет|институт|академи|колледж|училищ|техникум"),
    ("school", r"школ|гимнази|лице[йя]|\bСШ\b|\bСОШ\b|детск\w* сад|\bЦО\b|образовани"),
    ("culture_house", r"дом\w* культуры|дворец культуры|\bДК\b|\bЦКС\b|центр\w* культуры|клуб|досуг"),
    ("theatre", r"театр|филармони"),
    ("public_association", r"общественн\w* (?:объединени|организаци)|союз|ассоциаци|фонд"),
    ("sports", r"спортивн|олимпийск|\bСШОР\b|\bДЮСШ\b"),
)


@dataclass(frozen=True)
class Organisation:
    """An organisation named in a cell, with what is known of it."""

    name: str
    type: str
    country: str | None  # "BY", "RU" or None when nothing tells
    location: Link | None
    field: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """What makes two mentions one organisation: its name (case and punctuation aside)
        where it is, its location else its country; «ДШИ» of Смоленск is not «ДШИ» of Орша.

        >>> Organisation("ГУО «Гимназия № 4»", "school", "BY", None, "participants", 0, 18).key
        'гуо гимназия 4|BY'
        """
        where = ""
        if self.location is not None:
            where = self.location.target.id if self.location.target.kind == "municipality" else (
                self.location.place.id if self.location.place is not None else "")
        where = where or self.country or ""
        return re.sub(r"\W+", " ", self.name.lower()).strip() + (f"|{where}" if where else "")


def org_type(name: str) -> str:
    """The kind of organisation a name says.

    >>> org_type("ГУО «Детская школа искусств № 1 г. Витебска»")
    'school_of_arts'
    >>> org_type("Лиозненский районный исполнительный комитет")
    'executive_committee'
    >>> org_type("ООО «Ромашка»")
    'organisation'
    """
    for kind, pattern in TYPES:
        if re.search(pattern, name, re.IGNORECASE):
            return kind
    return "organisation"


def _quoted_end(text: str, start: int) -> int:
    """End of the quoted title opening at ``start``, nested «…» balanced. Reports often drop
    a closing quote («МБОУ «ЦО № 1 «Академия детства» (г. Смоленск)»): then the title ends
    at the last closing quote before the next comma or semicolon outside quotes.

    >>> t = "ГУО «Гимназия № 4 г. Витебска», ГУО «СШ № 42»"
    >>> t[4:_quoted_end(t, 4)]
    '«Гимназия № 4 г. Витебска»'
    >>> t = "МБОУ «ЦО № 1 «Академия детства» (г. Смоленск), представители"
    >>> t[5:_quoted_end(t, 5)]
    '«ЦО № 1 «Академия детства»'
    """
    depth, last_close = 0, -1
    for i in range(start, len(text)):
        char = text[i]
        if char == "«":
            depth += 1
        elif char == "»":
            depth -= 1
            last_close = i + 1
            if depth == 0:
                return i + 1
        elif char in ",;\n" and last_close > 0:
            return last_close
    return last_close


def _legal_form_names(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in _FORM.finditer(text):
        quote = text.find("«", match.end() - 1, match.end() + 12)
        end = _quoted_end(text, quote) if quote >= 0 else -1
        if end < 0:
            continue
        found.append((match.start(), end, match.group(1)))
    return found


def is_named(name: str) -> bool:
    """An organisation's name, as opposed to a generic noun phrase NER took for one.

    >>> is_named("ГУО «Гимназия № 4 г. Витебска»"), is_named("Лиозненский районный исполнительный комитет")
    (True, True)
    >>> is_named("Обучающиеся школы"), is_named("ДШИ"), is_named("Администрации муниципального образования «»")
    (False, False, False)
    """
    if re.search(r"«[^»]*\w", name):
        return True
    words = name.split()
    if len(words) < 2 or "«" in name:
        return False
    if any(w[:1].isupper() for w in words[1:]):
        return True
    # «Лиозненский районный …», «Белорусский государственный …»: a proper adjective first.
    return words[0][:1].isupper() and bool(re.search(r"(ск|цк)(ий|ая|ое|ого|ой)$", words[0]))


def organisations(cell: CellLinks) -> list[Organisation]:
    """Every organisation of one cell, in order."""
    text = cell.text
    found: list[Organisation] = []
    taken: list[tuple[int, int]] = []
    for start, end, form in _legal_form_names(text):
        name = " ".join(text[start:end].split())
        if not is_named(name):
            continue
        country = "BY" if form in BY_FORMS else "RU"
        found.append(Organisation(name, org_type(name), country, _location(cell, start, end), cell.field, start, end))
        taken.append((start, end))
    for entity in cell.entities:
        if entity.kind is not EntityKind.ORG or any(s <= entity.start < e for s, e in taken):
            continue
        name = _close_quotes(" ".join(entity.normal.split()))
        if not is_named(name):
            continue
        location = _location(cell, entity.start, entity.stop)
        country = _country(cell, entity.start, entity.stop, location)
        found.append(Organisation(name, org_type(name), country, location, cell.field, entity.start, entity.stop))
    return sorted(found, key=lambda o: o.start)


def _location(cell: CellLinks, start: int, end: int) -> Link | None:
    """The place named inside the organisation's name, or right after it («… г. Смоленска»)."""
    near = [l for l in cell.links if start <= l.mention.start < end + 30 and l.target.kind != "country"]
    inside = [l for l in near if l.mention.start < end] or near[:1]
    settlements = [l for l in inside if l.place is not None and l.place.is_settlement]
    return (settlements or inside or [None])[0]


def _country(cell: CellLinks, start: int, end: int, location: Link | None) -> str | None:
    after = cell.text[end:end + 60]
    if re.match(r"^[^,;]{0,40}\(?Республик\w* Беларусь", after):
        return "BY"
    if location is not None:
        return location.country
    return None


def _close_quotes(name: str) -> str:
    """natasha's ORG spans stop before a closing quote: restore it."""
    return name + "»" * (name.count("«") - name.count("»"))
