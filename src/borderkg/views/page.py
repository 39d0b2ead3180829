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
         styles: tuple[str, ...] = (), data=None, current: str = "", data_date: str = "") -> str:
    """A complete UTF-8 page: ``root`` is the relative path to the views folder ("" or "../"),
    ``scripts``/``styles`` are file names in its ``static/`` folder, ``data`` goes into a
    ``<script type="application/json" id="bkg-data">`` element for the page's script;
    ``data_date`` (the latest event date) is stated under the title, for print too.
    Interactive views (with ``scripts``) load ``common.js`` first."""
    mark = ' class="current"'
    links = "".join(f'<a href="{root}{href}"{mark if href == current else ""}>{esc(label)}</a>'
                    for href, label in NAV)
    head = "".join(f'<link rel="stylesheet" href="{root}static/{esc(s)}">' for s in ("views.css", *styles))
    data_tag = (f'<script type="application/json" id="bkg-data">{script_json(data)}</script>'
                if data is not None else "")
    tail = "".join(f'<script src="{root}static/{esc(s)}"></script>' for s in (("common.js", *scripts) if scripts else ()))
    dated = (f'<p class="data-date">Данные отчётов по {esc(human_date(data_date))}'
             '<span id="print-state" class="print-state"></span></p>\n' if data_date else "")
    return (
        "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n{head}\n</head>\n<body>\n"
        f"<nav class=\"top\"><span class=\"brand\">borderkg</span>{links}</nav>\n"
        f"<main>\n<h1>{esc(title)}</h1>\n{dated}{body}\n</main>\n{data_tag}\n{tail}\n</body>\n</html>\n")


MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")
MONTHS_NOMINATIVE = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
                     "октябрь", "ноябрь", "декабрь")


def human_date(iso: str) -> str:
    """An ISO date (day, month or year) as a Russian reader writes it.

    >>> human_date("2025-06-21"), human_date("2025-05"), human_date("2024"), human_date("")
    ('21 июня 2025', 'май 2025', '2024', '')
    """
    if len(iso) == 10:
        return f"{int(iso[8:])} {MONTHS[int(iso[5:7]) - 1]} {iso[:4]}"
    if len(iso) == 7:
        return f"{MONTHS_NOMINATIVE[int(iso[5:]) - 1]} {iso[:4]}"
    return iso


def map_label(name: str) -> str:
    """A municipality's name as the map labels it (the map says they are municipalities).

    >>> map_label("Руднянский муниципальный округ"), map_label("город Смоленск"), map_label("Смоленский муниципальный район")
    ('Руднянский', 'г. Смоленск', 'Смоленский р-н')
    """
    return (name.replace(" муниципальный округ", "").replace(" муниципальный район", " р-н")
            .replace("город ", "г. ", 1))


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


def view_controls(extra: str = "") -> str:
    """The filters every interactive view has (year, category, oblast, twin links only,
    agreements only), ``extra`` controls, the «PNG» and «таблица» buttons and the figures."""
    return f"""<form class="filters" id="filters" onsubmit="return false">
  <label>Год <select id="f-year"><option value="">все</option></select></label>
  <label>Категория <select id="f-category"><option value="">все</option></select></label>
  <label>Область <select id="f-oblast"><option value="">все</option></select></label>
  <label><input type="checkbox" id="f-twin"> только побратимы</label>
  <label><input type="checkbox" id="f-agreement"> только с соглашением</label>
  {extra}
  <span class="buttons"><button type="button" id="b-png">PNG</button>
  <button type="button" id="b-table" aria-pressed="false">таблица</button></span>
  <span id="stats" class="stats"></span>
</form>"""


TABLE_BOX = """<section id="table-box" class="table-box" hidden><h2>Таблица: что показано</h2>
<table id="view-table" class="view-table"></table></section>"""


def legend_html(oblasts: list[dict], municipality: str = "circle", areas: bool = False) -> str:
    """The legend of the network and the map: the Smolensk side (``circle`` or ``square``), a
    colour per oblast, the kinds of links, and on the map the shaded raions."""
    from borderkg.views.payload import RUSSIAN_SIDE

    shape = "border-radius:50%" if municipality == "circle" else ""
    rows = [f'<li><span class="swatch box" style="background:{RUSSIAN_SIDE};{shape}"></span>муниципалитет Смоленской области</li>']
    rows += [f'<li><span class="swatch dot" style="background:{esc(o["colour"])}"></span>{esc(o["name"])}</li>'
             for o in oblasts]
    rows += ['<li><span class="swatch line"></span>совместные мероприятия (толщина — число)</li>',
             '<li><span class="swatch line twin"></span>побратимские связи</li>',
             '<li><span class="swatch line agreement"></span>соглашение / меморандум</li>']
    if areas:
        rows.append('<li><span class="swatch area" style="background:#2e86c1;opacity:.6"></span>'
                    "район Беларуси с совместными мероприятиями</li>")
    return f'<ul class="legend">{"".join(rows)}</ul>'
