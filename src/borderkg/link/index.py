"""The linking index: every surface form the matcher looks for, built once from the gazetteer.

Two kinds of entry:
- names (settlements, capitals, countries, foreign places, alternative names), inflected by
  :mod:`borderkg.inflect` and matched on lower-cased spaCy tokens (:class:`PhraseTable`);
- adjectives of administrative units («Лиозненский» район, «Витебская» область, «Сафоновский»
  муниципальный округ) in every form, matched by :mod:`borderkg.link.rules` in front of a
  head noun, so that lists («Сенненского и Мстиславского районов») and executive committees
  («Климовичского районного исполнительного комитета») resolve too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from borderkg.gazetteer import SETTLEMENT_KINDS, Gazetteer, load_gazetteer
from borderkg.inflect import adjective_forms, name_forms
from borderkg.nlp import is_common_word, tokenizer


# Generic adjectives shared by districts across the former USSR: a raion or a Minsk city
# district of this name needs a Belarusian qualifier nearby.
GENERIC_ADJECTIVES = {"Октябрьский", "Кировский", "Дзержинский", "Ленинский", "Первомайский",
                      "Советский", "Заводской", "Центральный", "Фрунзенский", "Партизанский",
                      "Московский", "Пролетарский", "Железнодорожный", "Новобелицкий",
                      "Пуховичский"}


class Target(NamedTuple):
    """What a surface form can refer to: a place, a Smolensk municipality or a country (a
    named tuple: the index holds 40,000 of them, read back from the cache in a tenth of the
    time a dataclass takes)."""

    kind: str  # "place" | "municipality" | "country"
    id: str


class PhraseTable:
    """Surface forms as tuples of lower-cased tokens, found in a spaCy ``Doc``: what spaCy's
    ``PhraseMatcher(attr="LOWER")`` finds, built in a fraction of the time. The matcher
    needs a ``Doc`` per form (tokenising the 35,000 forms of the census gazetteer creates a
    lexeme for every new word: 5 s at every start); here a form made of letters and single
    spaces is split on the spaces — the tokenizer keeps such a word whole — and only the
    others (hyphens, dots, quotes) go through the tokenizer.

    >>> from borderkg.nlp import tokenizer
    >>> nlp = tokenizer()
    >>> table = PhraseTable(["орша", "санкт-петербург", "великое село"], nlp)
    >>> doc = nlp("Из Орши и Великое Село в Санкт-Петербург, потом в Оршу")
    >>> [(key, doc[start:end].text) for key, start, end in table.find(doc)]
    [('великое село', 'Великое Село'), ('санкт-петербург', 'Санкт-Петербург')]
    >>> [key for key, _, _ in table.find(nlp("Орша"))]
    ['орша']
    """

    def __init__(self, keys, nlp) -> None:
        self.forms: dict[tuple[str, ...], str] = {}
        tokenised = []
        for key in keys:
            if _PLAIN.fullmatch(key):
                self.forms[tuple(key.split(" "))] = key
            else:
                tokenised.append(key)
        for key, doc in zip(tokenised, nlp.tokenizer.pipe(tokenised)):
            self.forms[tuple(token.lower_ for token in doc)] = key
        # The most tokens of a form by its first token: most words start none, and the others
        # are tried only as far as their longest form.
        self.longest: dict[str, int] = {}
        for form in self.forms:
            self.longest[form[0]] = max(len(form), self.longest.get(form[0], 0))

    def find(self, doc):
        """(key, start token, end token) of every form in ``doc``, overlapping ones included,
        by start, then by length."""
        lower = [token.lower_ for token in doc]
        for start, first in enumerate(lower):
            longest = self.longest.get(first)
            if longest is None:
                continue
            for end in range(start + 1, min(start + longest, len(lower)) + 1):
                key = self.forms.get(tuple(lower[start:end]))
                if key is not None:
                    yield key, start, end


# A form the tokenizer keeps as it is, one token a word: letters (no «ё», folded away) and
# single spaces between them.
_PLAIN = re.compile(r"[а-яa-zіўє]+(?: [а-яa-zіўє]+)*")


@dataclass
class LinkIndex:
    gazetteer: Gazetteer
    phrases: PhraseTable  # lower-cased token sequences → surface-form group (key of ``names``)
    names: dict[str, list[Target]]  # PhraseMatcher key → candidates
    adjectives: dict[str, list[Target]] = field(default_factory=dict)  # lower form → units
    # (surface form, target id) pairs where the form is also an ordinary word («Победы»
    # is an alternative name of Перамога, «Горки» a plural noun): such a match needs a cue.
    needs_cue: set[tuple[str, str]] = field(default_factory=set)
    # Stems of adjectives made from settlement names («мачулищанск» of Мачулищи), read only
    # in institution names («Мачулищанская ДШИ») and only with the raion named.
    settlement_adjectives: dict[str, list[Target]] = field(default_factory=dict)


def fold(text: str) -> str:
    """Fold ё to е: sources spell «Могилёв» and «Могилев» alike (length is kept)."""
    return text.replace("ё", "е").replace("Ё", "Е")


def _centre_adjective(centre: str) -> str | None:
    """The older adjective some reports build from a centre ending in «-ль»
    («Мстиславль» → «Мстиславльский» beside the official «Мстиславский»)."""
    return centre + "ский" if centre.endswith("ль") else None


def region_nouns(adjective: str) -> list[str]:
    """The «-щина» noun of a land named after a raion's adjective.

    >>> region_nouns("Дубровенский"), region_nouns("Брестский"), region_nouns("Октябрьский")
    (['Дубровенщина'], ['Брестчина', 'Брестщина'], [])
    """
    if not adjective.endswith("ский") or adjective in GENERIC_ADJECTIVES or "-" in adjective:
        return []
    stem = adjective[:-4]
    return [stem + "чина", stem + "щина"] if stem.endswith(("ст", "с")) else [stem + "щина"]


# Suffixes that make an adjective of a place name: Барань → Баранская, Ходосы → Ходосовская,
# Мачулищи → Мачулищанская, Новка → Новкинская, Лиозно → Лиозненская.
_ADJECTIVE_SUFFIXES = ("ск", "анск", "янск", "енск", "инск", "овск", "евск")


def settlement_adjective_stems(name: str) -> list[str]:
    """Lower-case stems of the adjectives a settlement's name can give.

    >>> "мачулищанск" in settlement_adjective_stems("Мачулищи")
    True
    >>> settlement_adjective_stems("Великое Село")
    []
    """
    if " " in name or "-" in name or len(name) < 4:
        return []
    stem = name.lower()
    stem = stem[:-1] if stem[-1] in "аяоеиыьй" else stem
    return [stem + suffix for suffix in _ADJECTIVE_SUFFIXES]


def target_of(entity_id: str, gazetteer: Gazetteer) -> Target | None:
    """The target an id names: ``country:CN``, a municipality id, or a place id."""
    if entity_id.startswith("country:"):
        return Target("country", entity_id.split(":", 1)[1])
    if entity_id in gazetteer.municipalities:
        return Target("municipality", entity_id)
    if entity_id in gazetteer.places:
        return Target("place", entity_id)
    return None


@lru_cache(maxsize=4)
def build_index(gazetteer: Gazetteer | None = None,
                extra_names: tuple[tuple[str, str], ...] = ()) -> LinkIndex:
    """Build the index; cached for the process, and its inflected forms on disk
    (:mod:`borderkg.link.cache`: 2 s of case forms with the census gazetteer, 0.1 s read back).

    ``extra_names`` are (written name, entity id) pairs from curation: names the gazetteer
    lacks that a person linked by hand.
    """
    from borderkg.link.cache import cached

    gaz = gazetteer or load_gazetteer()
    groups, adjectives, needs_cue, settlement_adjectives = cached(
        (gaz, extra_names), lambda: _surface_forms(gaz, extra_names))
    return LinkIndex(gaz, PhraseTable(sorted(groups), tokenizer()), groups, adjectives, needs_cue,
                     settlement_adjectives)


def _surface_forms(gaz: Gazetteer, extra_names: tuple[tuple[str, str], ...]):
    """(names, adjectives, needs_cue, settlement_adjectives) of :class:`LinkIndex`."""
    groups: dict[str, list[Target]] = {}
    adjectives: dict[str, list[Target]] = {}
    needs_cue: set[tuple[str, str]] = set()

    def add_name(name: str, target: Target, common: tuple[str, ...] | None = None) -> None:
        # Country names are capitalised proper names even when the word exists («Куба»);
        # the gazetteer build has decided it for settlements (``common``).
        cue_needed = target.kind != "country" and (
            name in common if common is not None else is_common_word(name))
        for form in name_forms(fold(name)):
            key = form.lower()
            if target not in groups.setdefault(key, []):
                groups[key].append(target)
            if cue_needed:
                needs_cue.add((key, target.id))

    def add_adjective(adjective: str, target: Target) -> None:
        for form in adjective_forms(fold(adjective)):
            bucket = adjectives.setdefault(form.lower(), [])
            if target not in bucket:
                bucket.append(target)

    centres = {fold(m.admin_centre) for m in gaz.municipalities.values()}
    for place in gaz.places.values():
        target = Target("place", place.id)
        if place.country == "RU" and fold(place.name) in centres:
            continue  # the Smolensk municipality stands for its own centre
        if place.adjective:
            add_adjective(place.adjective, target)
            for alt in place.alt_names:
                if " " in alt:
                    add_adjective(alt.split()[0], target)
            continue
        for name in (place.name, *place.alt_names):
            add_name(name, target, place.common_names)
    oblast_of_centre = {o.centre: o for o in gaz.by_kind("oblast") if o.centre}
    settlement_adjectives: dict[str, list[Target]] = {}
    for place in gaz.places.values():
        if place.country == "BY" and place.kind in SETTLEMENT_KINDS:
            for stem in settlement_adjective_stems(fold(place.name)):
                settlement_adjectives.setdefault(stem, []).append(Target("place", place.id))
    centres_of = _raion_centres(gaz)
    for raion in gaz.by_kind("raion"):
        centre = centres_of.get(raion.id)
        variant = _centre_adjective(centre.name) if centre else None
        if variant:
            add_adjective(variant, Target("place", raion.id))
        # «Витебщина» is the oblast around Витебск, «Лиозненщина» the raion.
        unit = oblast_of_centre.get(raion.centre, raion)
        for noun in region_nouns(raion.adjective or ""):
            add_name(noun, Target("place", unit.id))
    for municipality in gaz.municipalities.values():
        target = Target("municipality", municipality.id)
        if municipality.kind == "city_okrug":
            add_name(municipality.admin_centre, target)
        else:
            add_adjective(municipality.adjective, target)
            add_name(municipality.admin_centre, target)
    for country in gaz.countries.values():
        for form in country.forms:
            add_name(form, Target("country", country.iso2))
    for name, iso2 in gaz.foreign_places.items():
        add_name(name, Target("country", iso2))
    for name, entity_id in extra_names:
        target = target_of(entity_id, gaz)
        if target is not None:
            for form in name_forms(fold(name)):
                groups.setdefault(form.lower(), []).insert(0, target)

    return groups, adjectives, needs_cue, settlement_adjectives


def _raion_centres(gaz: Gazetteer) -> dict:
    """Each raion's centre: the most populous settlement inside it (the first in the
    gazetteer's order among equals)."""
    centres: dict = {}
    for place in gaz.places.values():
        if place.raion_id and place.is_settlement:
            best = centres.get(place.raion_id)
            if best is None or (place.population or 0) > (best.population or 0):
                centres[place.raion_id] = place
    return centres
