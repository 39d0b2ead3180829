"""Choose what each mention refers to, from the context of the row or document.

The context rules, in order:
1. a village, agrotown or urban settlement of under 2,000 people (most of the 5,000 census
   settlements) is only linked on evidence:
   a cue («д.», «аг.», «г.») before it, or its raion named in the document — right after it
   when the name is also an ordinary word («Дружба», «Рудня» of Червенский район is not
   the Smolensk town without «д.» or «Червенского района»);
2. a name that is also an ordinary word («Горки», «Мир», «Красный») needs a cue, a
   Belarusian qualifier right after it, its raion named in the document, or (for a town)
   a place right beside it in a list («Россоны - Невель, Городок - Усвяты»);
3. a qualifier right after a mention («… Могилевской области», «… Смоленской области»,
   «(Республика Беларусь)») decides between homonyms and between Russia and Belarus;
4. otherwise the kind a cue announces («г. Барани»: the town, not the village) and the
   oblasts and raions named anywhere in the same document decide, then the raions of the
   towns already linked unambiguously in it;
5. otherwise the Belarusian reading wins when Belarus is named in the text, else the
   Russian one; among Belarusian homonyms the most populous place (a weak choice: its
   confidence says so).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from borderkg.gazetteer import Place
from borderkg.link.index import GENERIC_ADJECTIVES, LinkIndex, Target
from borderkg.link.mentions import Mention

_RU_AFTER = re.compile(r"^[\s,()]*(?:\w+\s+){0,2}?(?:Смоленск\w*\s+област|Брянск\w*\s+област|Псковск\w*\s+област|"
                       r"Российск\w*\s+Федерац|Росси[ия]\b|РФ\b|Свердловск\w* област|Московск\w* област)",
                       re.IGNORECASE)
_BY_AFTER = re.compile(r"^[\s,()]*(?:\w+\s+){0,3}?(?:Республик\w*\s+Беларусь|Беларус\w*|РБ\b|"
                       r"(?:Брестск|Витебск|Гомельск|Гродненск|Минск|Могилевск|Могилёвск)\w*\s+област)",
                       re.IGNORECASE)
# The end of a text right before a place said to be where something is: «в», «во», with a
# settlement word or cue between («в г.п. Лиозно», «в городе Себеже», «в агрогородке Адаменки»).
IN_PLACE_BEFORE = re.compile(r"(?:^|[\s(«„\"])(?:в|во)\s+(?:(?:г|гп|г\.п|аг|д|дер|пос|п|с)\.\s*|(?:городе|городском "
                             r"пос[её]лке|агрогородке|деревне|пос[её]лке|селе)\s+)?$", re.IGNORECASE)
_BY_ANYWHERE = re.compile(r"Беларус|Белорус|белорус", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """A mention resolved to one target (a place may be new: not from the gazetteer)."""

    mention: Mention
    target: Target
    place: Place | None = None  # set for places, including new settlements
    confidence: float = 1.0  # how sure the linker is, 0..1: see :func:`link_confidence`

    @property
    def country(self) -> str:
        if self.target.kind == "country":
            return self.target.id
        if self.target.kind == "municipality":
            return "RU"
        return self.place.country if self.place else "BY"


def resolve(mentions: list[Mention], text: str, index: LinkIndex, context: str = "",
            context_units: set[str] = frozenset(), partner_units: set[str] = frozenset(),
            belarus_named: bool | None = None) -> list[Link]:
    """Resolve every mention of one text; unresolvable ones are dropped.

    ``context`` (the whole row or document) and ``context_units`` (raions and oblasts named
    there) widen what counts as named nearby; ``partner_units`` are the raions of places
    already linked for the same document, a weaker hint between homonyms. The raions of the
    places this text itself names unambiguously are added to them. ``belarus_named`` is
    :func:`names_belarus` of the context, for a caller that resolves many texts of one.
    """
    gaz = index.gazetteer
    by_named = names_belarus(context or text) if belarus_named is None else belarus_named
    named_units = {t.id for m in mentions if m.rule == "adjective" for t in m.candidates}
    named_units |= set(context_units)
    partners = set(partner_units) | partner_raions(mentions, index)
    links, deferred = [], []
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    for mention in mentions:
        after = text[mention.end: mention.end + 90]
        if mention.rule == "new-settlement":
            raion = _pick_place(mention.extra["raion"], named_units, partners, None, index)[0]
            if raion is not None and raion.kind == "raion":
                links.append(Link(mention, Target("place", f"{raion.id}-new"),
                                  _new_settlement(mention, raion), link_confidence(mention)))
            continue
        near = _units_right_after(mention, ordered, text, starts)
        evidence = {t: _evidence(t, mention, after, text, index, named_units, near)
                    for t in mention.candidates}
        candidates = [t for t in mention.candidates if evidence[t] is not None]
        if mention.rule == "name" and _in_smolensk_district(near, index):
            candidates = [t for t in candidates if t.kind != "place" or gaz.places[t.id].country != "BY"]
            if not candidates:
                continue  # a Smolensk village the gazetteer does not hold, not a Belarusian homonym
        if not candidates:
            deferred.append(mention)
            continue
        link = _decide(mention, candidates, evidence, named_units, partners, by_named, after, index)
        if link is not None:
            links.append(link)
    links.extend(_listed(deferred, links, text, index))
    links.sort(key=lambda link: link.mention.start)
    return links


def names_belarus(text: str) -> bool:
    """True when a text names Belarus or Belarusians.

    >>> names_belarus("делегация Республики Беларусь"), names_belarus("г. Смоленск")
    (True, False)
    """
    return bool(_BY_ANYWHERE.search(text))


def link_confidence(mention: Mention, homonyms: int = 1, decided_by: str = "single",
                    evidence: str = "") -> float:
    """How sure the linker is of a link, 0..1.

    From how the mention was found — a settlement not in the gazetteer 0.6, a bare name
    with no cue («г.», «аг.») 0.9, a cue or an adjective with its head noun 1.0 — lowered
    when it was one of several homonyms (``homonyms``) and by how the choice was made
    (``decided_by``: «qualifier» right after it, «context» raion named in the document,
    «partners» raion of another linked place, «cue» kind announced, «prior» the most
    populous), and capped when only a raion named elsewhere (``evidence`` «raion») or a
    list of places around it («list») lets a village or an ordinary word through.

    >>> link_confidence(Mention(0, 6, "Лиозно", [], rule="name"))
    0.9
    >>> link_confidence(Mention(0, 5, "Новка", [], rule="name", cue="town"), homonyms=3, decided_by="prior")
    0.5
    """
    if mention.rule == "new-settlement":
        return 0.6
    score = 0.9 if mention.rule == "name" and mention.cue is None else 1.0
    if homonyms > 1:
        score *= HOMONYM_FACTOR.get(decided_by, 0.5)
    if evidence in EVIDENCE_CAP:
        score = min(score, EVIDENCE_CAP[evidence])
    return round(score, 2)


# How much a homonym choice keeps of the confidence, by what decided it.
HOMONYM_FACTOR = {"qualifier": 0.95, "context": 0.9, "cue": 0.85, "partners": 0.8, "prior": 0.5}
# The most a link can be worth when only this lets it through.
EVIDENCE_CAP = {"raion": 0.75, "list": 0.7}
MINOR_KINDS = ("village", "agrotown")
TOWN_KINDS = ("city", "town", "urban_settlement", "capital")
# Which settlement kinds a cue's kind fits («г. Барани» is the town, not the village).
CUE_FITS = {"town": ("city", "town", "urban_settlement", "capital"),
            "urban_settlement": ("urban_settlement", "town"),
            "village": ("village", "agrotown"), "agrotown": ("agrotown", "village")}
_LIST_GAP = re.compile(r"^(?:[\s,;–—-]{1,5}|,?\s+и\s+)$")
LIST_GAP_MAX = 40  # characters: longer than any gap _LIST_GAP accepts with ordinary spacing
SMALL_URBAN_SETTLEMENT = 2_000  # people: below it an urban settlement is as small as a village


def is_minor(place: Place) -> bool:
    """A Belarusian village, agrotown or small urban settlement: linked only on evidence."""
    return place.country == "BY" and (place.kind in MINOR_KINDS or (
        place.kind == "urban_settlement" and (place.population or 0) < SMALL_URBAN_SETTLEMENT))


def _evidence(target: Target, mention: Mention, after: str, text: str, index: LinkIndex,
              named_units: set[str], near_units: set[str]) -> str | None:
    """What lets this candidate be linked («cue», «raion», «qualifier», «» when it needs
    nothing), or None when the text gives no evidence for it."""
    gaz = index.gazetteer
    common = (mention.key, target.id) in index.needs_cue
    place = gaz.places.get(target.id) if target.kind == "place" else None
    if mention.rule == "settlement-adjective":  # «Мачулищанская ДШИ (Минский район)»
        return "raion" if place is not None and place.raion_id in named_units else None
    if place is not None and is_minor(place) and mention.rule == "name":
        if mention.cue is not None:
            return "cue"
        return "raion" if place.raion_id in (near_units if common else named_units) else None
    if common and mention.cue is None:
        if _BY_AFTER.match(after):
            return "qualifier"
        if place is not None and IN_PLACE_BEFORE.search(text[max(0, mention.start - 40):mention.start]) \
                and mention.text[:1].isupper() and place.kind in ("city", "town"):
            return "cue"  # «В Городке состоялось …»: a capital after «в» is a town's name
        return "raion" if place is not None and place.raion_id in named_units else None
    if place is not None and (place.adjective in GENERIC_ADJECTIVES or place.kind == "city_district"):
        window = text[max(0, mention.start - 120): mention.end + 120]
        parent = gaz.get(place.oblast_id)
        if place.kind == "city_district":
            return "qualifier" if re.search(r"Минск[аеуо]?\b|Минском\b", window) else None
        named = bool(parent and parent.adjective and parent.adjective[:-2] in window)
        return "qualifier" if named or _BY_AFTER.match(after) else None
    return "cue" if mention.cue else ""


def _units_right_after(mention: Mention, mentions: list[Mention], text: str,
                       starts: list[int] | None = None) -> set[str]:
    """Raions named by the adjective right after a mention («Рудня Червенского района»).
    ``mentions`` are in text order; ``starts`` their start offsets (from the caller, so that
    finding the next mention is a bisection, not a scan: a long text was quadratic)."""
    starts = [m.start for m in mentions] if starts is None else starts
    for other in mentions[bisect_left(starts, mention.end):]:
        if other.rule == "adjective" and other.head == "raion":
            if other.start - mention.end <= 3:
                return {t.id for t in other.candidates}
            break
    return set()


def _in_smolensk_district(near: set[str], index: LinkIndex) -> bool:
    """The district named right after a settlement is a Smolensk one («около деревни
    Волковичи Рославльского района»): the settlement is not its Belarusian homonym.

    >>> from borderkg.link.index import build_index
    >>> index = build_index()
    >>> _in_smolensk_district({"roslavlsky"}, index), _in_smolensk_district({"by-krychau-raion"}, index)
    (True, False)
    """
    return bool(near) and all(unit in index.gazetteer.municipalities for unit in near)


def partner_raions(mentions: list[Mention], index: LinkIndex) -> set[str]:
    """Raions of the towns named with only one possible reading: the partner raions a
    document has already linked, which decide between homonyms elsewhere in it (the
    extractor can pass those of every paragraph as ``partner_units``)."""
    gaz = index.gazetteer
    out = set()
    for mention in mentions:
        if mention.rule == "name" and len(mention.candidates) == 1:
            place = gaz.places.get(mention.candidates[0].id)
            if place is not None and place.country == "BY" and place.kind in TOWN_KINDS and place.raion_id:
                out.add(place.raion_id)
    return out


def _decide(mention: Mention, candidates: list[Target], evidence: dict[Target, str | None],
            named_units: set[str], partners: set[str], by_named: bool, after: str,
            index: LinkIndex) -> Link | None:
    """The link of one mention among its allowed candidates, with its confidence."""
    gaz = index.gazetteer
    target, decided_by = _choose(candidates, named_units, partners, by_named, after, mention.cue, index)
    if target is None:
        return None
    homonyms = sum(1 for t in candidates if t.kind == "place" and gaz.places[t.id].country == "BY")
    place = gaz.places.get(target.id) if target.kind == "place" else None
    return Link(mention, target, place,
                link_confidence(mention, homonyms, decided_by, evidence.get(target) or ""))


def _listed(deferred: list[Mention], links: list[Link], text: str, index: LinkIndex) -> list[Link]:
    """Towns whose name is also an ordinary word, standing in a list right beside a place
    that was linked («Россоны - Невель, Городок - Усвяты»): the list says it is a name."""
    gaz = index.gazetteer
    linked = [link.mention for link in links if link.target.kind in ("place", "municipality")]
    ends = sorted(m.end for m in linked)
    starts = sorted(m.start for m in linked)
    out = []
    for mention in deferred:
        # only the linked mentions within a list gap's length of this one can stand beside it
        # (looking at every pair made a long text quadratic)
        before = ends[bisect_left(ends, mention.start - LIST_GAP_MAX):bisect_right(ends, mention.start)]
        after = starts[bisect_left(starts, mention.end):bisect_right(starts, mention.end + LIST_GAP_MAX)]
        beside = any(_LIST_GAP.match(text[end:mention.start]) for end in before) \
            or any(_LIST_GAP.match(text[mention.end:start]) for start in after)
        towns = [t for t in mention.candidates if t.kind == "place" and gaz.places[t.id].country == "BY"
                 and gaz.places[t.id].kind in TOWN_KINDS and not is_minor(gaz.places[t.id])]
        if beside and mention.rule == "name" and towns:
            place = max((gaz.places[t.id] for t in towns), key=lambda p: p.population or 0)
            out.append(Link(mention, Target("place", place.id), place,
                            link_confidence(mention, len(towns), "prior" if len(towns) > 1 else "single", "list")))
    return out


def _choose(candidates: list[Target], named_units: set[str], partners: set[str], by_named: bool,
            after: str, cue: str | None, index: LinkIndex) -> tuple[Target | None, str]:
    if len(candidates) == 1:
        return candidates[0], "single"
    gaz = index.gazetteer
    russian = [t for t in candidates if t.kind == "municipality" or
               (t.kind == "place" and gaz.places[t.id].country == "RU")]
    belarusian = [t for t in candidates if t not in russian and t.kind == "place"]
    others = [t for t in candidates if t.kind == "country"]
    if others and not belarusian and not russian:
        return others[0], "single"
    if russian and belarusian:
        if _RU_AFTER.match(after):
            return russian[0], "qualifier"
        if _BY_AFTER.match(after):
            candidates = belarusian
        elif cue in ("town", "urban_settlement") and not any(
                gaz.places[t.id].kind in CUE_FITS[cue] for t in belarusian):
            return russian[0], "cue"  # «города Вязьма»: the Smolensk town, not a village
        else:
            # An oblast named in the document speaks for its towns, not for its villages
            # («Вязьма … Бобруйск Могилёвской области»: not the village Вязьма of Быховский).
            in_context = [t for t in belarusian if gaz.places[t.id].raion_id in named_units
                          or (not is_minor(gaz.places[t.id])
                              and _in_named_units(gaz.places[t.id], named_units))]
            if in_context:
                candidates = in_context
            else:
                return (belarusian if by_named else russian)[0], "prior"
    place, decided_by = _pick_place(candidates, named_units, partners, cue, index)
    return (Target("place", place.id), decided_by) if place else (candidates[0], "prior")


def _in_named_units(place: Place, named_units: set[str]) -> bool:
    return place.raion_id in named_units or place.oblast_id in named_units


def _pick_place(candidates: list[Target], named_units: set[str], partners: set[str],
                cue: str | None, index: LinkIndex) -> tuple[Place | None, str]:
    """The place among homonyms, and what decided: the raion or oblast named in the
    document, the kind a cue announces, the raions of places already linked, size."""
    gaz = index.gazetteer
    places = [gaz.places[t.id] for t in candidates if t.kind == "place" and t.id in gaz.places]
    if len(places) <= 1:
        return (places[0] if places else None), "single"
    pool, decided_by = places, "prior"
    # A partner raion only chooses among towns when there are towns: «г. Гомеля» beside
    # «г. Полоцка» is the city, not the agrotown Гомель of Полоцкий район.
    towns = {p.id for p in places if p.kind in TOWN_KINDS}
    for test, reason in ((lambda p: cue is not None and p.kind in CUE_FITS.get(cue, ()), "cue"),
                         (lambda p: _in_named_units(p, named_units), "context"),
                         (lambda p: p.raion_id in partners and (p.id in towns or not towns), "partners")):
        narrowed = [p for p in pool if test(p)]
        if narrowed and len(narrowed) < len(pool):
            pool, decided_by = narrowed, reason if decided_by == "prior" else decided_by
    best = max(pool, key=lambda p: p.population or 0)
    return best, decided_by if len(pool) == 1 else "prior"


def _new_settlement(mention: Mention, raion: Place) -> Place:
    slug = "".join(ch for ch in mention.text.lower() if ch.isalnum())
    return Place(id=f"{raion.id}-new-{slug}", name=mention.text, kind=mention.cue or "village",
                 country="BY", raion_id=raion.id, oblast_id=raion.oblast_id, in_gazetteer=False)
