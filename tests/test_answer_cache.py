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
        if kept:  # an answer too big to keep leaves the one kept before (found by hypothesis)
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


def test_identical_queries_in_flight_share_one_answer_and_a_failed_one_is_not_shared():
    import asyncio

    from borderkg.serve.cache import Flights

    async def scenario():
        flights, calls = Flights(), []
        gate = asyncio.Event()

        async def compute(status=200):
            calls.append(status)
            await gate.wait()
            return (status, "text/csv", b"x")

        first = [asyncio.create_task(flights.run("q", compute)) for _ in range(6)]
        await asyncio.sleep(0.01)
        gate.set()
        shared = await asyncio.gather(*first)
        assert shared == [(200, "text/csv", b"x")] * 6 and calls == [200]
        gate.clear()
        failing = asyncio.create_task(flights.run("q", lambda: compute(503)))
        await asyncio.sleep(0.01)
        waiting = asyncio.create_task(flights.run("q", compute))
        await asyncio.sleep(0.01)
        gate.set()
        assert (await failing)[0] == 503 and (await waiting)[0] == 200  # computed its own
        gate.clear()
        cancelled = asyncio.create_task(flights.run("q", compute))
        await asyncio.sleep(0.01)
        follower = asyncio.create_task(flights.run("q", compute, asyncio.get_running_loop().time() + 5))
        await asyncio.sleep(0.01)
        cancelled.cancel()
        await asyncio.sleep(0.01)
        gate.set()
        assert (await follower)[0] == 200  # a client gone does not fail the others

    asyncio.run(scenario())
