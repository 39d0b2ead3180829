"""Score the event categoriser against the hand-labelled sample.

Run: .venv/bin/python bench/categories_eval.py [--misses] [SAMPLE.tsv]

Prints exact-set accuracy, per-category precision and recall, and micro-averaged F1 of
``borderkg.categories.categorize`` against data/curation/categories_sample.tsv.
"""

from __future__ import annotations

import sys

from borderkg.categories import CATEGORIES, SAMPLE, load_sample, score


def _fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:.2f}"


def main(argv: list[str]) -> int:
    show_misses = "--misses" in argv
    paths = [a for a in argv if not a.startswith("--")]
    events = load_sample(paths[0] if paths else SAMPLE)
    scores = score(events)
    print(f"events              {scores.events}")
    print(f"exact-set accuracy  {scores.accuracy:.3f} ({scores.exact}/{scores.events})")
    print(f"micro-F1            {scores.micro_f1:.3f}")
    print(f"{'category':12s} {'gold':>4s} {'pred':>4s} {'prec':>5s} {'rec':>5s}")
    for category in CATEGORIES:
        tp, fp, fn = scores.counts[category]
        precision, recall = scores.precision_recall(category)
        print(f"{category:12s} {tp + fn:4d} {tp + fp:4d} {_fmt(precision):>5s} {_fmt(recall):>5s}")
    if show_misses:
        for event, predicted in scores.misses:
            print(f"  {event.n:3d} gold={','.join(sorted(event.labels)):28s} "
                  f"pred={','.join(predicted):28s} {event.title[:70]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
