"""Evaluation against a gold annotation (``data/gold/``, the schema of ``GUIDE.md``).

The metrics and their normalisation are those of the project's shared scorer
(``shared/tools/score_extract.py``), so ``borderkg eval`` and the scorer agree: rows found,
municipality, dates and online accuracy, and precision/recall/F1 of Belarusian places (by
name and rolled up to raion), countries, twin links, agreement kinds, for free text
Smolensk municipalities, and the names written freely — Belarusian organisations and
agreement parties — matched softly (:func:`soft_match`).

The sets the project is measured on are :data:`EVAL_SETS`: the Q2 2025 report, the news
items (the shared development set, and those the project found and annotated later) and the
shipped free-text documents, each with its gold file in ``data/gold/``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from borderkg import paths

SET_METRICS = ("places", "raions", "countries", "twins", "agreements", "ru_municipalities")
# What `borderkg eval` measures with no arguments: (name, gold file, where its documents are);
# the documents scored are those the gold file annotates (:func:`gold_documents`).
EVAL_SETS = (
    ("Q2 2025 report", paths.DATA / "gold" / "gold001.jsonl", (paths.REPORTS,)),
    ("news (dev)", paths.DATA / "gold" / "news_dev.jsonl", (paths.NEWS,)),
    ("news (found later, our gold)", paths.DATA / "gold" / "news_probe.jsonl", (paths.NEWS,)),
    ("news (found in a second round, our gold)", paths.DATA / "gold" / "news_probe2.jsonl", (paths.NEWS,)),
    ("news (found in a third round, our gold)", paths.DATA / "gold" / "news_probe3.jsonl", (paths.NEWS,)),
    ("free-text documents (dev)", paths.DATA / "gold" / "gold_freetext_dev.jsonl", (paths.REPORTS,)),
)
# Words the soft match of free names ignores.
_GENERIC = {"г", "гор", "город", "им", "имени", "и", "в", "на", "по", "для", "№", "ул"}


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


def _stems(name) -> frozenset:
    words = re.findall(r"[а-яa-z0-9]+", (norm(name) or "").replace("№", " "))
    return frozenset(w[:5] for w in words if w not in _GENERIC)


def soft_match(gold: list[str], predicted: list[str], floor: float = 0.5) -> tuple[int, int, int]:
    """(tp, fp, fn) of freely written names: each word cut to five letters, a pair matching
    when their Dice overlap is at least ``floor``, best pairs first, each name used once.

    >>> soft_match(["Лиозненский районный исполнительный комитет"], ["Лиозненского районного исполнительного комитета"])
    (1, 0, 0)
    >>> soft_match(["Хиславичский окружной Совет депутатов"], ["Славгородского районного"])
    (0, 1, 1)
    """
    g, p = [_stems(n) for n in gold], [_stems(n) for n in predicted]
    pairs = sorted(((2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0, i, j)
                    for i, a in enumerate(g) for j, b in enumerate(p)), reverse=True)
    used_g, used_p = set(), set()
    for overlap, i, j in pairs:
        if overlap < floor:
            break
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
    return len(used_g), len(p) - len(used_p), len(g) - len(used_g)


def _parties(record: dict | None) -> dict[str, list[str]]:
    """Agreement parties by the kind of agreement (a party matches only within its kind);
    an agreement with no party counts as one empty party."""
    out: dict[str, list[str]] = {}
    for agreement in (record or {}).get("agreements") or []:
        out.setdefault(norm(agreement.get("kind")), []).extend(agreement.get("parties") or ["∅"])
    return out


def _name_counts(gold: dict, predicted: dict | None, metric: str) -> tuple[int, int, int]:
    if metric == "orgs":
        return soft_match(gold.get("by_orgs") or [], (predicted or {}).get("by_orgs") or [])
    g, p = _parties(gold), _parties(predicted)
    counts = [soft_match(g.get(kind, []), p.get(kind, [])) for kind in set(g) | set(p)]
    return tuple(sum(c[i] for c in counts) for i in range(3))


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
    for metric in ("orgs", "agreement_parties"):
        counts = [_name_counts(gold[key], predicted.get(key), metric) for key in keys]
        prf[metric] = _prf(*(sum(c[i] for c in counts) for i in range(3)))
        for key in keys:
            if metric == "orgs" and _name_counts(gold[key], predicted.get(key), metric)[1:] != (0, 0):
                misses.setdefault(metric, []).append(
                    f"{key[0]}#{key[1]}: gold {gold[key].get('by_orgs') or []} "
                    f"found {(predicted.get(key) or {}).get('by_orgs') or []}")
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


def gold_documents(gold_path: Path, candidates: list[Path]) -> list[Path]:
    """The candidates the gold file annotates (by file name); all of them when it names
    none of them (a gold file with other document names, matched by the scorer's rule)."""
    docs = set(k[0] for k in load_records(Path(gold_path).read_text(encoding="utf-8").splitlines()))
    chosen = [path for path in candidates if path.name in docs]
    return chosen or list(candidates)
