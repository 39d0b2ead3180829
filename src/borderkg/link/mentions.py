"""Find mentions of places, Smolensk municipalities and countries in one text.

Names are found by the phrase table of the index; administrative units by their adjective
in front of a head noun (:func:`_adjective_mentions`), which also reads coordinated lists
(«Сенненского и Мстиславского районов») and bodies («Климовичского районного
исполнительного комитета»). Each mention keeps every candidate; :mod:`borderkg.link.resolve`
chooses among them from the context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from borderkg.link.index import LinkIndex, Target, fold
from borderkg.nlp import pieces, tokenizer

# Words and abbreviations that announce a settlement, with the kind they imply.
CUES = {
    "г": "town", "гор": "town", "город": "town", "города": "town", "городе": "town",
    "городу": "town", "городом": "town", "городов": "town", "городам": "town",
    "пос": "village", "п": "village", "поселок": "village", "поселка": "village",
    "поселке": "village", "поселком": "village", "д": "village", "дер": "village",
    "деревня": "village", "деревни": "village", "деревне": "village", "деревню": "village",
    "аг": "agrotown", "агрогородок": "agrotown", "агрогородка": "agrotown",
    "агрогородке": "agrotown", "агрогородком": "agrotown", "г.п": "urban_settlement",
    "гп": "urban_settlement", "рп": "urban_settlement", "с": "village", "село": "village",
    "села": "village", "селе": "village", "ст": "village", "станция": "village",
}
RAION_HEAD = ("район", "райисполком", "райсовет", "райцентр")
OBLAST_HEAD = ("област", "облисполком")
CITY_HEAD = ("городск", "горисполком", "горсовет")
OKRUG_HEADS = ("округ", "муниципальн")
_COORDINATORS = {",", "и", "…", "...", "а", "также"}
# Words after which an adjective names an institution («Мачулищанская ДШИ», «Ходосовская
# средняя школа», «Баранский Дом культуры»).
INSTITUTION_WORDS = ("школ", "дши", "дшi", "сш", "сош", "гимнази", "библиотек", "дом", "дк", "сдк",
                     "цкд", "центр", "музе", "колледж", "лице", "детск", "средн", "сельск",
                     "районн", "городск", "ансамбл", "коллектив", "хор", "клуб", "учреждени")
_ADJECTIVE_ENDING = re.compile(r"(ая|ий|ый|ой|ое|ого|ому|ую|ые|ие|их|ых|ими|ыми|ом|ем|им|ым|ей)$")


@dataclass
class Mention:
    """A stretch of text naming something, with every target it could refer to."""

    start: int  # character offsets in the original text
    end: int
    text: str
    candidates: list[Target]
    rule: str  # "name" | "adjective" | "new-settlement"
    key: str = ""  # for name mentions: the matched surface form, lower-cased
    head: str = ""  # for adjective mentions: "raion" | "oblast" | "city" | "okrug"
    cue: str | None = None  # settlement kind announced by «г.», «аг.», «дер.» …
    token_start: int = 0
    token_end: int = 0
    extra: dict = field(default_factory=dict)


def _cue_before(doc, i: int) -> str | None:
    """The settlement kind announced right before token i («г. Витебска», «аг. Новка»)."""
    j = i - 1
    if j >= 0 and doc[j].text == ".":
        j -= 1
    if j < 0:
        return None
    word = doc[j].lower_.rstrip(".")
    if word == "п" and j >= 2 and doc[j - 1].text == "." and doc[j - 2].lower_ == "г":
        return "urban_settlement"  # «г. п. Лиозно»
    return CUES.get(word)


def find_mentions(text: str, index: LinkIndex) -> list[Mention]:
    """All mentions in a text, left to right, overlapping ones resolved to the longest.

    >>> from borderkg.link.index import build_index
    >>> [m.text for m in find_mentions("делегации Сенненского и Мстиславского районов", build_index())]
    ['Сенненского', 'Мстиславского']
    """
    found = []  # a long text in pieces spaCy takes, offsets moved back into the whole text
    for offset, piece in pieces(text):
        for mention in _piece_mentions(piece, index):
            mention.start += offset
            mention.end += offset
            found.append(mention)
    return found


def _piece_mentions(text: str, index: LinkIndex) -> list[Mention]:
    folded = fold(text)
    doc = tokenizer().make_doc(folded)
    found = _name_mentions(doc, index) + _adjective_mentions(doc, index) \
        + _settlement_adjective_mentions(doc, index)
    found.sort(key=lambda m: (m.token_start, -(m.token_end - m.token_start)))
    kept: list[Mention] = []
    taken: set[int] = set()
    # Longest first; at equal length an adjective read with its head noun beats a bare name
    # («Московской районной организации» is Minsk's district, not the town Московский), and
    # both beat an adjective made from a settlement's name.
    rank = {"adjective": 0, "name": 1}
    for mention in sorted(found, key=lambda m: (-(m.token_end - m.token_start), rank.get(m.rule, 2))):
        span = set(range(mention.token_start, mention.token_end))
        if span & taken:
            continue
        taken |= span
        kept.append(mention)
    kept.extend(_new_settlements(doc, kept))
    kept.sort(key=lambda m: m.start)
    for mention in kept:
        mention.text = text[mention.start:mention.end]
    return kept


def _name_mentions(doc, index: LinkIndex) -> list[Mention]:
    mentions = []
    for key, start, end in index.phrases.find(doc):
        span = doc[start:end]
        candidates = list(index.names[key])
        cue = _cue_before(doc, start)
        # Proper names are capitalised; a lower-case match is an ordinary word («мир»).
        if not span.text[:1].isupper() and not span.text.isupper():
            continue
        mentions.append(Mention(span.start_char, span.end_char, span.text, candidates, "name",
                                key=key, cue=cue,
                                token_start=start, token_end=end))
    return mentions


def _head_kind(token) -> str | None:
    low = token.lower_
    if low.startswith(RAION_HEAD) or low in ("р-н", "р-на", "р-не"):
        return "raion"
    if low.startswith(OBLAST_HEAD):
        return "oblast"
    if low.startswith(CITY_HEAD):
        return "city"
    if low.startswith(OKRUG_HEADS):
        return "okrug"
    return None


def _adjective_mentions(doc, index: LinkIndex) -> list[Mention]:
    """Adjectives of administrative units in front of a head noun, lists included."""
    mentions = []
    i = 0
    while i < len(doc):
        if doc[i].lower_ not in index.adjectives or not doc[i].text[:1].isupper():
            i += 1
            continue
        # Collect a chain ADJ ((,|и) ADJ)* and find the head after it.
        chain = [i]
        j = i + 1
        while j < len(doc):
            if doc[j].is_space or doc[j].text in _COORDINATORS or doc[j].lower_ in _COORDINATORS:
                j += 1
                continue
            if doc[j].lower_ in index.adjectives and doc[j].text[:1].isupper():
                chain.append(j)
                j += 1
                continue
            break
        head = _head_kind(doc[j]) if j < len(doc) else None
        if head is None:
            head = _head_before_colon(doc, i)
        if head is None and len(chain) == 1 and _names_institution(doc, i, j):
            head = "institution"  # «ГУО «Могилевская детская школа»», «Витебский государственный университет»
        if head is None:
            i = chain[-1] + 1
            continue
        for position in chain:
            token = doc[position]
            candidates = _fit_head(index.adjectives[token.lower_], head, index)
            if candidates:
                mentions.append(Mention(token.idx, token.idx + len(token.text), token.text,
                                        candidates, "adjective", head=head,
                                        token_start=position, token_end=position + 1,
                                        extra={"head_token": j}))
        i = j + 1
    return mentions


def _head_before_colon(doc, first: int) -> str | None:
    """The head of a list that the text announces before a colon: «представители четырех
    приграничных районов: Кричевского, Климовичского, Шумячского и Рославльского»."""
    k = first - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    if k < 1 or doc[k].text != ":":
        return None
    head = _head_kind(doc[k - 1])
    return head if head in ("raion", "oblast") else None


def _settlement_adjective_mentions(doc, index: LinkIndex) -> list[Mention]:
    """Adjectives made from a settlement's name opening an institution's name
    («ГУО «Мачулищанская ДШИ»» → Мачулищи); the resolver asks for the raion too."""
    mentions = []
    for i, token in enumerate(doc):
        if not token.is_alpha or not token.text[:1].isupper() or token.lower_ in index.adjectives:
            continue
        stem = _ADJECTIVE_ENDING.sub("", token.lower_)
        if stem == token.lower_ or stem not in index.settlement_adjectives:
            continue
        follows = i + 1 < len(doc) and doc[i + 1].lower_.startswith(INSTITUTION_WORDS)
        if follows or _names_institution(doc, i, i + 1):
            mentions.append(Mention(token.idx, token.idx + len(token.text), token.text,
                                    list(index.settlement_adjectives[stem]), "settlement-adjective",
                                    token_start=i, token_end=i + 1))
    return mentions


def _names_institution(doc, first: int, after: int) -> bool:
    """An adjective opening an institution's name names its city: it stands right after an
    opening quote, or before «государственный»."""
    opens_name = first > 0 and doc[first - 1].text in ("«", '"', "“", "„")
    state = after < len(doc) and doc[after].lower_.startswith("государствен")
    return opens_name or state


def _fit_head(targets: list[Target], head: str, index: LinkIndex) -> list[Target]:
    """Keep the candidates an adjective can name before this head noun."""
    gaz = index.gazetteer
    fitting = []
    for target in targets:
        if target.kind == "municipality":
            if head in ("okrug", "raion"):
                fitting.append(target)
            elif head == "city" and gaz.municipalities[target.id].kind == "city_okrug":
                fitting.append(target)
            continue
        place = gaz.places[target.id]
        if head == "raion" and place.kind in ("raion", "city_district"):
            fitting.append(target)
        elif head == "oblast" and place.kind == "oblast":
            fitting.append(target)
        elif head == "city" and place.kind == "raion":
            city = _city_of_raion(place, index)
            if city:
                fitting.append(city)
        elif head == "institution" and place.kind == "raion":
            # An institution named with a raion's adjective is in its centre
            # («Чаусская библиотечная сеть» → Чаусы).
            fitting.append(_city_of_raion(place, index) or target)
    return fitting


def _city_of_raion(raion, index: LinkIndex) -> Target | None:
    """«Брестский городской …» and «ГУО «Могилевская …»» name the raion's centre."""
    centre = index.gazetteer.centre_of(raion)
    return Target("place", centre.id) if centre else None


def _new_settlements(doc, mentions: list[Mention]) -> list[Mention]:
    """A settlement missing from the gazetteer, announced by a cue and followed by its raion:
    «агрогородке Стасево Лиозненского района», «Агрогородок Добромысли, Лиозненский район»."""
    taken = {t for m in mentions for t in range(m.token_start, m.token_end)}
    found = []
    for mention in mentions:
        if mention.rule != "adjective" or mention.head != "raion":
            continue
        end = mention.token_start
        if end > 0 and doc[end - 1].text == ",":
            end -= 1
        start = end
        while start > 0 and doc[start - 1].text[:1].isupper() and start - 1 not in taken \
                and doc[start - 1].is_alpha and doc[start - 1].lower_ not in CUES and end - start < 3:
            start -= 1
        if start == end:
            continue
        cue = _cue_before(doc, start)
        if cue is None:
            continue
        span = doc[start:end]
        found.append(Mention(span.start_char, span.end_char, span.text, [], "new-settlement",
                             cue=cue, token_start=start, token_end=end,
                             extra={"raion": mention.candidates}))
    return found
