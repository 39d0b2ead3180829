"""Named-entity recognition: natasha behind the project's own types.

natasha's models ship inside its wheel (navec embeddings, slovnet NER), so nothing is
downloaded. Loading them takes about a second, so it happens on first use, never at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class EntityKind(str, Enum):
    PER = "PER"
    LOC = "LOC"
    ORG = "ORG"


@dataclass(frozen=True)
class EntityMention:
    """A named entity in a piece of text, with its normal (nominative) form."""

    kind: EntityKind
    start: int
    stop: int
    text: str
    normal: str


class NerTagger:
    """natasha's news NER, morphology and normaliser, loaded once."""

    def __init__(self) -> None:
        from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

        embedding = NewsEmbedding()
        self._segmenter = Segmenter()
        self._morph_vocab = MorphVocab()
        self._morph_tagger = NewsMorphTagger(embedding)
        self._ner_tagger = NewsNERTagger(embedding)

    def __call__(self, text: str) -> list[EntityMention]:
        """Entities of one text (a table cell or a paragraph), in order."""
        if not text.strip():
            return []
        from natasha import Doc

        doc = Doc(text)
        doc.segment(self._segmenter)
        doc.tag_ner(self._ner_tagger)
        if not doc.spans:
            return []
        doc.tag_morph(self._morph_tagger)  # normalisation needs the morphology
        return [adapt_span(span, self._morph_vocab) for span in doc.spans]


def adapt_span(span, morph_vocab) -> EntityMention:
    """Turn a natasha span into an :class:`EntityMention`; the one place natasha's types leak."""
    try:
        span.normalize(morph_vocab)
        normal = span.normal or span.text
    except Exception:  # natasha's normaliser fails on some token shapes: keep the text
        normal = span.text
    return EntityMention(EntityKind(span.type), span.start, span.stop, span.text, normal)


@lru_cache(maxsize=1)
def default_tagger() -> NerTagger:
    """The shared tagger (models load on the first call)."""
    return NerTagger()
