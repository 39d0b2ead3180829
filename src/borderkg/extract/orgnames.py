"""Where organisation names are in a text: rules for the names natasha's NER cuts short or
misses, each giving the whole name with its legal form, level and place.

* bodies of power: «Лиозненского районного исполнительного комитета», «Дубровенский
  райисполком», «Мингорисполком», «администрации Московского района города Минска», two at
  once («между Смоленским и Витебским городскими Советами депутатов»);
* the same with no place word («председатель районного Совета депутатов», «в районном Доме
  ремесел»): the raion is the one the text named last (:attr:`NameSpan.needs_place`);
* institutions spelled out: «Государственным учреждением «Белорусский духовный центр
  Возрождение»», «средней школы № 46 г. Витебска им. И.Х. Баграмяна», «Белорусского
  государственного аграрного технического университета»;
* collectives, clubs and teams with a title: «народный коллектив «Креатив»», «народный
  мужской вокальный ансамбль «Дисенчуки»», «футбольный клуб «Орша»».

>>> [s.text for s in name_spans("Между администрациями Дубровенского и Краснинского районов заключен договор")]
['администрация Дубровенского района', 'администрация Краснинского района']
>>> [s.text for s in name_spans("между Смоленским и Витебским городскими Советами депутатов.")]
['Смоленский городской Совет депутатов', 'Витебский городской Совет депутатов']
>>> [(s.text, s.needs_place) for s in name_spans("председатель райисполкома Игорь Мороз")]
[('райисполком', True)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from borderkg.nlp import parses
from borderkg.normalize import nominative

_ADJ = r"[А-ЯЁ][а-яё]+(?:-[а-яё]+)?(?:ий|ый|ой|ого|ому|им|ым|ом|ая|ую|ое|ие|ые|их|ых|ими|ыми|ей)"
_LEVEL = r"(?:районн|городск|областн|окружн|сельск|поселков)[а-яё]*"
_BODY = (r"(?:исполнительн[а-яё]*\s+комитет[а-яё]*|Совет[а-яё]*\s+депутатов|"
         r"представительн[а-яё]*\s+Собрани[а-яё]*|Дум[а-яё]*)")
# «Лиозненского районного исполнительного комитета», «Смоленским и Витебским городскими Советами депутатов»
_COUNCIL = re.compile(rf"\b({_ADJ})(?:\s+и\s+({_ADJ}))?\s+({_LEVEL}\s+{_BODY})")
_ISPOLKOM = re.compile(rf"\b(?:({_ADJ})\s+)?((?:рай|гор|обл)исполком[а-яё]*)|\b(Мингорисполком[а-яё]*)")
_ADMINISTRATION = re.compile(
    rf"\b(администраци[а-яё]*)\s+({_ADJ})(?:\s+и\s+({_ADJ}))?\s+(район[а-яё]*)"
    r"(\s+(?:города\s+|г\.\s*)?Минска)?", re.IGNORECASE)
# No place word: the raion is the one named before.
# («районного центра культуры г. Кричева»: Belarusian texts write the institution in lower case)
_BARE = re.compile(rf"\b(районн[а-яё]*\s+(?:{_BODY}|Дом[а-яё]*\s+[а-яё]+|[Цц]ентр[а-яё]*\s+культуры))")
# A spelled-out legal form, up to four adjectives before it, with a quoted title, perhaps
# after its parent's abbreviation («районная организация РОО «Белая Русь»»).
_INSTITUTION_HEAD = r"(?:учреждени|организаци|объединени|предприяти|автономи|филиал)[а-яё]*"
_SPELLED = re.compile(rf"(?<![А-ЯЁа-яё-])((?:[А-ЯЁа-яё-]+\s+){{0,4}}{_INSTITUTION_HEAD}(?:\s+(?:культуры|образования|"
                      r"дополнительного образования|здравоохранения))?)(?:\s+[А-ЯЁ]{2,5})?\s*(?=«)")
# and sports clubs and teams with a title («футбольный клуб «Орша»», «белорусская команда «БАТЭ»»)
_COLLECTIVE_HEAD = r"(?:коллектив|ансамбл|хор|оркестр|студи|клуб(?![а-яё]*н)|команд(?![а-яё]*ир))"
_COLLECTIVE = re.compile(rf"(?<![А-ЯЁа-яё-])((?:[А-ЯЁа-яё-]+\s+){{0,4}}{_COLLECTIVE_HEAD}[а-яё]*"
                         r"(?:\s+[а-яё]+){0,3}?)\s*(?=«)")
_INSTITUTION_NOUN = r"(?:школ|гимнази|библиотек|музе|университет|академи|колледж|лице[йя]|училищ)"
_INSTITUTION = re.compile(rf"(?<![А-ЯЁа-яё-])((?:[А-ЯЁа-яё-]+\s+){{1,4}}{_INSTITUTION_NOUN}[а-яё]*(?:\s+№\s*\d+)?)")
# «Московской районной организации г. Минска Белорусского общественного объединения ветеранов»
_CHAIN_HEAD = r"(?:организаци|объединени|отделени|ассоциаци|федераци)"
_CHAIN = re.compile(rf"(?<![А-ЯЁа-яё-])((?:[А-ЯЁа-яё-]+\s+){{1,4}}{_CHAIN_HEAD}[а-яё]*)(?![«\w])(?!\s*«)")
_EMBASSY = re.compile(r"(?:отделени[а-яё]*\s+)?(?:Посольств|Генеральн[а-яё]*\s+консульств|Консульств)[а-яё]*"
                      r"\s+(?:Республики\s+Беларусь|РБ|Беларуси)(?:\s+в\s+(?:г\.\s*|городе\s+)?[А-ЯЁ][а-яё-]+)?")
# A raion's bodies written with the raion after them, one or two at once («руководства
# исполкома и совета депутатов Шарковщинского района»).
_RAION_BODY = r"(?:исполком[а-яё]*|[Сс]овет[а-яё]*\s+депутатов)"
_OF_RAION = re.compile(rf"(?<![А-Яа-яЁё])({_RAION_BODY})(?:\s+и\s+({_RAION_BODY}))?\s+({_ADJ})\s+района\b")
# A sports school by its abbreviation and number, perhaps after its place's adjective
# («витебской СДЮШОР-6», «ДЮСШ №2 из города Борисова»).
_SPORTS_SCHOOL = re.compile(r"(?<![А-Яа-яЁё])(?:([А-ЯЁа-яё][а-яё]*(?:ск|цк)(?:ая|ой|ую|ей))\s+)?"
                            r"(СДЮСШОР|СДЮШОР|СДЮСШ|ДЮСШ|СШОР)(\s*№\s*\d+|-\d+)")
# A team or body by its quoted title alone, from a town the text names with its cue
# («„БАТЭ“ из города Борисова (Республика Беларусь)»): the town tells whose.
# (an event's or a work's title is no body: «выставка «Ремесла» из г. Витебска»)
_WORK_BEFORE = re.compile(r"(?:выставк|спектакл|фестивал|концерт|песн|проект|программ|конкурс|акци|постановк|"
                          r"фильм|книг|экспозици|праздник)[а-яё]*\s*$", re.IGNORECASE)
_TITLE_FROM_TOWN = re.compile(r"«[^«»\n]{2,40}»(?=\s+из\s+(?:г\.\s*|города\s+)[А-ЯЁ])")
# Belarus's ministries, or a minister's title that names one («первый заместитель министра
# культуры Республики Беларусь»), or two countries' at once («Министерств спорта России и
# Беларуси»): the Belarusian one.
_MINISTRY = re.compile(r"(?<![А-Яа-яЁё])(?:([Мм]инистерств[а-яё]*|[Мм]инистр[а-яё]*)((?:\s+[а-яё]+){1,4}?)|(МИД))"
                       r"\s+(?:России\s+и\s+)?(Республики\s+Беларусь|Беларуси)(?![А-Яа-яЁё])")
# A unit of the body named after it in the genitive.
_UNIT_BEFORE = re.compile(r"(?<![А-ЯЁа-яё-])(?:Лице[йяюем]|Филиал[а-яё]*|Колледж[а-яё]*|Отделени[а-яё]*|"
                          r"Факультет[а-яё]*|Кафедр[а-яё]*)\s+$")
# What may follow a name as part of it: its place («г. Барани Оршанского района»), a patron.
# («Дворца культуры области г. Могилева»: the oblast or raion of the body may come first)
_TRAIL_PLACE = re.compile(r"^\s*(?:(?:области|района)\s+(?=г\.|города))?(?:г\.|города|гор\.|д\.|дер\.|аг\.|агрогородка|пос\.|г\.п\.)\s*[А-ЯЁ][а-яё-]+"
                          rf"(?:\s+{_ADJ}\s+района)?")
# A place's adjective and an institution's abbreviation («Лиозненской ЦРБ», «Дубровенский РЦК»),
# with the gender of the abbreviated noun (больница, система, школа; дом, центр).
_ABBREVIATED_GENDER = {"ЦРБ": "femn", "ЦБС": "femn", "ЦКС": "femn", "ЦГБ": "femn", "ДШИ": "femn", "ДМШ": "femn",
                       "ДХШ": "femn", "РДК": "masc", "РЦК": "masc", "ЦДТ": "masc", "РЦТ": "masc", "ЦТДМ": "masc"}
_ABBREVIATED = re.compile(rf"\b({_ADJ})\s+({'|'.join(_ABBREVIATED_GENDER)})\b")
_TRAIL_PATRON = re.compile(r"^\s*(?:им\.|имени)\s*(?:[А-ЯЁ]\.\s*){0,2}[А-ЯЁ][а-яё-]+")


@dataclass(frozen=True)
class NameSpan:
    """An organisation's name found at ``start:end`` of a text, ``text`` in the nominative."""

    start: int
    end: int
    text: str
    needs_place: bool = False  # «районный Совет депутатов»: the raion is the text's last one
    country: str | None = None  # when the name itself says it («Посольство Республики Беларусь»)


def _forms(word: str, pos: set[str]) -> set[tuple[str, str]]:
    return {(p.tag.case, p.tag.number) for p in parses(word) if p.tag.POS in pos}




def _words(text: str, start: int, end: int) -> list[tuple[int, str]]:
    return [(start + m.start(), m.group(0)) for m in re.finditer(r"\S+", text[start:end])]


def _lead_start(words: list[tuple[int, str]], head: int) -> int:
    """Where a name opens: at the run of adjectives before its head noun that agree with it
    and each other («организовано государственным учреждением» → «государственным»,
    «Обучающиеся средней школы» → «средней»)."""
    return words[_lead(words, head)[0]][0]


def _lead(words: list[tuple[int, str]], head: int) -> tuple[int, set]:
    """(index of the first word of the name, the case and number forms it agrees in)."""
    forms = _forms(words[head][1], {"NOUN"})
    first = head
    while first > 0:
        shared = forms & _forms(words[first - 1][1], {"ADJF", "PRTF"})
        if not shared:
            break
        forms, first = shared, first - 1
    return first, forms


def masculine_nominative(adjective: str) -> str:
    """«Горецкого» → «Горецкий» (a place adjective pymorphy takes for a surname too).

    >>> masculine_nominative("Горецкого"), masculine_nominative("Дубровенским")
    ('Горецкий', 'Дубровенский')
    """
    spelled = re.sub(r"(ск|цк)(?:ого|ому|им|ом)$", r"\1ий", adjective)
    if spelled != adjective:
        return spelled
    return inflected_adjective(adjective, "nomn", "masc") or adjective


def _genitive(adjective: str) -> str:
    return inflected_adjective(adjective, "gent", "masc") or adjective


def inflected_adjective(word: str, case: str, gender: str) -> str | None:
    """An adjective in ``case``, singular, of ``gender``, capitalised; None when pymorphy
    reads no adjective in it.

    >>> inflected_adjective("Лиозненской", "nomn", "femn"), inflected_adjective("Дубровенским", "gent", "masc")
    ('Лиозненская', 'Дубровенского')
    """
    parse = next((p for p in parses(word) if p.tag.POS == "ADJF"), None)
    form = parse.inflect({case, "sing", gender}) if parse else None
    return form.word.capitalize() if form else None


def _one_of_two(adjective: str, phrase: str) -> str:
    """One of two bodies named at once, in the nominative singular: «Смоленским»,
    «городскими Советами депутатов» → «Смоленский городской Совет депутатов»."""
    words = phrase.split()
    head = next((i for i, w in enumerate(words) if _forms(w, {"NOUN"}) and not _forms(w, {"ADJF"})),
                len(words) - 1)
    noun = next((p for p in parses(words[head]) if p.tag.POS == "NOUN"), None)
    gender = (noun.tag.gender if noun else None) or "masc"
    out = []
    for i, word in enumerate([adjective] + words):
        if i > head + 1:
            out.append(word)  # the head's dependents keep their case («депутатов»)
            continue
        pos = {"NOUN"} if i == head + 1 else {"ADJF", "PRTF"}
        parse = next((p for p in parses(word) if p.tag.POS in pos), None)
        form = parse.inflect({"nomn", "sing"} | ({gender} if i <= head else set())) if parse else None
        text = form.word if form else word
        out.append(text[:1].upper() + text[1:] if word[:1].isupper() else text)
    return " ".join(out)


def _genitive_tail(text: str, end: int, most: int = 8) -> int:
    """The end of the genitive words that follow a head noun («… организации г. Минска
    Белорусского общественного объединения ветеранов»), up to a comma, «и», a bracket."""
    for _ in range(most):
        match = re.match(r"\s+(г\.\s*[А-ЯЁ][а-яё-]+|[А-ЯЁа-яё-]+)", text[end:])
        if not match or match.group(1).lower() in {"и", "в", "на", "с", "по", "для"}:
            break
        word = match.group(1)
        if not word.startswith("г.") and "gent" not in {p.tag.case for p in parses(word)
                                                        if p.tag.POS in {"NOUN", "ADJF"}}:
            break
        end += match.end()
    return end


def extend_name(text: str, end: int) -> int:
    """The end of a name, with the place or patron that follows it."""
    for pattern in (_TRAIL_PLACE, _TRAIL_PATRON):
        match = pattern.match(text[end:])
        if match:
            end += match.end()
    return end


def quoted_end(text: str, start: int) -> int:
    """End of the quoted title opening at ``start``, nested «…» balanced. Reports often drop
    a closing quote («МБОУ «ЦО № 1 «Академия детства» (г. Смоленск)»): then the title ends
    at the last closing quote before the next comma or semicolon outside quotes.

    >>> t = "ГУО «Гимназия № 4 г. Витебска», ГУО «СШ № 42»"
    >>> t[4:quoted_end(t, 4)]
    '«Гимназия № 4 г. Витебска»'
    >>> t = "МБОУ «ЦО № 1 «Академия детства» (г. Смоленск), представители"
    >>> t[5:quoted_end(t, 5)]
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


# Words each rule's pattern cannot match without (their stems as the pattern spells them): a
# text with none of them is not searched, which spares most cells the patterns' slow scans.
_NEEDS = {
    _COUNCIL: ("районн", "городск", "областн", "окружн", "сельск", "поселков"),
    _ISPOLKOM: ("исполком",),
    _BARE: ("районн",),
    _SPELLED: ("«",),
    _COLLECTIVE: ("«",),
    _INSTITUTION: ("школ", "гимнази", "библиотек", "музе", "университет", "академи", "колледж", "лице", "училищ"),
    _CHAIN: ("организаци", "объединени", "отделени", "ассоциаци", "федераци"),
    _EMBASSY: ("Посольств", "онсульств"),
    _OF_RAION: ("исполком", "депутатов"),
    _SPORTS_SCHOOL: ("ДЮС", "ДЮШ", "СШОР"),
    _TITLE_FROM_TOWN: (" из г",),
    _MINISTRY: ("инистр", "МИД"),
    _ABBREVIATED: tuple(_ABBREVIATED_GENDER),
}


def _matches(pattern: re.Pattern, text: str):
    """``pattern.finditer(text)``, or nothing when ``text`` lacks every word the pattern needs.

    >>> [m.group(0) for m in _matches(_ISPOLKOM, "Дубровенский райисполком")]
    ['Дубровенский райисполком']
    >>> list(_matches(_ISPOLKOM, "Дубровенский район"))
    []
    """
    if any(word in text for word in _NEEDS[pattern]):
        return pattern.finditer(text)
    return iter(())


def _bodies(text: str) -> list[NameSpan]:
    found = []
    for m in _matches(_COUNCIL, text):
        rest = m.group(3)
        if m.group(2):  # two councils named at once: each in the singular
            found.append(NameSpan(m.start(1), m.end(1), _one_of_two(m.group(1), rest)))
            found.append(NameSpan(m.start(2), m.end(), _one_of_two(m.group(2), rest)))
        else:
            found.append(NameSpan(m.start(), m.end(), nominative(m.group(0))))
    for m in _matches(_ISPOLKOM, text):
        # pymorphy does not know «райисполкома»: its nominative is spelled here.
        noun = re.sub(r"исполком[а-яё]*$", "исполком", m.group(3) or m.group(2))
        if m.group(3):
            found.append(NameSpan(m.start(), m.end(), noun))
        elif m.group(1):
            found.append(NameSpan(m.start(), m.end(), f"{masculine_nominative(m.group(1))} {noun}"))
        else:
            found.append(NameSpan(m.start(), m.end(), noun, needs_place=True))
    for m in _ADMINISTRATION.finditer(text):
        tail = (m.group(5) or "").strip()
        tail = " города Минска" if tail else ""
        if m.group(3):
            for group in (2, 3):
                found.append(NameSpan(m.start(3) if group == 3 else m.start(), m.end() if group == 3 else m.end(2),
                                      f"администрация {_genitive(m.group(group))} района{tail}"))
        else:
            found.append(NameSpan(m.start(), m.end(), nominative(m.group(0))))
    return found


def name_spans(text: str) -> list[NameSpan]:
    """Every organisation name the rules find, in order; overlapping finds keep the first
    and longest.

    >>> [s.text for s in name_spans("организовано государственным учреждением культуры «Чаусская библиотечная сеть» (Республика Беларусь)")]
    ['государственное учреждение культуры «Чаусская библиотечная сеть»']
    >>> [s.text for s in name_spans("Обучающиеся школ г. Смоленска, средней школы № 46 г. Витебска им. И.Х. Баграмяна")]
    ['средняя школа № 46 г. Витебска им. И.Х. Баграмяна']
    >>> [s.text for s in name_spans("Третьей стороной стала районная организация РОО «Белая Русь».")]
    ['районная организация РОО «Белая Русь»']
    >>> [s.text for s in name_spans("народный коллектив «Креатив» (г. Орша, Республика Беларусь)")]
    ['народный коллектив «Креатив»']
    >>> [s.text for s in name_spans("сыграют белорусская команда «БАТЭ» и футбольный клуб «Орша»")]
    ['белорусская команда «БАТЭ»', 'футбольный клуб «Орша»']
    >>> [s.text for s in name_spans("заместитель главврача Лиозненской ЦРБ")]
    ['Лиозненская ЦРБ']
    >>> [s.text for s in name_spans("в районном Доме ремесел")]
    ['районный Дом ремесел']
    >>> [s.text for s in name_spans("артисты районного центра культуры г. Кричева")]
    ['районный центр культуры']
    >>> [s.text for s in name_spans("Делегация исполкома и совета депутатов Шарковщинского района и Посольства РБ в России")]
    ['Шарковщинский районный исполнительный комитет', 'Шарковщинский районный Совет депутатов', 'Посольство РБ в России']
    >>> [s.text for s in name_spans("приз разыгран в споре витебской СДЮШОР-6; сборная ДЮСШ №2 из города Борисова")]
    ['витебская СДЮШОР-6', 'ДЮСШ №2']
    >>> [s.text for s in name_spans("на поле встретятся «Локомотив» из Москвы, «БАТЭ» из города Борисова")]
    ['«БАТЭ»']
    >>> [s.text for s in name_spans("открылась выставка «Ремесла» из г. Витебска")]
    []
    >>> [s.text for s in name_spans("первый заместитель министра культуры Республики Беларусь Дмитрий Шляхтин")]
    ['Министерство культуры Республики Беларусь']
    >>> [s.text for s in name_spans("Коллегии Министерств спорта России и Беларуси встретятся; МИД Беларуси разъяснил")]
    ['Министерство спорта Беларуси', 'МИД Беларуси']
    """
    found = _bodies(text)
    for m in _matches(_BARE, text):
        found.append(NameSpan(m.start(), m.end(), nominative(m.group(1)), needs_place=True))
    for pattern in (_SPELLED, _COLLECTIVE):
        for m in _matches(pattern, text):
            words = _words(text, m.start(1), m.end(1))
            if pattern is _COLLECTIVE:
                head = next(i for i, (_, w) in enumerate(words) if re.match(_COLLECTIVE_HEAD, w))
            else:
                head = next(i for i, (_, w) in enumerate(words) if re.match(_INSTITUTION_HEAD, w))
            start = _lead_start(words, head)
            unit = _UNIT_BEFORE.search(text[:start])  # «Лицей учреждения образования «…»»
            if unit and pattern is _SPELLED:
                start = unit.start()
            end = quoted_end(text, m.end())
            if end < 0:
                continue
            end = extend_name(text, end)
            found.append(NameSpan(start, end, nominative(" ".join(text[start:end].split()))))
    for m in _matches(_INSTITUTION, text):
        words = _words(text, m.start(1), m.end(1))
        head = next(i for i, (_, w) in enumerate(words) if re.match(_INSTITUTION_NOUN, w))
        first, forms = _lead(words, head)
        start = words[first][0]
        end = extend_name(text, m.end(1))
        name = text[start:end]
        if forms and all(number == "plur" for _, number in forms):
            continue  # «общеобразовательные школы г. Минска»: schools, not one
        # A named institution: adjectives before its noun, and a proper one first, a
        # number or its place after.
        if start == words[head][0] or not (name[:1].isupper() or "№" in name or end > m.end(1)):
            continue
        found.append(NameSpan(start, end, nominative(" ".join(name.split()))))
    for m in _matches(_ABBREVIATED, text):
        adjective = inflected_adjective(m.group(1), "nomn", _ABBREVIATED_GENDER[m.group(2)])
        if adjective is not None:
            found.append(NameSpan(m.start(), m.end(), f"{adjective} {m.group(2)}"))
    for m in _matches(_EMBASSY, text):
        found.append(NameSpan(m.start(), m.end(), nominative(" ".join(m.group(0).split())), country="BY"))
    for m in _matches(_OF_RAION, text):
        adjective = masculine_nominative(m.group(3))
        for group in (1, 2):
            if m.group(group):
                body = "исполнительный комитет" if m.group(group).lower().startswith("исполком") else "Совет депутатов"
                end = m.end(1) if group == 1 and m.group(2) else m.end()  # two at once: apart
                found.append(NameSpan(m.start(group), end, f"{adjective} районный {body}"))
    for m in _matches(_SPORTS_SCHOOL, text):
        adjective = inflected_adjective(m.group(1), "nomn", "femn") if m.group(1) else None
        adjective = adjective.lower() if adjective and m.group(1)[:1].islower() else adjective
        found.append(NameSpan(m.start(), m.end(), " ".join(filter(None, (adjective, m.group(2) + m.group(3))))))
    for m in _matches(_TITLE_FROM_TOWN, text):
        if not _WORK_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            found.append(NameSpan(m.start(), m.end(), m.group(0)))
    for m in _matches(_MINISTRY, text):
        body = "МИД" if m.group(3) else "Министерство" + m.group(2)
        found.append(NameSpan(m.start(), m.end(), f"{body} {' '.join(m.group(4).split())}", country="BY"))
    for m in _matches(_CHAIN, text):
        words = _words(text, m.start(1), m.end(1))
        start = _lead_start(words, len(words) - 1)
        if start == words[-1][0] or not text[start].isupper():
            continue
        end = _genitive_tail(text, m.end(1))
        found.append(NameSpan(start, end, nominative(" ".join(text[start:end].split()))))
    chosen: list[NameSpan] = []
    for span in sorted(found, key=lambda s: (s.start, -(s.end - s.start))):
        if text.count("«", 0, span.start) > text.count("»", 0, span.start):
            continue  # inside a quoted title: part of the name it is the title of
        if any(c.start <= span.start < c.end or span.start <= c.start < span.end for c in chosen):
            continue
        chosen.append(span)
    return chosen
