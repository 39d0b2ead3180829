"""The ``borderkg`` command line: a thin layer over the library.

Every command imports what it needs when it runs, so ``borderkg query`` starts without the
NER models. Domain errors become one-line messages, never tracebacks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from borderkg import paths
from borderkg.commands.options import domain_errors, store_option
from borderkg.errors import BorderkgError


@click.group()
@click.version_option(package_name="borderkg")
def cli():
    """borderkg: a knowledge graph of Smolensk–Belarus cultural cooperation."""


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@store_option()
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--workers", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes that read and extract documents in parallel (the derived layers use every core anyway).")
@click.option("--follow-symlinks", is_flag=True,
              help="Read what symbolic links under a folder lead to even outside that folder.")
@domain_errors
def build(sources, store, quiet, workers, follow_symlinks):
    """Ingest report files into the store and print a summary.

    Every entry under a folder is read or named with its reason: "skipped" (not a report,
    or the same report as one kept) leaves the exit status 0, "error" (a report that could
    not be read or stored) makes it 1.

    Example: borderkg build data/reports/ data/news/ (the default)
    """
    from tqdm import tqdm

    from borderkg.ingest import build as run_build
    from borderkg.sources import find_sources

    found = find_sources(sources or paths.DEFAULT_SOURCES, follow_symlinks)
    progress = (lambda it: it) if quiet else (
        lambda it: tqdm(it, total=len(found.files), desc="documents", unit="doc", file=sys.stderr))
    report = run_build(found, store, progress=progress, workers=workers)
    click.echo(f"stored {len(report.stored)} document(s), {len(report.unchanged)} unchanged, "
               f"{len(report.failed)} failed, {len(report.skipped)} skipped")
    for name, value in report.totals.items():
        click.echo(f"  {name.replace('_', ' '):18s} {value}")
    for path, reason in report.skipped:
        click.echo(f"skipped: {path}: {reason}", err=True)
    for path, warning in report.warnings:
        click.echo(f"warning: {path}: {warning}", err=True)
    if report.stale:
        click.echo(f"warning: the pipeline (code, gazetteer or curation) changed since the store was built: "
                   f"{len(report.stale)} stored document(s) this build did not read keep their former "
                   f"extraction (first: {report.stale[0]}); build them again to relink them", err=True)
    for path, reason in report.failed:
        click.echo(f"error: {path}: {reason}", err=True)
    if report.failed:
        sys.exit(1)


@cli.command()
@click.argument("documents", nargs=-1, required=True)
@store_option()
@domain_errors
def remove(documents, store):
    """Take documents (by file name) out of the store.

    Example: borderkg remove 001_5746b6576caafdfe.txt
    """
    from borderkg.ingest import remove_document

    missing = [d for d in documents if not remove_document(store, Path(d).name)]
    for name in missing:
        click.echo(f"error: no document named {name!r} in the store", err=True)
    if missing:
        sys.exit(1)
    click.echo(f"removed {len(documents)} document(s)")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@domain_errors
def extract(files, fmt):
    """Print one JSON record per event (the gold annotation's schema).

    Example: borderkg extract data/reports/001_5746b6576caafdfe.txt > pred.jsonl
    """
    from borderkg.extract import Extractor
    from borderkg.extract.record import to_gold_record
    from borderkg.read import read_document

    extractor = Extractor()
    failed = False
    for path in files:
        try:
            document = read_document(path)
        except BorderkgError as exc:
            click.echo(f"error: {exc}", err=True)
            failed = True
            continue
        for extraction in extractor.extract(document):
            click.echo(to_gold_record(extraction, extractor.gazetteer).to_json())
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("name")
@click.option("--param", "-p", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (as an RDF literal or IRI, never pasted as text).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@store_option(read_only=True)
@domain_errors
def query(name, param, fmt, store):
    """Run a saved query (a name from queries/) or a .rq file on the store.

    Example: borderkg query partners-of-municipality -p municipality="Руднянский муниципальный округ"
    """
    from borderkg.query import format_results, load_query, parse_params, run_query

    saved = load_query(name)
    result = run_query(store, saved, parse_params(param))
    click.echo(format_results(result, fmt), nl=False)


@cli.command()
@click.argument("iri")
@store_option(read_only=True)
@domain_errors
def explain(iri, store):
    """Say why a fact is in the graph, quoting the source text (event, partner link
    mention, twin link or agreement; full IRI or prefixed, e.g. id:event/FILE/ROW).

    Example: borderkg explain id:event/001_5746b6576caafdfe.txt/85
    """
    from borderkg.explain import explain as run_explain

    for line in run_explain(store, iri):
        click.echo(line)


@cli.command(name="queries")
@domain_errors
def list_queries():
    """List the saved queries with their titles."""
    from borderkg.query import saved_queries

    for saved in saved_queries():
        click.echo(f"{saved.name:40s} {saved.title}")


@cli.command(name="eval")
@click.option("--gold", "gold", type=click.Path(exists=True, path_type=Path),
              help="Gold annotation (JSONL, the schema of data/gold/GUIDE.md); without it, the "
                   "project's sets: the Q2 2025 report and the news items.")
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--misses/--no-misses", default=True, show_default=True, help="List what differs.")
@domain_errors
def evaluate(gold, sources, misses):
    """Score extraction against a gold file: the shared scorer's metrics, then the misses.

    Examples: borderkg eval (the Q2 report, the news and the free texts, each against its gold);
    borderkg eval --gold data/gold/news_dev.jsonl data/news
    """
    from borderkg.evaluate import EVAL_SETS, evaluate as run_eval, gold_documents
    from borderkg.extract import Extractor
    from borderkg.ingest import source_files

    if gold is None:
        sets = [(name, path, gold_documents(path, source_files(list(docs)))) for name, path, docs in EVAL_SETS]
    else:
        sets = [(None, gold, gold_documents(gold, source_files(sources or paths.DEFAULT_SOURCES)))]
    extractor = Extractor()
    for name, gold_path, documents in sets:
        if name:
            click.echo(f"== {name}: {gold_path.name}, {len(documents)} documents")
        scores = run_eval(gold_path, documents, extractor)
        for line in scores.lines():
            click.echo(line)
        if misses:
            for metric, rows in scores.misses.items():
                for row in rows:
                    click.echo(f"  miss {metric:10s} {row}")


from borderkg.commands.export import export as export_command  # noqa: E402
from borderkg.commands.review import review as review_command  # noqa: E402
from borderkg.commands.serve import serve as serve_command  # noqa: E402
from borderkg.commands.validate import validate as validate_command  # noqa: E402
from borderkg.commands.views import views as views_command  # noqa: E402

cli.add_command(export_command)
cli.add_command(review_command)
cli.add_command(serve_command)
cli.add_command(validate_command)
cli.add_command(views_command)


def main():
    cli(prog_name="borderkg")
