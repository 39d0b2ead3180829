"""spaCy and pymorphy3, loaded once on first use (both are slow to import); long texts cut
into pieces the NLP libraries take whole."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

# The longest text handed to natasha or spaCy at once. spaCy refuses more than a million
# characters (E088) and natasha's memory grows with the longest text of a batch (a 1 MB
# line took 1.1 GB); a report cell is a few hundred characters, so real cells are never cut.
PIECE_CHARS = 10_000
# Where a piece may end, best first: a line break, a sentence end, a space.
_BREAKS = (re.compile(r"\n"), re.compile(r"(?<=[.!?…;])\s"), re.compile(r"\s"))


def pieces(text: str, limit: int | None = None) -> Iterator[tuple[int, str]]:
    """``(offset, piece)`` of a text cut into pieces of at most ``limit`` characters
    (:data:`PIECE_CHARS` unless given), each
    ending at a line break, else after a sentence, else at a space (in the second half of the
    piece), else anywhere. The pieces joined give the text back; a text within the limit is
    one piece. Linear in the length of the text.

    >>> list(pieces("Концерт в г. Орше. Выставка в г. Витебске.", limit=25))
    [(0, 'Концерт в г. Орше. '), (19, 'Выставка в г. Витебске.')]
    >>> list(pieces("abcdef", limit=4))
    [(0, 'abcd'), (4, 'ef')]
    """
    limit = limit or PIECE_CHARS
    start = 0
    while len(text) - start > limit:
        low, high = start + limit // 2, start + limit
        end = high
        for pattern in _BREAKS:
            last = None
            for last in pattern.finditer(text, low, high):
                pass
            if last is not None:
                end = last.end()
                break
        yield start, text[start:end]
        start = end
    if start < len(text) or not text:
        yield start, text[start:]


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


@lru_cache(maxsize=65536)
def parses(word: str) -> tuple:
    """pymorphy3's parses of one word, kept: the words of names repeat from row to row and
    report to report, and the dictionary walk is the dearest step of extraction after NER.

    >>> parses("школы")[0].normal_form
    'школа'
    """
    return tuple(morph().parse(word))


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
