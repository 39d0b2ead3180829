"""The linking index's surface forms read back from the disk cache are those computed."""

from __future__ import annotations

import dataclasses
import pickle

from borderkg.gazetteer import load_gazetteer
from borderkg.link import cache
from borderkg.link.index import _surface_forms, build_index


def test_forms_read_back_are_the_computed_ones_and_follow_the_gazetteer(tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERKG_CACHE", str(tmp_path))
    gazetteer = load_gazetteer()
    fresh = _surface_forms(gazetteer, ())
    build_index.cache_clear()
    built = build_index(gazetteer)
    assert list(tmp_path.glob("link-forms-*.pickle"))
    build_index.cache_clear()
    again = build_index(gazetteer)  # from the file this time
    assert (again.names, again.adjectives, again.needs_cue, again.settlement_adjectives) == fresh
    assert (built.names, built.adjectives) == (again.names, again.adjectives)
    # Another gazetteer (one place renamed) is not answered from the first one's forms.
    place = next(p for p in gazetteer.places.values() if p.name == "Лиозно")
    renamed = dataclasses.replace(gazetteer, places={**gazetteer.places,
                                                     place.id: dataclasses.replace(place, name="Лёзна")})
    build_index.cache_clear()
    other = build_index(renamed)
    assert "лезна" in other.names and "лезна" not in again.names
    build_index.cache_clear()


def test_an_unreadable_or_unwritable_cache_only_costs_time(tmp_path):
    key = ("forms",)
    path = tmp_path / f"{cache.PREFIX}{cache.digest(key)}.pickle"
    path.write_bytes(b"not a pickle")
    assert cache.cached(key, lambda: {"a": 1}, tmp_path) == {"a": 1}
    assert pickle.loads(path.read_bytes()) == {"a": 1}  # the broken file was replaced
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert cache.cached(key, lambda: {"b": 2}, blocked / "sub") == {"b": 2}
