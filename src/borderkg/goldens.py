"""Golden results of the saved queries: ``queries/<name>.expected.csv`` beside each ``.rq``.

Each golden file is the query's answer, with its default parameters, on a store built from
the shipped reports (``data/reports``), as ``format_results(result, "csv")`` prints it. The
test suite compares every saved query with its golden file; federated queries (header line
``# federated: true``) need the network and have none.

Regenerate them after a change to the extraction, the gazetteer or a query, then read the
diff before committing it — a golden file that records a wrong answer is a defect::

    python -m borderkg.goldens              # build a fresh store from data/reports, rewrite all
    python -m borderkg.goldens --check      # only report which goldens differ (exit 1 if any)
    python -m borderkg.goldens --store DIR  # use an existing store instead of building one
"""

from __future__ import annotations

import functools
import re
import sys
import tempfile
from pathlib import Path

from borderkg.paths import QUERIES, REPORTS
from borderkg.query import SavedQuery, format_results, run_query, saved_queries


def is_federated(saved: SavedQuery) -> bool:
    """Whether the query's header marks it ``# federated: true`` (it calls a remote SERVICE).

    >>> from borderkg.query import parse_header
    >>> is_federated(parse_header("w", Path("w.rq"), "# title: W\\n# federated: true\\nSELECT * {}"))
    True
    >>> is_federated(parse_header("l", Path("l.rq"), "# title: L\\nSELECT * {}"))
    False
    """
    for line in saved.text.splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"#\s*federated:\s*(\S+)", line, re.IGNORECASE)
        if match:
            return match.group(1).lower() in ("true", "yes", "1")
    return False


def golden_path(saved: SavedQuery) -> Path:
    """``queries/partners-of-municipality.expected.csv`` beside ``partners-of-municipality.rq``."""
    return saved.path.with_name(f"{saved.name}.expected.csv")


def local_queries(directory: Path = QUERIES) -> list[SavedQuery]:
    """The saved queries that run on the store alone (every one but the federated)."""
    return [saved for saved in saved_queries(directory) if not is_federated(saved)]


def golden_text(store, saved: SavedQuery) -> str:
    """The query's answer with default parameters, as the golden file holds it."""
    return format_results(run_query(store, saved), "csv")


def build_reference_store(path: Path, reports: Path = REPORTS):
    """A store built at ``path`` from the shipped reports: the one the golden files describe."""
    from borderkg.errors import BorderkgError
    from borderkg.ingest import build
    from borderkg.store import OxigraphStore

    store = OxigraphStore(path)
    report = build([reports], store)
    if not report.ok:
        raise BorderkgError(f"the reference build failed: {report.failed}")
    return store


@functools.cache
def reference_store(path: Path):
    """:func:`build_reference_store`, built once per process and path (the query and export
    tests share one build of the reports, which takes a while)."""
    return build_reference_store(path)


def update(store, directory: Path = QUERIES, check: bool = False) -> list[str]:
    """Rewrite (or, with ``check``, only compare) every golden file; the names that differed."""
    changed = []
    for saved in local_queries(directory):
        text = golden_text(store, saved)
        path = golden_path(saved)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            changed.append(saved.name)
            if not check:
                path.write_text(text, encoding="utf-8", newline="")
    return changed


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m borderkg.goldens", description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: build one from data/reports)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if a golden differs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="borderkg-goldens-") as tmp:
        if args.store:
            from borderkg.store import OxigraphStore

            store = OxigraphStore(args.store, read_only=True)
        else:
            store = build_reference_store(Path(tmp) / "store")
        changed = update(store, check=args.check)
    verb = "differ" if args.check else "rewritten"
    print(f"{len(changed)} golden file(s) {verb}" + (": " + ", ".join(changed) if changed else ""))
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
