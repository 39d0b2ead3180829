"""Normal (nominative) form of an organisation's name, by its head noun phrase only.

A Russian name is a head noun phrase — adjectives and the head noun, agreeing in case —
followed by dependents that keep their own case («организация ветеранов войны и труда»).
Only the head phrase is put into the nominative; the rest stays as written, so dependents
and quoted titles are never lemmatised («ветераны», «война и труд» are what a generic
lemmatiser makes of them).
"""

from __future__ import annotations

import re
from functools import lru_cache

from borderkg.nlp import parses

_OBLIQUE = ("gent", "datv", "accs", "ablt", "loct")
_MODIFIER = {"ADJF", "PRTF"}


def _parses(word: str) -> tuple:
    if not re.fullmatch(r"[А-Яа-яЁё-]+", word):
        return ()
    return tuple(p for p in parses(word) if p.tag.POS in _MODIFIER | {"NOUN"})


def _head_phrase(words: list[str]):
    """(case, parses of the head phrase's words) for the longest run ending in a noun."""
    first = _parses(words[0]) if words else []
    for case in dict.fromkeys(p.tag.case for p in first):
        if case not in _OBLIQUE:
            continue
        chosen = []
        for i, word in enumerate(words):
            match = [p for p in _parses(word) if p.tag.case == case]
            noun = next((p for p in match if p.tag.POS == "NOUN"), None)
            # pymorphy knows some raion adjectives only as surnames («Горецкого», «Шкловского»)
            modifier = next((p for p in match if p.tag.POS in _MODIFIER), None) or next(
                (p for p in match if "Surn" in p.tag), None)
            # An adjective-looking word is a modifier while the phrase goes on in its case
            # («Лиозненского районного …» though a guesser also reads it as a noun).
            follows = i + 1 < len(words) and any(p.tag.case == case for p in _parses(words[i + 1]))
            if modifier is not None and (follows or noun is None):
                if not follows:
                    break
                chosen.append(modifier)
                continue
            if noun is not None:
                return case, chosen + [noun]
            break
    return None, []


def _keep_case(original: str, form: str) -> str:
    if original.isupper() and len(original) > 1:
        return form.upper()
    return form[:1].upper() + form[1:] if original[:1].isupper() else form


@lru_cache(maxsize=16384)
def nominative(name: str) -> str:
    """The name with its head phrase in the nominative.

    >>> nominative("Лиозненского районного исполнительного комитета")
    'Лиозненский районный исполнительный комитет'
    >>> nominative("Смоленской городской общественной организации ветеранов войны и труда")
    'Смоленская городская общественная организация ветеранов войны и труда'
    >>> nominative("Государственным учреждением «Белорусский духовный центр Возрождение»")
    'Государственное учреждение «Белорусский духовный центр Возрождение»'
    >>> nominative("Славгородского районного Совета депутатов")
    'Славгородский районный Совет депутатов'
    >>> nominative("Горецкого районного исполнительного комитета"), nominative("Шкловской районной больницы")
    ('Горецкий районный исполнительный комитет', 'Шкловская районная больница')
    >>> nominative("ГУО «Гимназия № 4 г. Витебска»")
    'ГУО «Гимназия № 4 г. Витебска»'
    """
    words = name.split(" ")
    case, phrase = _head_phrase(words)
    if not phrase:
        return name
    head = phrase[-1]
    number = head.tag.number or "sing"
    out = []
    for word, parse in zip(words, phrase):
        grammemes = {"nomn", number}
        if (parse.tag.POS in _MODIFIER or "Surn" in parse.tag) and number == "sing" and head.tag.gender:
            grammemes.add(head.tag.gender)
        inflected = parse.inflect(grammemes)
        out.append(_keep_case(word, inflected.word) if inflected else word)
    return " ".join(out + words[len(phrase):])
