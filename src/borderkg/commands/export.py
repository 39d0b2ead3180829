"""``borderkg export``: the store as RDF, a network for Gephi, or tables for Excel."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from borderkg.commands.options import store_option
from borderkg.errors import BorderkgError
from borderkg.export import FORMATS


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True,
              help="turtle/ntriples: all graphs merged; trig/nquads/jsonld: named graphs kept; "
                   "gexf (1.3, with spells)/graphml: partnership network; csv: five tables (a folder); "
                   "xlsx: the same tables as sheets of one workbook.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="File to write (default: standard output); for csv, a folder.")
@store_option(read_only=True)
def export(fmt: str, out: Path | None, store) -> None:
    """Export the store: RDF, a GEXF or GraphML network, or tables: CSV (comma-separated
    UTF-8 with BOM) or one .xlsx workbook.

    Example: borderkg export --format gexf --out partnerships.gexf
    """
    from borderkg.export import export as run_export

    try:
        if fmt == "csv":
            if out is None:
                raise click.UsageError("the csv export writes five files: give a folder with --out")
            run_export(store, fmt, out)
            click.echo(f"wrote events, partner_links, partnerships, dynamics and organisations .csv into {out}",
                       err=True)
        elif fmt == "xlsx" and out is None:
            raise click.UsageError("the xlsx export is a workbook file: give its path with --out")
        elif out is None:
            sys.stdout.flush()
            run_export(store, fmt, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("wb") as handle:
                run_export(store, fmt, handle)
            click.echo(f"wrote {out}", err=True)
    except BorderkgError as exc:
        raise click.ClickException(str(exc)) from exc
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as exc:
        raise click.ClickException(f"cannot write the export: {exc}") from exc
