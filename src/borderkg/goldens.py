"""Golden results of the saved queries: ``queries/<name>.expected.csv`` beside each ``.rq``.

Each golden file is the query's answer, with its default parameters, on the small hand-made
dataset ``queries/fixtures/small.trig`` (with the derived layers computed from it as a build
computes them), as ``format_results(result, "csv")`` prints it. The answers were checked by
hand against the dataset; they move only when a query (or a derived layer) changes, never
with the extraction. Federated queries (header line ``# federated: true``) have none.

After changing a query, regenerate them and **read the diff** — a golden file that records
a wrong answer is a defect::

    python -m borderkg.goldens            # rewrite every golden file
    python -m borderkg.goldens --check    # only list the goldens that differ (exit 1 if any)

The shipped reports are built by :func:`reference_store` for the tests that keep the real
build sensible (bounds and known facts, not byte-equal answers).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import click

from borderkg.paths import QUERIES, REPORTS
from borderkg.query import SavedQuery, format_results, run_query, saved_queries

FIXTURE = QUERIES / "fixtures" / "small.trig"


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


def fixture_store(path: Path = FIXTURE):
    """An in-memory store holding the hand-made dataset, with its derived layers."""
    import pyoxigraph

    from borderkg.derive import derive_layers
    from borderkg.store import OxigraphStore

    store = OxigraphStore.in_memory()
    store.native.load(path=str(path), format=pyoxigraph.RdfFormat.TRIG)
    derive_layers(store)
    return store


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


@click.command()
@click.option("--check", is_flag=True, help="Only compare; exit 1 if a golden file differs.")
@click.option("--fixture", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=FIXTURE,
              show_default=True, help="The hand-made dataset (TriG) the goldens describe.")
def main(check: bool, fixture: Path) -> None:
    """Rewrite (or check) the saved queries' golden answers on the hand-made dataset."""
    changed = update(fixture_store(fixture), check=check)
    verb = "differ" if check else "rewritten"
    click.echo(f"{len(changed)} golden file(s) {verb}" + (": " + ", ".join(changed) if changed else ""))
    if check and changed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
