"""``borderkg validate``: check the store against the SHACL shapes of ontology/shapes.ttl."""

from __future__ import annotations

import sys

import click

from borderkg.commands.options import store_option
from borderkg.errors import BorderkgError


@click.command("validate")
@store_option(read_only=True)
@click.option("--examples", type=click.IntRange(min=0), default=5, show_default=True,
              help="Focus nodes shown for each kind of violation.")
@click.option("--inference", type=click.Choice(["none", "rdfs"]), default="none", show_default=True,
              help="pySHACL inference before validating (rdfs is slower).")
def validate(store, examples: int, inference: str) -> None:
    """Validate the union of the store's graphs with the SHACL shapes; exit 1 if it does not conform.

    Example: borderkg validate --store data/store
    """
    from borderkg.validate import validate as run_validate

    try:
        report = run_validate(store, inference=inference)
    except BorderkgError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(report.summary(examples))
    if not report.conforms:
        sys.exit(1)
