"""``borderkg views``: write the partnership views (network, map, timeline, cards) as HTML."""

from __future__ import annotations

from pathlib import Path

import click

from borderkg import paths
from borderkg.commands.options import store_option
from borderkg.errors import BorderkgError


@click.command("views")
@store_option(read_only=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=paths.VIZ,
              show_default=True, help="Folder to write the pages into.")
def views(store, out_dir: Path) -> None:
    """Write the network, map, timeline and municipality cards into a folder; open its
    index.html in a browser (works offline, from file:// or a web server).

    Example: borderkg views --out viz/
    """
    from borderkg.views.render import render_all

    try:
        written = render_all(store, out_dir)
    except BorderkgError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {len(written)} page(s) into {out_dir}; open {out_dir / 'index.html'}")
