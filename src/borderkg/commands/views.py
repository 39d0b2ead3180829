"""``borderkg views``: write the partnership views (network, map, timeline, cards) as HTML."""

from __future__ import annotations

from pathlib import Path

import click

from borderkg import paths
from borderkg.errors import BorderkgError


@click.command("views")
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=paths.STORE,
              show_default=True, help="Directory of the embedded triple store.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=paths.VIZ,
              show_default=True, help="Folder to write the pages into.")
def views(store_path: Path, out_dir: Path) -> None:
    """Write the network, map, timeline and municipality cards into a folder; open its
    index.html in a browser (works offline, from file:// or a web server).

    Example: borderkg views --out viz/
    """
    from borderkg.store import OxigraphStore
    from borderkg.views.render import render_all

    try:
        # read-only, so views can be written while nothing else holds the store; not closed
        # with close(), which flushes and fails on a read-only pyoxigraph store
        written = render_all(OxigraphStore(store_path, read_only=True), out_dir)
    except BorderkgError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {len(written)} page(s) into {out_dir}; open {out_dir / 'index.html'}")
