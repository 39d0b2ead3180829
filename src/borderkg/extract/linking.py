"""Linking the texts of one event end to end: NER, mentions, context, links.

Used for the cells of a report row and for the paragraphs of a free-text document: the
raions and oblasts named in any of them decide between homonyms in all of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from borderkg.curation import Curation
from borderkg.link.index import target_of

from borderkg.link.index import LinkIndex
from borderkg.link.mentions import Mention, find_mentions
from borderkg.link.resolve import Link, names_belarus, resolve
from borderkg.ner import EntityKind, EntityMention


@dataclass(frozen=True)
class CellLinks:
    """The links and entities found in one cell (or paragraph), with its text."""

    field: str  # "name" | "place" | "content" | "participants" | "paragraph"
    text: str
    links: list[Link]
    entities: list[EntityMention]


def link_texts(texts: list[tuple[str, str]], index: LinkIndex,
               tagger: Callable[[str], list[EntityMention]] | None,
               curation: Curation | None = None, doc_id: str = "",
               entities: list[list[EntityMention]] | None = None) -> list[CellLinks]:
    """Link each ``(field, text)`` of one event, resolving in the context of all of them;
    curation rules (a person's corrections) are applied last."""
    if entities is None:
        entities = [tagger(text) if text.strip() else [] for _, text in texts]
    every = [find_mentions(text, index) for _, text in texts]
    units = {t.id for mentions in every for m in mentions
             if m.rule == "adjective" and len(m.candidates) == 1 for t in m.candidates}
    found = [(field, text, _without_persons(mentions, text_entities, index, units, text), text_entities)
             for (field, text), mentions, text_entities in zip(texts, every, entities)]
    context = "\n".join(text for _, text in texts)
    by_named = names_belarus(context)  # once: a search of the context per text is quadratic
    cells = [CellLinks(field, text, resolve(mentions, text, index, context, units, belarus_named=by_named), entities)
             for field, text, mentions, entities in found]
    if curation is not None and curation.rules:
        cells = [replace(cell, links=_curated(cell.links, curation, doc_id, index)) for cell in cells]
    return cells


def _curated(links: list[Link], curation: Curation, doc_id: str, index: LinkIndex) -> list[Link]:
    kept = []
    for link in links:
        rule = curation.for_mention(doc_id, link.mention.text)
        if rule is None:
            kept.append(link)
        elif rule.action == "link":
            target = target_of(rule.target, index.gazetteer)
            if target is not None:
                place = index.gazetteer.places.get(target.id) if target.kind == "place" else None
                kept.append(Link(replace(link.mention, rule="curated"), target, place))
    return kept


def _without_persons(mentions: list[Mention], entities: list[EntityMention], index: LinkIndex,
                     units: set[str], text: str = "") -> list[Mention]:
    """A person's name is not a place («Лида Иванова»), unless a cue («г.») says it is, or the
    «person» is the one word of a place whose raion the texts name («Что связывает Чаусы и
    Десногорск?» beside «руководства Чаусского района»: NER takes a town alone in a headline
    for a surname), or the last of a list of places («команд из Орши, Могилёва и Дубровно»).
    """
    persons = [e for e in entities if e.kind is EntityKind.PER]
    people = [m for m in mentions if any(p.start <= m.start and m.end <= p.stop for p in persons)]

    def in_place_list(mention: Mention, person: EntityMention) -> bool:
        if (person.start, person.stop) != (mention.start, mention.end):
            return False
        joint = re.search(r"(?:,|\s+и)\s*$", text[max(0, mention.start - 4):mention.start])
        if joint is None:
            return False
        before = mention.start - len(joint.group(0))
        return any(m.end == before and m.rule == "name" and m not in people for m in mentions)

    def in_named_raion(mention: Mention, person: EntityMention) -> bool:
        places = index.gazetteer.places
        return (person.start, person.stop) == (mention.start, mention.end) and any(
            t.kind == "place" and t.id in places and places[t.id].raion_id in units for t in mention.candidates)

    return [m for m in mentions
            if m.rule != "name" or m.cue
            or not any(p.start <= m.start and m.end <= p.stop and not in_named_raion(m, p)
                       and not in_place_list(m, p) for p in persons)]
