"""The linking index: every surface form the matcher looks for, built once from the gazetteer.

Two kinds of entry:
- names (settlements, capitals, countries, foreign places, alternative names), inflected by
  :mod:`borderkg.inflect` and matched by a spaCy PhraseMatcher on lower-cased tokens;
- adjectives of administrative units («Лиозненский» район, «Витебская» область, «Сафоновский»
  муниципальный округ) in every form, matched by :mod:`borderkg.link.rules` in front of a
  head noun, so that lists («Сенненского и Мстиславского районов») and executive committees
  («Климовичского районного исполнительного комитета») resolve too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from borderkg.gazetteer import SETTLEMENT_KINDS, Gazetteer, load_gazetteer
from borderkg.inflect import adjective_forms, name_forms
from borderkg.nlp import is_common_word, tokenizer


# Generic adjectives shared by districts across the former USSR: a raion or a Minsk city
# district of this name needs a Belarusian qualifier nearby.
GENERIC_ADJECTIVES = {"Октябрьский", "Кировский", "Дзержинский", "Ленинский", "Первомайский",
                      "Советский", "Заводской", "Центральный", "Фрунзенский", "Партизанский",
                      "Московский", "Пролетарский", "Железнодорожный", "Новобелицкий",
                      "Пуховичский"}


@dataclass(frozen=True)
class Target:
    """What a surface form can refer to: a place, a Smolensk municipality or a country."""

    kind: str  # "place" | "municipality" | "country"
    id: str


@dataclass
class LinkIndex:
    gazetteer: Gazetteer
    matcher: object  # spacy.matcher.PhraseMatcher keyed by surface-form group
    names: dict[str, list[Target]]  # PhraseMatcher key → candidates
    adjectives: dict[str, list[Target]] = field(default_factory=dict)  # lower form → units
    # (surface form, target id) pairs where the form is also an ordinary word («Победы»
    # is an alternative name of Перамога, «Горки» a plural noun): such a match needs a cue.
    needs_cue: set[tuple[str, str]] = field(default_factory=set)
    # Stems of adjectives made from settlement names («мачулищанск» of Мачулищи), read only
    # in institution names («Мачулищанская ДШИ») and only with the raion named.
    settlement_adjectives: dict[str, list[Target]] = field(default_factory=dict)

    def vocab_key(self, match_id: int) -> str:
        return self.matcher.vocab.strings[match_id]


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
    """Build the index (about a second); cached for the process.

    ``extra_names`` are (written name, entity id) pairs from curation: names the gazetteer
    lacks that a person linked by hand.
    """
    from spacy.matcher import PhraseMatcher

    gaz = gazetteer or load_gazetteer()
    nlp = tokenizer()
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
    for raion in gaz.by_kind("raion"):
        centre = gaz.get(_centre_id(gaz, raion.id))
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

    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    keys = sorted(groups)
    for key, doc in zip(keys, nlp.tokenizer.pipe(keys)):
        matcher.add(key, [doc])
    return LinkIndex(gaz, matcher, groups, adjectives, needs_cue, settlement_adjectives)


def _centre_id(gaz: Gazetteer, raion_id: str) -> str | None:
    """The settlement that is a raion's centre: the most populous one inside it."""
    inside = [p for p in gaz.places.values() if p.raion_id == raion_id and p.is_settlement]
    inside.sort(key=lambda p: -(p.population or 0))
    return inside[0].id if inside else None
