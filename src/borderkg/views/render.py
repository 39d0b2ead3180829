"""Write every view into one folder: index, network, map, timeline, a card per municipality,
and ``static/`` with the scripts and styles they use (nothing is loaded from the network)."""

from __future__ import annotations

import shutil
from pathlib import Path

from borderkg import paths
from borderkg.errors import BorderkgError
from borderkg.views.model import ViewData

STATIC = Path(__file__).parent / "static"
STATIC_FILES = ("views.css", "common.js", "network.js", "map.js", "timeline.js", "leaflet.js", "leaflet.css",
                "chart.umd.min.js", "LICENSE-leaflet.txt", "LICENSE-chartjs.md", "VENDORED.md")


class ViewsError(BorderkgError):
    """The views cannot be written (a vendored script is missing or the folder is not writable)."""


def vis_network_js() -> Path:
    """vis-network as shipped inside the pyvis package (the version pyvis' own pages use)."""
    import pyvis

    path = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
    if not path.exists():
        raise ViewsError(f"vis-network not found in the installed pyvis ({path}); reinstall pyvis 0.3.x")
    return path


def copy_static(out_dir: Path) -> list[Path]:
    """Copy the scripts and styles into ``out_dir/static``."""
    target = out_dir / "static"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for source in [STATIC / name for name in STATIC_FILES] + [vis_network_js()]:
        if not source.exists():
            raise ViewsError(f"missing static file {source}")
        written.append(Path(shutil.copyfile(source, target / source.name)))
    return written


def write_views(data: ViewData, out_dir: Path = paths.VIZ, raions: list[dict] | None = None) -> list[Path]:
    """Write all pages for ``data``; returns the paths of the HTML pages written."""
    from borderkg.views.cards import render_card, render_index
    from borderkg.views.map import render_map
    from borderkg.views.network import render_network
    from borderkg.views.page import card_file
    from borderkg.views.timeline import render_timeline

    out_dir = Path(out_dir)
    try:
        (out_dir / "cards").mkdir(parents=True, exist_ok=True)
        copy_static(out_dir)
        pages = {"index.html": render_index(data), "network.html": render_network(data),
                 "map.html": render_map(data, raions), "timeline.html": render_timeline(data)}
        for municipality in data.municipalities.values():
            pages[f"cards/{card_file(municipality.id)}"] = render_card(data, municipality)
        written = []
        for name, html in pages.items():
            path = out_dir / name
            path.write_text(html, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise ViewsError(f"cannot write the views into {out_dir}: {exc}") from exc
    return written


def render_all(store, out_dir: Path = paths.VIZ) -> list[Path]:
    """Read the store and write every view into ``out_dir`` (default ``viz/``)."""
    from borderkg.views.data import load_view_data

    return write_views(load_view_data(store), Path(out_dir))
