"""«Что дальше»: the dynamics of each partnership (joint events per year, first and last
contact) and the partnerships gone quiet, as HTML tables. The figures are those of the saved
queries ``partnership-dynamics`` and ``quiet-partnerships`` (read by ``views.data``)."""

from __future__ import annotations

from borderkg.views.model import Partnership, ViewData
from borderkg.views.page import card_href, esc, human_date


def _pair_cells(data: ViewData, p: Partnership, root: str) -> str:
    muni = data.municipalities[p.municipality]
    return (f'<td><a href="{esc(card_href(muni.id, root))}">{esc(muni.name)}</a></td>'
            f"<td>{esc(data.places[p.place].name)}</td>")


def dynamics_table(data: ViewData, partnerships: list[Partnership] | None = None, root: str = "") -> str:
    """A row per partnership, a column per year (and «без даты» when some event has none),
    first and last contact, and whether it has gone quiet."""
    pairs = data.partnerships if partnerships is None else partnerships
    if not pairs:
        return '<p class="muted">Партнёрств нет.</p>'
    years = sorted({y for p in pairs for y in p.per_year if y})
    undated = any("" in p.per_year for p in pairs)
    head = "".join(f'<th class="num">{esc(y)}</th>' for y in years) + ('<th class="num">без даты</th>' if undated else "")
    rows = "".join(
        f"<tr>{_pair_cells(data, p, root)}"
        + "".join(f'<td class="num">{p.per_year.get(y, "")}</td>' for y in years)
        + (f'<td class="num">{p.per_year.get("", "")}</td>' if undated else "")
        + f'<td class="num">{p.joint_events}</td><td>{esc(human_date(p.first or "")) or "—"}</td>'
          f'<td>{esc(human_date(p.last or "")) or "—"}</td>'
          f'<td>{"<span class=quiet>затихло</span>" if p.quiet_since else ""}</td></tr>'
        for p in pairs)
    return ('<table class="dynamics"><thead><tr><th>Муниципалитет</th><th>Партнёр</th>'
            f'{head}<th class="num">Всего</th><th>Первый контакт</th><th>Последний контакт</th><th></th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def quiet_table(data: ViewData, root: str = "") -> str:
    """The partnerships gone quiet, longest silent first."""
    quiet = sorted((p for p in data.partnerships if p.quiet_since), key=lambda p: (p.last or "", p.municipality))
    if not quiet:
        return ('<p class="muted">Затихших партнёрств нет: у каждого партнёрства с датами есть совместное '
                "мероприятие за последние четыре квартала данных.</p>")
    since = human_date(quiet[0].quiet_since or "")
    rows = "".join(f"<tr>{_pair_cells(data, p, root)}<td>{esc(human_date(p.last or ''))}</td>"
                   f'<td class="num">{p.joint_events}</td></tr>' for p in quiet)
    return (f'<p>Нет совместных мероприятий с {esc(since)} (последние четыре квартала данных): '
            f"{len(quiet)}.</p><table class=\"quiet-list\"><thead><tr><th>Муниципалитет</th><th>Партнёр</th>"
            f'<th>Последний контакт</th><th class="num">Совместных мероприятий всего</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")
