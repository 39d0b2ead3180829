"""The index's phrase table finds what spaCy's PhraseMatcher(attr="LOWER") finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import PhraseMatcher

from borderkg.link.index import _PLAIN, PhraseTable, build_index
from borderkg.nlp import tokenizer

KEYS = ["орша", "орши", "великое село", "санкт-петербург", "г. минск", "мир", "новое"]
WORDS = ["Орша", "орши", "Великое", "Село", "Санкт-Петербург", "г.", "Минск", "мир", "Новое",
         "и", ",", "«", "»", "-", "в", "ОРША"]


def matcher_matches(keys, doc, nlp):
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for key, pattern in zip(keys, nlp.tokenizer.pipe(keys)):
        matcher.add(key, [pattern])
    return sorted((nlp.vocab.strings[m], start, end) for m, start, end in matcher(doc))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14), st.sampled_from([" ", "", "  "]))
def test_the_same_matches_as_the_phrase_matcher(words, glue):
    nlp = tokenizer()
    doc = nlp(glue.join(words))
    assert sorted(PhraseTable(KEYS, nlp).find(doc)) == matcher_matches(KEYS, doc, nlp)


def test_every_plain_form_of_the_gazetteer_is_one_token_a_word():
    """The table splits forms of letters and spaces on the spaces instead of tokenising them;
    spaCy's tokenizer must agree on every such form of the shipped gazetteer."""
    nlp = tokenizer()
    plain = [key for key in build_index().names if _PLAIN.fullmatch(key)]
    assert len(plain) > 30_000
    differ = [key for key, doc in zip(plain, nlp.tokenizer.pipe(plain))
              if [token.lower_ for token in doc] != key.split(" ")]
    assert differ == []
