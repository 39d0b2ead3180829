"""What the endpoint serves besides SPARQL: the query page (``static/index.html`` filled with
the saved queries), its script and style, and the files of ``viz/``."""

from __future__ import annotations

import html
import json
import mimetypes
from pathlib import Path
from string import Template

from borderkg import paths
from borderkg.errors import BorderkgError
from borderkg.serve.policy import Refused

STATIC = Path(__file__).parent / "static"
ASSETS = {"query.js": "text/javascript; charset=utf-8", "query.css": "text/css; charset=utf-8"}


def examples(directory: Path = paths.QUERIES) -> list[dict]:
    """The saved queries as runnable examples: prefixes declared, parameters bound to their
    defaults where they have one."""
    from borderkg.query import bound_text, saved_queries
    from borderkg.vocab import sparql_prefixes

    found = []
    for saved in saved_queries(directory):
        try:
            text = bound_text(saved)
        except BorderkgError:
            text = saved.text
        found.append({"name": saved.name, "title": saved.title or saved.name,
                      "description": saved.description, "text": sparql_prefixes() + text})
    return found


def query_page(queries: Path, timeout: float) -> str:
    """The query page: the saved queries listed, their texts as JSON data for the script."""
    items = examples(queries)
    data = json.dumps(items, ensure_ascii=False).replace("<", "\\u003c")
    listing = "".join(f'<li><a href="#" data-example="{i}" title="{html.escape(q["description"])}">'
                      f'{html.escape(q["title"])}</a> <code>{html.escape(q["name"])}</code></li>'
                      for i, q in enumerate(items))
    first = html.escape(items[0]["text"]) if items else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    template = Template((STATIC / "index.html").read_text(encoding="utf-8"))
    return template.substitute(listing=listing, data=data, first=first, timeout=f"{timeout:g}")


def media_type(path: Path) -> str:
    """The Content-Type of a served file, with a charset for text.

    >>> media_type(Path("a.geojson")), media_type(Path("x.unknown"))
    ('application/geo+json; charset=utf-8', 'application/octet-stream')
    """
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".geojson":
        kind = "application/geo+json"
    if kind.startswith("text/") or kind in ("application/json", "application/geo+json",
                                            "text/javascript", "application/javascript"):
        kind += "; charset=utf-8"
    return kind


def view_file(root: Path, relative: str) -> Path:
    """The file of ``root`` that ``/viz/relative`` names (``index.html`` for a folder that has
    one, the folder itself otherwise); ``Refused(404)`` for anything outside ``root``, missing,
    or unreadable — a symbolic-link loop included."""
    try:
        base = Path(root).resolve()
        target = (base / relative).resolve()
        found = target.is_relative_to(base) and target.exists()
        if found and target.is_dir() and (target / "index.html").is_file():
            target = target / "index.html"
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        found = False
    if not found:
        raise Refused(404, f"no view at /viz/{relative}")
    return target


def folder_listing(folder: Path) -> str:
    """A plain listing of a folder of views without ``index.html``."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise Refused(404, f"no view at {folder.name}/") from exc
    items = "".join(f'<li><a href="{html.escape(p.name)}{"/" if p.is_dir() else ""}">'
                    f"{html.escape(p.name)}</a></li>" for p in entries)
    return f"<!doctype html><meta charset=utf-8><title>views</title><ul>{items}</ul>"
