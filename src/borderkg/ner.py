"""Named-entity recognition: natasha behind the project's own types.

natasha's models ship inside its wheel (navec embeddings, slovnet NER), so nothing is
downloaded. Loading them takes about a second, so it happens on first use, never at import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache

from borderkg.nlp import pieces

# Variables a user sets to choose the BLAS thread count; when one is set, it is obeyed.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


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
    """natasha's news NER model (slovnet), run over many texts in batches."""

    # Texts go to the model longest-alike together (see :meth:`tag_many`), so a batch pads
    # little; 32 of them was faster than 16 or 64 on the report cells (bench/ingest.py).
    def __init__(self, batch_size: int = 32) -> None:
        from natasha import NewsEmbedding, NewsNERTagger

        limit_blas_threads()

        self._ner_tagger = NewsNERTagger(NewsEmbedding())
        self._ner_tagger.batch_size = batch_size

    def __call__(self, text: str) -> list[EntityMention]:
        """Entities of one text (a table cell or a paragraph), in order."""
        return self.tag_many([text])[0]

    def tag_many(self, texts: list[str]) -> list[list[EntityMention]]:
        """Entities of each text. Batching is several times faster than a call per text;
        organisation names get their nominative form (:mod:`borderkg.normalize`)."""
        results: list[list[EntityMention]] = [[] for _ in texts]
        # A long text goes in pieces (:func:`borderkg.nlp.pieces`), its spans moved back to
        # their place in the whole text.
        places: dict[str, list[tuple[int, int]]] = {}  # piece → (text, offset) of each copy
        for i, text in enumerate(texts):
            if text.strip():
                for offset, piece in pieces(text):
                    places.setdefault(piece, []).append((i, offset))
        # A report repeats many cells («г. Смоленск», «В дистанционном формате»): each
        # distinct piece is tagged once. A batch is padded to its longest text: batching
        # texts of like length keeps one huge cell from slowing all the others.
        todo = sorted(places, key=len)
        for piece, markup in zip(todo, self._ner_tagger.map(todo)):
            found = [adapt_span(span, piece) for span in markup.spans]
            for i, offset in places[piece]:
                results[i].extend(found if not offset else
                                  [replace(m, start=m.start + offset, stop=m.stop + offset) for m in found])
        for mentions in results:
            mentions.sort(key=lambda mention: mention.start)
        return results


def limit_blas_threads() -> bool:
    """Run numpy's BLAS (natasha's matrix products) on one thread in this process.

    slovnet multiplies small matrices, which one thread does as fast as many; OpenBLAS
    otherwise starts a spinning thread per CPU in every process, and with ``--workers 2``
    on two cores those threads starve the other worker and the process writing the
    store. Returns False (and changes nothing) when the user chose a count through one
    of :data:`BLAS_THREAD_VARIABLES`.
    """
    if any(os.environ.get(name) for name in BLAS_THREAD_VARIABLES):
        return False
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    return True


def adapt_span(span, text: str) -> EntityMention:
    """Turn a natasha span of ``text`` into an :class:`EntityMention`; the one place
    natasha's types leak."""
    from borderkg.normalize import nominative

    surface = text[span.start:span.stop]
    kind = EntityKind(span.type)
    normal = nominative(surface) if kind is EntityKind.ORG else surface
    return EntityMention(kind, span.start, span.stop, surface, normal)


@lru_cache(maxsize=1)
def default_tagger() -> NerTagger:
    """The shared tagger (models load on the first call)."""
    return NerTagger()
