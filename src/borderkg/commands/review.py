"""``borderkg review``: the links the linker was least sure of, each with the curation line
that would settle it.

The list comes from the saved query ``queries/review/links-to-review.rq``: place mentions
with a confidence below the threshold (homonyms, villages let through by a raion named
elsewhere, new settlements) and organisations with no country, most doubtful first. For a
place the printed line is in ``data/curation/links.tsv``'s format and confirms the link as
it is: copy it there, and change the target (a gazetteer id) or write ``ignore`` where the
linker was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import click

from borderkg import paths
from borderkg.errors import BorderkgError

QUERY = paths.QUERIES / "review" / "links-to-review.rq"
SNIPPET = 70  # characters of source text on each side of a mention


@dataclass(frozen=True)
class Doubt:
    """One line of the review list (a row of the saved query)."""

    confidence: str
    what: str
    document: str
    row: str
    field: str
    start: str
    end: str
    mention: str
    target: str
    target_name: str
    raion_name: str
    text: str

    def snippet(self) -> str:
        """The source text around the mention, the mention in [brackets].

        >>> Doubt("0.5", "place", "d.txt", "1", "content", "6", "11", "Новка", "by-s-novka",
        ...       "Новка", "Витебский район", "Гости Новка и Орша").snippet()
        'Гости [Новка] и Орша'
        """
        if not self.text:
            return ""
        if not self.start:
            return _shorten(self.text, 2 * SNIPPET)
        start, end = int(self.start), int(self.end)
        if self.text[start:end] != self.mention:
            return _shorten(self.text, 2 * SNIPPET)
        before = self.text[max(0, start - SNIPPET):start]
        after = self.text[end:end + SNIPPET]
        return " ".join(f"{before}[{self.mention}]{after}".split())

    def curation_line(self) -> str | None:
        """The ``links.tsv`` line that keeps this link (a person edits target or action);
        None for an organisation, which links.tsv does not cover.

        >>> Doubt("0.5", "place", "d.txt", "1", "content", "6", "11", "Новка", "by-s-novka",
        ...       "Новка", "Витебский район", "").curation_line()
        'd.txt\\tНовка\\tlink\\tby-s-novka\\tНовка (Витебский район), confidence 0.5'
        """
        if self.what == "organisation without country" or not self.target:
            return None
        where = f" ({self.raion_name})" if self.raion_name and self.raion_name != self.target_name else ""
        target = "" if self.what == "new settlement" else self.target
        action = "link" if target else "ignore"
        note = f"{self.target_name}{where}, confidence {self.confidence}"
        if self.what == "new settlement":
            note += ": not in the gazetteer; add it to places.tsv and link it, or ignore"
        return "\t".join((self.document, self.mention, action, target, note))


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def doubts(store, threshold: float = 0.9, limit: int | None = None) -> list[Doubt]:
    """The review list of a store, most doubtful first."""
    from borderkg.query import load_query, result_rows, run_query

    names, rows = result_rows(run_query(store, load_query(str(QUERY)), {"threshold": str(threshold)}))
    found = [Doubt(*(row[names.index(n)] for n in (
        "confidence", "what", "document", "row", "field", "start", "end", "mention", "target",
        "targetName", "raionName", "text"))) for row in rows]
    return found[:limit] if limit else found


@click.command("review")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=0.9, show_default=True,
              help="List links whose confidence is below this (0.9: a bare name with one reading is not listed).")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many entries.")
@click.option("--store", "store_path", default=str(paths.STORE), show_default=True,
              help="The triple store (a directory).")
def review(threshold: float, limit: int | None, store_path: str) -> None:
    """List the links the linker was least sure of, most doubtful first, each with its
    source text and the curation line to copy into data/curation/links.tsv.

    Example: borderkg review --threshold 0.8 --limit 20
    """
    from borderkg.store import open_store

    try:
        entries = doubts(open_store(store_path, read_only=True), threshold, limit)
    except BorderkgError as exc:
        raise click.ClickException(str(exc)) from exc
    for entry in entries:
        target = f" → {entry.target_name}" + (f" ({entry.raion_name})" if entry.raion_name else "") \
            if entry.target_name else ""
        where = f"{entry.document} row {entry.row}" + (f", {entry.field}" if entry.field else "")
        click.echo(f"{entry.confidence}  {entry.what}: «{entry.mention}»{target}  [{where}]")
        if entry.snippet():
            click.echo(f"    {entry.snippet()}")
        line = entry.curation_line()
        if line:
            click.echo(f"    {line}")
    click.echo(f"{len(entries)} to review", err=True)
