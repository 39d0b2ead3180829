"""Quality on the gold annotation: the figures reached must not fall."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderkg.evaluate import evaluate, gold_documents, load_records, score
from borderkg.ingest import source_files

from conftest import REPORTS, ROOT

GOLD = ROOT / "data" / "gold"
SHARED_SCORER = ROOT.parent / "shared" / "tools" / "score_extract.py"


@pytest.fixture(scope="module")
def q2_scores(q2_records):
    gold = load_records((GOLD / "gold001.jsonl").read_text(encoding="utf-8").splitlines())
    return score(gold, load_records(r.to_json() for r in q2_records))


def _news_scores(news_records, gold_file: str):
    """The news of ``data/news`` a gold file annotates, scored against it."""
    gold = load_records((GOLD / gold_file).read_text(encoding="utf-8").splitlines())
    docs = {doc for doc, _ in gold}
    return score(gold, load_records(r.to_json() for r in news_records if r.doc in docs))


@pytest.fixture(scope="module")
def news_scores(news_records):
    return _news_scores(news_records, "news_dev.jsonl")


def test_news_meet_the_targets(news_scores):
    """The shipped news against their gold (issue 13): figures reached, less a margin."""
    s = news_scores
    assert (s.rows_found, s.rows_gold, s.rows_extra) == (21, 21, 0)
    assert s.accuracy["municipality_acc"] >= 0.95
    assert s.prf["ru_municipalities"][2] >= 0.95
    assert s.prf["twins"][2] >= 0.95
    assert s.prf["agreement_parties"][2] >= 0.95
    assert s.prf["orgs"][2] >= 0.97
    assert s.prf["raions"][2] >= 0.97 and s.prf["places"][2] >= 0.98
    assert s.accuracy["dates_acc"] >= 0.90 and s.accuracy["online_acc"] >= 0.95


# The news found after the rules were written, one gold file a round (our own annotation):
# the figures reached once each round's faults were fixed, less a margin. (gold file, rows,
# floors of accuracies and F1s.) Round 2 still misses much (one item is in Belarusian).
PROBE_FLOORS = [
    ("news_probe.jsonl", 18, {"municipality_acc": 0.94, "dates_acc": 0.88},
     {"raions": 0.97, "places": 0.97, "twins": 0.95, "agreement_parties": 0.95, "orgs": 0.85, "countries": 0.97}),
    ("news_probe2.jsonl", 14, {"municipality_acc": 0.85, "dates_acc": 0.92},
     {"raions": 0.9, "places": 0.88, "countries": 0.95, "twins": 0.95, "orgs": 0.75}),
    ("news_probe3.jsonl", 15, {"municipality_acc": 0.95, "dates_acc": 0.93},
     {"raions": 0.85, "places": 0.85, "countries": 0.97, "twins": 0.95, "orgs": 0.87}),
]


@pytest.mark.parametrize("gold_file, rows, accuracy, f1", PROBE_FLOORS, ids=[f[0] for f in PROBE_FLOORS])
def test_news_found_later_keep_their_figures(news_records, gold_file, rows, accuracy, f1):
    s = _news_scores(news_records, gold_file)
    assert (s.rows_found, s.rows_gold, s.rows_extra) == (rows, rows, 0)
    assert {k: v for k, v in accuracy.items() if s.accuracy[k] < v} == {}
    assert {k: v for k, v in f1.items() if s.prf[k][2] < v} == {}


def test_q2_2025_report_meets_the_targets(q2_scores):
    s = q2_scores
    assert (s.rows_found, s.rows_gold, s.rows_extra) == (97, 97, 0)
    assert s.accuracy["municipality_acc"] == 1.0
    assert s.accuracy["dates_acc"] >= 0.99
    assert s.accuracy["online_acc"] >= 0.97
    assert s.prf["raions"][2] >= 0.99
    assert s.prf["places"][2] >= 0.98
    assert s.prf["countries"][2] >= 0.99
    assert s.prf["twins"] == (1.0, 1.0, 1.0)
    assert s.prf["agreements"][2] == 1.0
    assert s.prf["orgs"][2] >= 0.97
    assert s.prf["agreement_parties"][2] >= 0.95


def test_free_text_documents_give_no_false_belarusian_place(extractor):
    gold = GOLD / "gold_freetext_dev.jsonl"
    docs = gold_documents(gold, source_files([REPORTS]))
    assert len(docs) == 3  # the Q2 report is not among them
    scores = evaluate(gold, docs, extractor)
    assert scores.prf["places"][0] == 1.0 and scores.prf["raions"][0] == 1.0
    assert scores.prf["ru_municipalities"][2] == 1.0
    assert scores.accuracy["municipality_acc"] == 1.0
    assert scores.prf["countries"][2] == 1.0  # Japan and Korea by their regions and cities


def test_score_counts_false_and_missing_places():
    gold = load_records([json.dumps({"doc": "a", "n": 1, "municipality": "город Смоленск",
                                     "date_start": None, "date_end": None, "online": False,
                                     "by_places": [{"name": "Орша", "kind": "city", "raion": "Оршанский район"}]})])
    predicted = load_records([json.dumps({"doc": "a", "n": 1, "municipality": "Город Смоленск",
                                          "by_places": [{"name": "г. Витебск", "raion": "Витебский район"}]})])
    result = score(gold, predicted)
    assert result.accuracy["municipality_acc"] == 1.0
    assert result.prf["places"] == (0.0, 0.0, 0.0)
    assert result.misses["raions"]


@pytest.mark.skipif(not SHARED_SCORER.exists(), reason="the shared scorer is not beside the repository")
def test_eval_agrees_with_the_shared_scorer(tmp_path, q2_scores, q2_records):
    pred = tmp_path / "pred.jsonl"
    pred.write_text("\n".join(r.to_json() for r in q2_records) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(SHARED_SCORER), str(GOLD / "gold001.jsonl"), str(pred), "--json"],
                         capture_output=True, text=True, check=True).stdout
    shared = json.loads(out)
    for metric in ("places", "raions", "countries", "twins", "agreements", "orgs", "agreement_parties"):
        assert shared[metric] == pytest.approx(list(q2_scores.prf[metric]))
    assert shared["dates_acc"] == pytest.approx(q2_scores.accuracy["dates_acc"])


@given(doc=st.text(min_size=1).filter(lambda d: "/" not in d), n=st.integers(1, 10_000),
       names=st.lists(st.text(), max_size=3), free_text=st.booleans())
def test_a_gold_record_reads_back_as_written(doc, n, names, free_text):
    """What ``extract --format jsonl`` writes, ``eval`` and the scorer read back unchanged."""
    from borderkg.extract.record import EventRecord

    record = EventRecord(doc, n, municipality=names[0] if names else None, by_orgs=names,
                         agreements=[{"kind": "memorandum", "parties": names}],
                         ru_municipalities=sorted(names) if free_text else None)
    assert load_records([record.to_json()]) == {(doc, n): record.to_dict()}
