"""Evaluation against a gold annotation (``data/gold/``, the schema of ``GUIDE.md``).

The metrics and their normalisation are those of the project's shared scorer
(``shared/tools/score_extract.py``), so ``borderkg eval`` and the scorer agree: rows found,
municipality, dates and online accuracy, and precision/recall/F1 of Belarusian places (by
name and rolled up to raion), countries, twin links, agreement kinds and, for free text,
Smolensk municipalities.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

SET_METRICS = ("places", "raions", "countries", "twins", "agreements", "ru_municipalities")


def norm(text):
    """The scorer's normalisation: case, ё, quotes, settlement abbreviations, one variant.

    >>> norm("г. Мстиславльский"), norm("«Витебск»")
    ('мстиславский', 'витебск')
    """
    if text is None:
        return None
    text = str(text).lower().replace("ё", "е")
    text = re.sub(r"[«»\"“”„']", "", text)
    text = re.sub(r"^(г|гор|пос|п|дер|д|аг|агрогородок|гп|г\.п)\.?\s+", "", text)
    text = text.replace("мстиславльский", "мстиславский")
    return re.sub(r"\s+", " ", text).strip()


def municipality_key(name) -> str:
    """«Хиславичский район», «… муниципальный округ» and «МО … Смоленской области» alike."""
    text = norm(name) or ""
    text = text.replace("муниципальное образование", "").replace("смоленской области", "").strip()
    text = re.sub(r"\b(район|муниципальный округ|городской округ)\b", "", text).strip()
    return text.replace("город ", "").strip()


def _rollup(place: dict):
    kind, raion, name = norm(place.get("kind")), norm(place.get("raion")), norm(place.get("name"))
    return name if kind == "oblast" else (raion or name)


def _set(record: dict | None, key: str) -> set:
    if record is None:
        return set()
    if key == "places":
        return {norm(p.get("name")) for p in record.get("by_places") or []}
    if key == "raions":
        return {_rollup(p) for p in record.get("by_places") or []}
    if key == "countries":
        return {c.upper() for c in record.get("countries") or []}
    if key == "twins":
        return {(municipality_key(t.get("ru")), norm(t.get("by"))) for t in record.get("twins") or []}
    if key == "agreements":
        return {norm(a.get("kind")) for a in record.get("agreements") or []}
    return {municipality_key(m) for m in record.get("ru_municipalities") or []}


@dataclass
class Scores:
    rows_found: int
    rows_gold: int
    rows_extra: int
    accuracy: dict[str, float]
    prf: dict[str, tuple[float, float, float]]
    misses: dict[str, list[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The report in the scorer's layout."""
        out = [f"{'rows_found':12s} {self.rows_found}/{self.rows_gold} (+{self.rows_extra} extra)"]
        out += [f"{k:12s} {v:.3f}" for k, v in self.accuracy.items()]
        out += [f"{k:12s} P={p:.3f} R={r:.3f} F1={f:.3f}" for k, (p, r, f) in self.prf.items()]
        return out


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_records(lines) -> dict[tuple[str, int], dict]:
    records = {}
    for line in lines:
        line = line.strip()
        if line:
            record = json.loads(line)
            records[((record.get("doc") or "").split("/")[-1], int(record["n"]))] = record
    return records


def score(gold: dict, predicted: dict) -> Scores:
    """Compare predicted records with gold ones (both keyed by (doc, n))."""
    if {k[0] for k in gold} != {k[0] for k in predicted} and len({k[0] for k in gold}) == 1 \
            and len({k[0] for k in predicted}) == 1:
        doc = next(iter(gold))[0]
        predicted = {(doc, n): v for (_, n), v in predicted.items()}
    keys = sorted(gold)
    total = len(keys) or 1
    found = [k for k in keys if k in predicted]
    accuracy = {
        "municipality_acc": sum(municipality_key(predicted[k].get("municipality")) ==
                                municipality_key(gold[k]["municipality"]) for k in found) / total,
        "dates_acc": sum(str(predicted[k].get("date_start")) == str(gold[k]["date_start"]) and
                         str(predicted[k].get("date_end")) == str(gold[k]["date_end"]) for k in found) / total,
        "online_acc": sum(bool(predicted[k].get("online")) == bool(gold[k]["online"]) for k in found) / total,
    }
    metrics = [m for m in SET_METRICS if m != "ru_municipalities" or
               any("ru_municipalities" in gold[k] for k in keys)]
    prf, misses = {}, {}
    for metric in metrics:
        tp = fp = fn = 0
        for key in keys:
            g, p = _set(gold[key], metric), _set(predicted.get(key), metric)
            tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
            if g != p:
                misses.setdefault(metric, []).append(
                    f"{key[0]}#{key[1]}: missing {sorted(map(str, g - p))} extra {sorted(map(str, p - g))}")
        prf[metric] = _prf(tp, fp, fn)
    extra = sum(1 for k in predicted if k not in gold)
    return Scores(len(found), len(keys), extra, accuracy, prf, misses)


def evaluate(gold_path: Path, documents: list[Path], extractor=None) -> Scores:
    """Extract the given documents and score them against a gold file."""
    from borderkg.extract import Extractor
    from borderkg.extract.record import to_gold_record
    from borderkg.read import read_document

    extractor = extractor or Extractor()
    gold = load_records(Path(gold_path).read_text(encoding="utf-8").splitlines())
    lines = [to_gold_record(e, extractor.gazetteer).to_json()
             for path in documents for e in extractor.extract(read_document(path))]
    return score(gold, load_records(lines))
