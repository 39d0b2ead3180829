"""The endpoint's answer cache: bounded, per generation, only whole answers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from borderkg.serve.cache import Answer, AnswerCache, answer_key

puts = st.lists(st.tuples(st.integers(1, 3), st.integers(0, 9), st.binary(max_size=40)), max_size=60)


@given(puts)
def test_the_cache_stays_within_its_bounds_and_answers_only_what_it_was_given(steps):
    cache = AnswerCache(max_entries=4, max_bytes=64, max_item_bytes=32)
    given_answers = {}
    for generation, query, body in steps:
        key = answer_key(f"SELECT {query}", "*/*")
        kept = cache.put(generation, key, Answer(200, "text/csv", body))
        assert kept == (len(body) <= 32)
        given_answers[(generation, key)] = body
        assert len(cache) <= 4 and cache._bytes <= 64
        assert cache._bytes == sum(len(a.body) for a in cache._entries.values())
    for (generation, key), body in given_answers.items():
        found = cache.get(generation, key)
        assert found is None or found.body == body


def test_a_new_generation_forgets_the_old_answers():
    cache = AnswerCache()
    key = answer_key("ASK {}", "application/sparql-results+json")
    cache.put(1, key, Answer(200, "application/sparql-results+json", b"true"))
    assert cache.get(1, key) is not None
    assert cache.get(2, key) is None
    assert cache.get(1, key) is None  # gone for good, not kept aside
    assert (cache.hits, cache.misses) == (1, 2)
