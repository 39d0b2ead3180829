"""Long texts: a document of one huge line is read, tagged and stored in pieces the NLP
libraries take, every mention at its true offset in the whole text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from borderkg import nlp
from borderkg.ingest import build
from borderkg.ner import EntityKind
from borderkg.nlp import pieces
from borderkg.read import read_document
from borderkg.store import OxigraphStore

SENTENCE = "Концерт «Дружба без границ» прошёл в г. Орше, 5 мая 2025 года. "
FAR = "Делегация г. Кричева Могилевской области посетила Шумячский муниципальный округ. "


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .\n!"), max_size=300), st.integers(1, 40))
def test_pieces_give_the_text_back_within_the_limit(text, limit):
    cut = list(pieces(text, limit))
    assert "".join(piece for _, piece in cut) == text
    assert all(len(piece) <= limit for _, piece in cut)
    assert [offset for offset, _ in cut] == [sum(len(p) for _, p in cut[:i]) for i in range(len(cut))]


def test_a_long_cell_is_tagged_in_pieces_at_true_offsets(monkeypatch, extractor):
    monkeypatch.setattr(nlp, "PIECE_CHARS", 200)
    text = SENTENCE * 20 + FAR + SENTENCE * 5
    [entities] = extractor.tagger.tag_many([text])
    assert all(text[e.start:e.stop] == e.text for e in entities)
    assert [e.start for e in entities] == sorted(e.start for e in entities)
    far = text.index(FAR)
    assert any(e.kind is EntityKind.LOC and e.start > far and e.text.startswith("Кричев") for e in entities)


def test_a_document_of_one_long_line_builds(tmp_path, extractor):
    """1.2 MB on one line: beyond spaCy's million characters (E088 before), read in pieces."""
    path = tmp_path / "one_line.txt"
    text = SENTENCE * (1_250_000 // len(SENTENCE)) + FAR
    path.write_text(text, encoding="utf-8")
    [extraction] = extractor.extract(read_document(path))
    [cell] = extraction.cells
    assert cell.text == text.strip() and len(cell.text) > 1_000_000
    kept = [link for link in cell.links if link.mention.start > 1_000_000]
    assert kept and all(cell.text[l.mention.start:l.mention.end] == l.mention.text for l in cell.links)
    assert any(l.mention.text.startswith("Кричев") for l in kept)
    assert all(cell.text[e.start:e.stop] == e.text for e in cell.entities)
    store = OxigraphStore(tmp_path / "store")
    report = build([path], store, extractor)
    assert report.failed == [] and report.stored == [str(path)]
    store.close()
