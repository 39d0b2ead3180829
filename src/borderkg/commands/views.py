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
@click.option("--pdf", is_flag=True,
              help="Also print each municipality card to a one-page A4 PDF beside it (needs Chromium).")
def views(store, out_dir: Path, pdf: bool) -> None:
    """Write the network, map, timeline and municipality cards into a folder; open its
    index.html in a browser (works offline, from file:// or a web server).

    Example: borderkg views --out viz/ --pdf
    """
    from borderkg.views.render import render_all

    try:
        written = render_all(store, out_dir)
    except BorderkgError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {len(written)} page(s) into {out_dir}; open {out_dir / 'index.html'}")
    if pdf:
        from borderkg.views.pdf import card_pdfs

        try:
            pdfs = card_pdfs(out_dir)
        except BorderkgError as exc:
            raise click.ClickException(f"cannot print the cards to PDF: {exc}") from exc
        click.echo(f"printed {len(pdfs)} card(s) to PDF in {out_dir / 'cards'}")
