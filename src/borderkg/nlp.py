"""spaCy and pymorphy3, loaded once on first use (both are slow to import)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def tokenizer():
    """A blank Russian spaCy pipeline: its tokenizer knows «г.», «г.п.», «№» and quotes."""
    import spacy

    return spacy.blank("ru")


@lru_cache(maxsize=1)
def morph():
    """pymorphy3's analyser (offline dictionaries from the pymorphy3-dicts-ru wheel)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def is_common_word(word: str) -> bool:
    """True when a capitalised place name is also an ordinary Russian word, so that finding
    it needs a cue such as «г.» («Мир», «Береза», «Горки»). Surnames do not count: a person
    is recognised by NER, and «Кричев» in a report is nearly always the town.

    >>> is_common_word("Мосты"), is_common_word("Кричев")
    (True, False)
    """
    for parse in morph().parse(word):
        if not parse.is_known or parse.score < 0.05:
            continue
        tag = parse.tag
        if "Geox" in tag:
            continue
        if {"Surn", "Name", "Patr"} & set(tag.grammemes):
            continue
        if tag.POS in ("NOUN", "ADJF", "VERB", "ADVB"):
            return True
    return False
