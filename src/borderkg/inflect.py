"""Case forms of Russian place names, so that a matcher can find «г. Кричева»,
«в Оршанском районе» or «Климовичей» from the nominative names of the gazetteer.

Rules, not a dictionary: most Belarusian toponyms are unknown to morphological
dictionaries (pymorphy3 reads «Лиозно» as a short adjective and «Климовичи» as a
patronymic), while the declension of a toponym follows from its ending. Over-generating
a rare form costs nothing; the matcher also checks capitalisation and context.
"""

from __future__ import annotations

import re

CASES = ("nom", "gen", "dat", "acc", "ins", "loc")
_SIBILANT_VELAR = "гкхжшчщ"
_SOFT_OR_SIBILANT = "жшчщц"


def _noun_forms(word: str) -> dict[str, set[str]]:
    """Singular (or plural-only) case forms of one noun, keyed by case.

    Every case keeps the nominative too: reports often leave a name undeclined after
    «г.» («жители г. Климовичи»).

    >>> sorted(_noun_forms("Кричев")["gen"])
    ['Кричев', 'Кричева']
    >>> sorted(_noun_forms("Орша")["gen"])
    ['Орша', 'Орши']
    >>> sorted(_noun_forms("Климовичи")["gen"])
    ['Климович', 'Климовичей', 'Климовичи', 'Климовичов']
    >>> "Горок" in _noun_forms("Горки")["gen"]
    True
    >>> sorted(_noun_forms("Лиозно")["loc"])
    ['Лиозне', 'Лиозно']
    >>> sorted(_noun_forms("Городок")["loc"]), sorted(_noun_forms("Ивенец")["gen"])
    (['Городке', 'Городок', 'Городоке'], ['Ивенец', 'Ивенеца', 'Ивенца'])
    """
    forms = {case: {word} for case in CASES}
    low = word.lower()

    def add(case: str, *endings: str, cut: int = 0) -> None:
        stem = word[: len(word) - cut] if cut else word
        forms[case].update(stem + e for e in endings)

    if low.endswith(("ий", "ый", "ой")):
        return _adjective_forms(word)
    if low.endswith(("ая", "яя", "ое", "ее")) and len(word) > 4:
        return _adjective_forms(word)
    last, before = low[-1], low[-2:-1]
    if last in "иы" and len(word) > 3:  # plural-only names: Климовичи, Чаусы, Горки
        i = "я" if before in "ьй" else "а"
        add("gen", "ей", "ов", "", cut=1)
        if len(word) > 3 and word[-2].lower() in "кнтл" and word[-3].lower() not in "аеиоуыэюяь":
            add("gen", "о" + word[-2], cut=2)  # fleeting vowel: Горки → Горок
        add("dat", f"{i}м", cut=1)
        add("ins", f"{i}ми", cut=1)
        add("loc", f"{i}х", cut=1)
    elif last == "а":
        add("gen", "и" if before in _SIBILANT_VELAR else "ы", cut=1)
        add("dat", "е", cut=1)
        add("acc", "у", cut=1)
        add("ins", "ей" if before in _SOFT_OR_SIBILANT else "ой", cut=1)
        add("loc", "е", cut=1)
    elif last == "я":
        add("gen", "и", cut=1)
        add("dat", "е", cut=1)
        add("acc", "ю", cut=1)
        add("ins", "ей", cut=1)
        add("loc", "е", "и", cut=1)
    elif last == "ь":  # masculine (Мстиславль) or feminine (Барань): both are generated
        add("gen", "я", "и", cut=1)
        add("dat", "ю", "и", cut=1)
        add("ins", "ем", "ью", cut=1)
        add("loc", "е", "и", cut=1)
    elif last in "ое":  # neuter names are mostly left indeclinable, sometimes declined
        add("gen", "а", cut=1)
        add("dat", "у", cut=1)
        add("ins", "ом", cut=1)
        add("loc", "е", cut=1)
    elif last == "й":
        add("gen", "я", cut=1)
        add("dat", "ю", cut=1)
        add("ins", "ем", cut=1)
        add("loc", "е", cut=1)
    elif re.match(r"[бвгджзклмнпрстфхцчшщ]", last):
        add("gen", "а")
        add("dat", "у")
        add("ins", "ем" if last in _SOFT_OR_SIBILANT else "ом")
        add("loc", "е")
        if low.endswith(("ок", "ец")) and len(word) > 4 and low[-3] not in "аеиоуыэюяь":
            # fleeting vowel: Городок → Городка, в Городке; Ивенец → Ивенца
            fleeting = word[:-2] + word[-1]
            forms["gen"].add(fleeting + "а")
            forms["dat"].add(fleeting + "у")
            forms["ins"].add(fleeting + ("ем" if last == "ц" else "ом"))
            forms["loc"].add(fleeting + "е")
    return forms


def _adjective_forms(word: str, plural: bool = False) -> dict[str, set[str]]:
    """Case forms of an adjective in the gender its nominative shows (or plural).

    >>> sorted(_adjective_forms("Лиозненский")["gen"])
    ['Лиозненского']
    >>> sorted(_adjective_forms("Витебская")["ins"])
    ['Витебской', 'Витебскою']
    >>> sorted(_adjective_forms("Оршанский", plural=True)["gen"])
    ['Оршанских']
    """
    low = word.lower()
    stem = word[:-2]
    soft = low.endswith(("ий", "яя", "ее")) and low[-3] not in _SIBILANT_VELAR
    y = "и" if low[-3] in _SIBILANT_VELAR or soft else "ы"
    o = "е" if soft or low[-3] in _SOFT_OR_SIBILANT else "о"
    if plural:
        return {"nom": {stem + f"{y}е"}, "gen": {stem + f"{y}х"}, "dat": {stem + f"{y}м"},
                "acc": {stem + f"{y}е", stem + f"{y}х"}, "ins": {stem + f"{y}ми"},
                "loc": {stem + f"{y}х"}}
    if low.endswith(("ая", "яя")):
        return {"nom": {word}, "gen": {stem + f"{o}й"}, "dat": {stem + f"{o}й"},
                "acc": {stem + ("юю" if soft else "ую")}, "ins": {stem + f"{o}й", stem + f"{o}ю"},
                "loc": {stem + f"{o}й"}}
    # Place names are inanimate: the accusative is the nominative.
    return {"nom": {word}, "acc": {word}, "gen": {stem + f"{o}го"}, "dat": {stem + f"{o}му"},
            "ins": {stem + f"{y}м"}, "loc": {stem + f"{o}м"}}


_HEAD_NOUNS = {
    # Singular and plural case forms of the head nouns of administrative names.
    "район": ({"nom": {"район"}, "gen": {"района"}, "dat": {"району"}, "acc": {"район"},
               "ins": {"районом"}, "loc": {"районе"}},
              {"nom": {"районы"}, "gen": {"районов"}, "dat": {"районам"}, "acc": {"районы"},
               "ins": {"районами"}, "loc": {"районах"}}),
    "область": ({"nom": {"область"}, "gen": {"области"}, "dat": {"области"}, "acc": {"область"},
                 "ins": {"областью"}, "loc": {"области"}},
                {"nom": {"области"}, "gen": {"областей"}, "dat": {"областям"}, "acc": {"области"},
                 "ins": {"областями"}, "loc": {"областях"}}),
    "округ": ({"nom": {"округ"}, "gen": {"округа"}, "dat": {"округу"}, "acc": {"округ"},
               "ins": {"округом"}, "loc": {"округе"}},
              {"nom": {"округа"}, "gen": {"округов"}, "dat": {"округам"}, "acc": {"округа"},
               "ins": {"округами"}, "loc": {"округах"}}),
}


def name_forms(name: str) -> set[str]:
    """Every case form of a place name, multi-word names agreeing in case.

    >>> sorted(name_forms("Дубровенский район"))[:3]
    ['Дубровенский район', 'Дубровенским районом', 'Дубровенского района']
    >>> "Витебской области" in name_forms("Витебская область")
    True
    >>> "Красном Береге" in name_forms("Красный Берег")
    True
    >>> "Кричеве" in name_forms("Кричев")
    True
    """
    words = name.split()
    head = words[-1].lower()
    if len(words) >= 2 and head in _HEAD_NOUNS:
        singular, _ = _HEAD_NOUNS[head]
        adjectives = [_adjective_forms(w) if _is_adjective(w) else {c: {w} for c in CASES}
                      for w in words[:-1]]
        return _combine(adjectives + [singular])
    parts = [_adjective_forms(w) if _is_adjective(w) else _noun_forms(w) for w in words]
    return _combine(parts)


def adjective_forms(adjective: str) -> set[str]:
    """All forms (singular and plural, every case) of a raion or oblast adjective.

    >>> {"Сенненского", "Сенненских", "Сенненский"} <= adjective_forms("Сенненский")
    True
    """
    found = set()
    for plural in (False, True):
        for forms in _adjective_forms(adjective, plural=plural).values():
            found |= forms
    fem = adjective[:-2] + "ая"
    for forms in _adjective_forms(fem).values():
        found |= forms
    neut = adjective[:-2] + ("ее" if adjective.endswith("ний") else "ое")
    for forms in _adjective_forms(neut).values():
        found |= forms
    return found


def _is_adjective(word: str) -> bool:
    return len(word) > 4 and word.lower().endswith(("ий", "ый", "ой", "ая", "яя", "ое", "ее"))


def _combine(parts: list[dict[str, set[str]]]) -> set[str]:
    results: set[str] = set()
    for case in CASES:
        combos = [""]
        for part in parts:
            combos = [f"{c} {form}".strip() for c in combos for form in part[case]]
        results.update(combos)
    return results
