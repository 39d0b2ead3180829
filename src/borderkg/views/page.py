"""The HTML shell every view shares: escaping, data embedded as JSON, navigation.

Names from the reports are data, never markup: text goes through ``esc`` and data for
scripts through ``script_json``, which leaves no ``<``, ``>`` or ``&`` in the page source
for a name like ``</script><script>`` to break out with.
"""

from __future__ import annotations

import html
import json

NAV = (("index.html", "Обзор"), ("network.html", "Сеть партнёрств"), ("map.html", "Карта"),
       ("timeline.html", "Динамика"))


def esc(text) -> str:
    """HTML-escape text (quotes included) for element content and attribute values.

    >>> esc('<script>alert(1)</script> «Тест» "q"')
    '&lt;script&gt;alert(1)&lt;/script&gt; «Тест» &quot;q&quot;'
    """
    return html.escape(str(text), quote=True)


def script_json(value) -> str:
    """JSON safe to put inside a ``<script>`` element: Cyrillic kept, ``<>&`` and the
    JavaScript line separators escaped as ``\\uXXXX``.

    >>> script_json({"name": "</script><b>«Тест» & co"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e«Тест» \\\\u0026 co"}'
    >>> json.loads(script_json(["<&>"])) == ["<&>"]
    True
    """
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def page(title: str, body: str, *, root: str = "", scripts: tuple[str, ...] = (),
         styles: tuple[str, ...] = (), data=None, current: str = "") -> str:
    """A complete UTF-8 page: ``root`` is the relative path to the views folder ("" or "../"),
    ``scripts``/``styles`` are file names in its ``static/`` folder, ``data`` goes into a
    ``<script type="application/json" id="bkg-data">`` element for the page's script."""
    mark = ' class="current"'
    links = "".join(f'<a href="{root}{href}"{mark if href == current else ""}>{esc(label)}</a>'
                    for href, label in NAV)
    head = "".join(f'<link rel="stylesheet" href="{root}static/{esc(s)}">' for s in ("views.css", *styles))
    data_tag = (f'<script type="application/json" id="bkg-data">{script_json(data)}</script>'
                if data is not None else "")
    tail = "".join(f'<script src="{root}static/{esc(s)}"></script>' for s in scripts)
    return (
        "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n{head}\n</head>\n<body>\n"
        f"<nav class=\"top\"><span class=\"brand\">borderkg</span>{links}</nav>\n"
        f"<main>\n<h1>{esc(title)}</h1>\n{body}\n</main>\n{data_tag}\n{tail}\n</body>\n</html>\n")


def short_name(name: str) -> str:
    """A municipality's name short enough for a graph label.

    >>> short_name("Руднянский муниципальный округ"), short_name("город Смоленск")
    ('Руднянский м. о.', 'г. Смоленск')
    """
    return (name.replace(" муниципальный округ", " м. о.").replace(" муниципальный район", " р-н")
            .replace("город ", "г. ", 1))


def card_href(municipality_id: str, root: str = "") -> str:
    """Relative link to a municipality's card.

    >>> card_href("kholm-zhirkovsky", "../")
    '../cards/kholm-zhirkovsky.html'
    """
    return f"{root}cards/{card_file(municipality_id)}"


def card_file(municipality_id: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in municipality_id)
    return f"{safe or 'municipality'}.html"


def event_anchor(event_id: str) -> str:
    """An element id for an event on its card.

    >>> event_anchor("001_5746b6576caafdfe.txt/32")
    'ev-001_5746b6576caafdfe-txt-32'
    """
    return "ev-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in event_id)
