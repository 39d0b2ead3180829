"""Organisations: who took part, with a type, a country and a location.

Found two ways: names opened by a legal form and a quoted title («ГУО «Детская школа
искусств № 1 г. Витебска»», «МБУК ДК «Шарм»»), read with balanced quotes; and natasha's
ORG entities («Лиозненский районный исполнительный комитет»). The country comes from the
legal form (ГУО, ГУК, УО are Belarusian; МБУК, МБУДО, МБОУ, ОГБУК Russian), else from a
place inside the name or right after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property

from borderkg.extract.adjectives import adjective_country
from borderkg.extract.linking import CellLinks
from borderkg.gazetteer import Gazetteer
from borderkg.gazetteer.model import SETTLEMENT_KINDS
from borderkg.extract.orgnames import extend_name, name_spans, quoted_end
from borderkg.link.resolve import Link
from borderkg.ner import EntityKind
from borderkg.nlp import parses
from borderkg.normalize import nominative

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
    ("collective", r"коллектив|ансамбл|\bхор\b|оркестр"),
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

    @cached_property
    def body(self) -> str:
        """The one name the organisation is shown by (:func:`canonical_name`), which is also
        what makes two of its names one. A Belarusian raion has no «администрация»: a Russian
        text's «администрация Дубровенского района» is the raion's executive committee. The
        city districts of Minsk do have administrations.

        >>> Organisation("администрация Дубровенского района", "administration", "BY", None, "content", 0, 34).body
        'Дубровенский районный исполнительный комитет'
        >>> Organisation("администрация Краснинского района", "administration", "RU", None, "content", 0, 33).body
        'администрация Краснинского района'
        """
        name = canonical_name(self.name)
        raion = _BY_ADMINISTRATION.fullmatch(name) if self.country == "BY" else None
        if raion is None:
            return name
        from borderkg.extract.orgnames import masculine_nominative

        return f"{masculine_nominative(raion.group(1))} районный исполнительный комитет"

    @property
    def is_alias(self) -> bool:
        """Whether the name is another body's name for it («администрация» of a Belarusian raion)."""
        return self.body != canonical_name(self.name)

    @property
    def name_key(self) -> str:
        """:func:`name_key` of :attr:`body`: the organisation's name, spelling aside."""
        return name_key(self.body)

    @property
    def key(self) -> str:
        """What makes two mentions one organisation: its name (case, spelling and
        punctuation aside) and where it is — the place named right after it («ДШИ» of
        Смоленск is not «ДШИ» of Орша), else its country (the name says its place:
        «Лиозненский райисполком»).

        >>> Organisation("ГУО «Гимназия № 4»", "school", "BY", None, "participants", 0, 18).key
        'гуо гимназия 4|BY'
        """
        where = ""
        location = self.location
        if location is not None and location.mention.start >= self.end:  # «… г. Смоленска»
            where = location.target.id if location.target.kind == "municipality" else (
                location.place.id if location.place is not None else "")
        where = where or self.country or ""
        return self.name_key + (f"|{where}" if where else "")


# «администрация Дубровенского района» (not of a district «… Минска»)
_BY_ADMINISTRATION = re.compile(r"администрация ([А-ЯЁ][а-яё-]+(?:ого|его)) района")

# One body, two spellings: «райисполком» is «районный исполнительный комитет».
_SPELLINGS = ((r"(?<!\w)райисполком(?!\w)", "районный исполнительный комитет"),
              (r"(?<!\w)горисполком(?!\w)", "городской исполнительный комитет"),
              (r"(?<!\w)облисполком(?!\w)", "областной исполнительный комитет"),
              (r"(?<!\w)горсовет(?!\w)", "городской Совет депутатов"),
              (r"(района|района|район) (?:города|г\.) (?=[А-ЯЁ])", r"\1 "))  # «… района города Минска»


def canonical_name(name: str) -> str:
    """The one name an organisation is shown by, whichever way a text wrote it: in the
    nominative, abbreviations of bodies spelled out.

    >>> canonical_name("Оршанского райисполкома"), canonical_name("администрации Московского района города Минска")
    ('Оршанский районный исполнительный комитет', 'администрация Московского района Минска')
    >>> canonical_name("БЕЛТА")
    'БЕЛТА'
    """
    text = " ".join(name.split())
    if not re.fullmatch(r"[А-ЯЁA-Z]{2,}", text):  # an acronym («БЕЛТА») has no case to change
        text = nominative(text)
    text = re.sub(r"(?<!\w)(рай|гор|обл)исполком\w*", lambda m: m.group(1) + "исполком", text)
    if re.match(r"[А-ЯЁ]\w+ (?:рай|гор|обл)исполком$", text):
        from borderkg.extract.orgnames import masculine_nominative

        text = f"{masculine_nominative(text.split()[0])} {text.split()[1]}"
    for pattern, spelled in _SPELLINGS:
        text = re.sub(pattern, spelled, text)
    return text


def name_key(name: str) -> str:
    """A name in its nominative, case, «ё» and punctuation aside: «Лиозненского районного
    исполнительного комитета» and «Лиозненский районный исполнительный комитет» are one.

    >>> name_key("Могилёвского городского исполнительного комитета")
    'могилевский городской исполнительный комитет'
    >>> name_key("Оршанский райисполком") == name_key("Оршанского районного исполнительного комитета")
    True
    """
    return re.sub(r"\W+", " ", canonical_name(name).lower().replace("ё", "е")).strip()


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


def _legal_form_names(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in _FORM.finditer(text):
        quote = text.find("«", match.end() - 1, match.end() + 12)
        end = quoted_end(text, quote) if quote >= 0 else -1
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
    if len(words) == 1 and re.fullmatch(r"[А-ЯЁ]{4,6}", name):
        return not _is_word(name)  # an acronym («БЕЛТА»), not a heading («РЕЗОЛЮЦИЯ»)
    if len(words) < 2 or "«" in name:
        return False
    if any(w[:1].isupper() for w in words[1:]):
        return True
    # «Лиозненский районный …», «Белорусский государственный …»: a proper adjective first.
    return words[0][:1].isupper() and bool(re.search(r"(ск|цк)(ий|ая|ое|ого|ой)$", words[0]))


_PEOPLE = re.compile(r"^(?:Обучающи\w+|Учащи\w+|Представител\w+|Воспитанник\w+|Студент\w+|Сотрудник\w+|"
                     r"Делегаци\w+|Участник\w+|Члены|Работник\w+|Педагог\w+|Жители)\s+", re.IGNORECASE)
# The head of an event's or a programme's name, not of an organisation's («Вахта Памяти»).
_EVENT = re.compile(r"^(?:Вахт|Акци|Фестивал|Конкурс|Форум|Сл[её]т|Марафон|Выставк|Концерт|Праздник|День|Дн[яи]|"
                    r"Недел|Месячник|Олимпиад|Эстафет|Пробег|Автопробег|Челлендж|Проект|Программ|Год\b|"
                    r"Чемпионат|Турнир|Кубок|Фест|Смотр|Парад|Шеств)", re.IGNORECASE)
# A page's navigation trail («Главная Новости и события Новости Побратимы Шарковщины»).
_BREADCRUMB = re.compile(r"^Главная\s+(?:страница\s+)?(?:[»>/|›→-]\s*)?(?:Новост|Событи|Пресс|Медиа|Информаци|Анонс)")
# A venue: a building or hall an event is held in («в Государственном Кремлевском Дворце»).
_VENUE = re.compile(r"(?:^|\s)(?:в|во|на)\s*$", re.IGNORECASE)
_VENUE_HEAD = re.compile(r"двор[её]?ц|\bзал|площад|\bпарк|сквер|стадион|арен", re.IGNORECASE)


def organisations(cell: CellLinks, before: list[Link] | None = None,
                  gazetteer: Gazetteer | None = None) -> list[Organisation]:
    """Every organisation of one cell, in order. ``before`` are the links of the texts
    before this one: a body named with no place («председатель районного Совета депутатов»)
    is of the raion named last."""
    text = cell.text
    found: list[Organisation] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, name: str, country: str | None = None,
            location: Link | None = None) -> None:
        location = location or _location(cell, start, end)
        country = country or _country(cell, name, start, end, location, gazetteer)
        found.append(Organisation(name, org_type(name), country, location, cell.field, start, end))
        taken.append((start, end))

    for start, end, form in _legal_form_names(text):
        end = extend_name(text, end)
        name = " ".join(text[start:end].split())
        if is_named(name):
            add(start, end, name, "BY" if form in BY_FORMS else "RU")
    for span in name_spans(text):
        if any(s <= span.start < e or span.start <= s < span.end for s, e in taken):
            continue
        if span.needs_place:
            place = _last_raion(cell, span.start, span.end, before or [], gazetteer)
            if place is None:
                continue
            adjective, location = place
            add(span.start, span.end, f"{adjective} {span.text}", location=location)
        else:
            add(span.start, span.end, span.text, span.country)
    for entity in cell.entities:
        if entity.kind is not EntityKind.ORG or any(s <= entity.start < e or entity.start <= s < entity.stop
                                                    for s, e in taken):
            continue
        written = entity.text if re.fullmatch(r"[А-ЯЁ]{4,}", entity.text) else entity.normal
        stop = entity.stop
        # «Централизованной клубной системы Хотимского района», «Дворца культуры области
        # г. Могилева»: NER stops before the raion or the town the institution is of.
        # (an acronym and a town, «ДШИ и ДХШ г. Минска, г. Новополоцка», are schools, not one)
        if "«" not in entity.text:
            raion = _TRAIL_RAION.match(text[stop:])
            stop = stop + raion.end() if raion else extend_name(text, stop) if len(entity.text.split()) > 1 else stop
        if stop != entity.stop:
            written = nominative(" ".join(text[entity.start:stop].split()))
        name = _PEOPLE.sub("", _close_quotes(" ".join(written.split())))
        if not is_named(name) or is_fragment(name) or _EVENT.match(name) or _BREADCRUMB.match(name) \
                or _is_title(text, entity.start, name) or (
                _VENUE.search(text[max(0, entity.start - 4):entity.start]) and _VENUE_HEAD.search(name)):
            continue
        add(entity.start, stop, name)
    return _joined(text, sorted(found, key=lambda o: o.start))


# The raion an institution is of, right after its name, in the genitive (its town, with a
# cue, is :func:`~borderkg.extract.orgnames.extend_name`'s).
_TRAIL_RAION = re.compile(r"\s+[А-ЯЁ][а-яё]+(?:ого|его)\s+района\b")


# «Витебского областного совета» + «ОО «БРПО»»: one name, the unit of an association.
_UNIT = re.compile(r"(?:совет|отделени|организаци|филиал|комитет)\w*$", re.IGNORECASE)


def _joined(text: str, found: list[Organisation]) -> list[Organisation]:
    """Names that are one: a unit followed by its association, an abbreviation before a
    legal form («МГО ОО «БРСМ»»)."""
    out: list[Organisation] = []
    for org in found:
        prefix = re.search(r"(?<![\w«])([А-ЯЁ]{2,5})\s+$", text[max(0, org.start - 8):org.start])
        if prefix and not (out and out[-1].end > org.start - len(prefix.group(0))):
            start = org.start - len(prefix.group(0))
            org = replace(org, name=f"{prefix.group(1)} {org.name}", start=start)
        if out and "«" in org.name and "«" not in out[-1].name and _UNIT.search(out[-1].name) \
                and not text[out[-1].end:org.start].strip():
            first = out.pop()
            org = replace(org, name=f"{first.name} {text[org.start:org.end].strip()}", start=first.start,
                          type=first.type, location=first.location or org.location)
        out.append(org)
    return out


def _is_word(word: str) -> bool:
    from borderkg.nlp import morph

    return morph().word_is_known(word.lower())


def _is_title(text: str, start: int, name: str) -> bool:
    """An event's, a project's or a place's name NER took for an organisation: a title in
    quotes with no legal form before it, a name right after «фестиваль», «конкурс» …, a
    square or park («Сквер Победы»)."""
    before = text[max(0, start - 30):start]
    if before.endswith("«") and not re.search(r"[А-ЯЁ]{2,}\s*«$", before):
        return True
    if re.search(r"(?:фестивал|конкурс|акци|проект|форум|выставк|програм|марафон)\w*[\s-]*\w*\s*$", before,
                 re.IGNORECASE):
        return True
    return bool(re.match(r"(?:Сквер|Парк|Площад|Улиц|Проспект|Мемориал|Курган)", name))


def is_fragment(name: str) -> bool:
    """A name that stops before its head noun («Хиславичского окружного», «Витебский
    городской»): NER cut it short.

    >>> is_fragment("Славгородского районного"), is_fragment("Славгородский районный Совет депутатов")
    (True, False)
    """
    if "«" in name:
        return False
    found = parses(name.split()[-1])
    return bool(found) and found[0].tag.POS in {"ADJF", "PRTF"}


def _last_raion(cell: CellLinks, start: int, end: int, before: list[Link], gazetteer: Gazetteer | None):
    """(adjective, link) of the raion (or Smolensk district) named right after the body
    (``end``: «председатель райисполкома Шарковщинского района»), or of the town right after
    it («районного центра культуры г. Кричева»), else the one the text named
    last before ``start``, else first after it in the same cell: «Лиозненский» of «г.п. Лиозно»."""
    inside = [l for l in cell.links if l.mention.start < start]
    after = [l for l in cell.links if l.mention.start >= start]
    # or the town right after it, behind its cue («районного центра культуры г. Кричева»)
    right_after = [l for l in after if l.place is not None and (
        (not cell.text[end:l.mention.start].strip() and l.place.kind == "raion")
        or (_PLACE_GAP.match(cell.text[end:l.mention.start]) and l.place.is_settlement))][:1]
    for link in right_after + list(reversed(before + inside)) + after:
        if link.target.kind == "municipality":
            if gazetteer is None:
                continue
            municipality = gazetteer.municipalities.get(link.target.id)
            if municipality is not None and municipality.kind != "city_okrug":
                return municipality.adjective, link
            continue
        place = link.place
        if place is None or place.country != "BY" or place.kind not in {"raion", *SETTLEMENT_KINDS}:
            continue
        raion = place if place.kind == "raion" else (gazetteer.raion_of(place) if gazetteer else None)
        if raion is not None:
            return raion.name.split()[0], link
    return None


def _location(cell: CellLinks, start: int, end: int) -> Link | None:
    """The place named inside the organisation's name, or right after it («… г. Смоленска»)."""
    near = [l for l in cell.links if start <= l.mention.start < end + 30 and l.target.kind != "country"]
    inside = [l for l in near if l.mention.start < end] or [
        l for l in near if _PLACE_GAP.match(cell.text[end:l.mention.start])][:1]
    settlements = [l for l in inside if l.place is not None and l.place.is_settlement]
    return (settlements or inside or [None])[0]


_BELARUS_AFTER = re.compile(r"^[^.,;]{0,40}\(?Республик\w* Беларусь|^\s*\([^()]{0,60}Республика Беларусь\)")
# «Беларусьфильм», «Беларуськалий» (a compound, not the country's name: «новости Беларуси»)
# or a nationwide association of Belarus («РОО «Белая Русь»», «ОО «БРСМ»», «ОО «БРПО»»)
_BELARUSIAN_NAME = re.compile(r"[Бб]елорус|Беларус(?!ь\b|и\b|ью\b)\w|\bБел[А-ЯЁ]|\bБЕЛ|исполнительн\w* комитет|исполком|"
                              r"Белая Русь|\bБРСМ\b|\bБРПО\b")
# Russia's own («Российская государственная библиотека», «Союз дизайнеров России»), its
# municipal legal form («муниципальное бюджетное учреждение», «МБУК Дом культуры»).
_RUSSIAN_NAME = re.compile(r"[Рр]осси|[Вв]серосси|[Оо]бщеросси|\bмуниципальн\w+ (?:бюджетн|казенн|автономн)|"
                           r"^(?:" + "|".join(RU_FORMS) + r")\b")
# Between a name and the place that tells where it is: nothing but a settlement's cue.
_PLACE_GAP = re.compile(r"^[\s(]*(?:из\s+)?(?:г\.|города|гор\.|д\.|дер\.|аг\.|агрогородка|пос\.|г\.п\.)?\s*$")


def _country(cell: CellLinks, name: str, start: int, end: int, location: Link | None,
             gazetteer: Gazetteer | None) -> str | None:
    """Whose organisation: «(Республика Беларусь)» right after its name, a place inside it
    (linked, or a raion's or oblast's adjective: «Смоленской области», «Лиозненского»), the
    place right after it, else what the name says (Belarusian bodies: «белорусский»,
    «БелТА», executive committees, which Russian local government does not have, the
    nationwide associations).

    >>> _country(CellLinks("paragraph", "", [], []), "районная организация РОО «Белая Русь»", 0, 0, None, None)
    'BY'
    """
    if _BELARUS_AFTER.match(cell.text[end:end + 80]):
        return "BY"
    if location is not None and location.mention.start < end:
        return location.country
    if gazetteer is not None:
        own = re.split(r"\s(?:им\.|имени)\s", name)[0]  # «им. Н.К. Крупской» names a person
        # proper adjectives, and a first word in lower case («витебская СДЮШОР-6»)
        words = re.findall(r"[А-ЯЁ][а-яё]+", own) + own.split()[:1]
        countries = {adjective_country(word, gazetteer) for word in words} - {None}
        if len(countries) == 1:
            return countries.pop()
    if _BELARUSIAN_NAME.search(name):
        return "BY"
    if _RUSSIAN_NAME.search(name):
        return "RU"
    if location is not None and _PLACE_GAP.match(cell.text[end:location.mention.start]):
        return location.country
    return None


def _close_quotes(name: str) -> str:
    """natasha's ORG spans stop before a closing quote: restore it."""
    return name + "»" * (name.count("«") - name.count("»"))
