"""The timeline: events per quarter by category, and the number of partnerships over time."""

from __future__ import annotations

from borderkg.views.model import ViewData, quarter_range
from borderkg.views.dynamics import dynamics_table, quiet_table
from borderkg.views.page import TABLE_BOX, esc, page

CATEGORY_COLOURS = ("#2e86c1", "#e67e22", "#27ae60", "#8e44ad", "#c0392b", "#16a085", "#d4ac0d",
                    "#7f8c8d", "#34495e", "#e84393", "#6c5ce7", "#00b894")


def timeline_payload(data: ViewData) -> dict:
    """Quarter labels and the series for timeline.js.

    The events are those of Smolensk municipalities (``data.events``: documents with no
    Smolensk content give none). ``categories``: events per quarter in each category, drawn
    side by side, not stacked, since an event in two categories counts in both;
    ``events``: distinct events per quarter (the total); ``partnerships``: pairs of the
    partnerships layer with a joint event so far (cumulative) and in the quarter (active).
    """
    dated = [e for e in data.events if e.quarter]
    quarters = quarter_range(min(e.quarter for e in dated), max(e.quarter for e in dated)) if dated else []
    at = {q: i for i, q in enumerate(quarters)}
    labels = data.categories()
    per_category = {label: [0] * len(quarters) for label in labels}
    events = [0] * len(quarters)
    for event in dated:
        events[at[event.quarter]] += 1
        for label in event.category_labels:
            per_category[label][at[event.quarter]] += 1
    first: dict[tuple[str, str], int] = {}
    active = [set() for _ in quarters]
    for p in data.partnerships:
        for event in p.events:
            if event.quarter:
                i = at[event.quarter]
                active[i].add((p.municipality, p.place))
                first[(p.municipality, p.place)] = min(i, first.get((p.municipality, p.place), i))
    cumulative, running = [], 0
    starts = [0] * len(quarters)
    for i in first.values():
        starts[i] += 1
    for n in starts:
        running += n
        cumulative.append(running)
    return {
        "quarters": [q.replace("-Q", " Q") for q in quarters],
        "categories": [{"label": label, "colour": CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)],
                        "counts": per_category[label]} for i, label in enumerate(labels)],
        "events": events, "cumulative": cumulative, "active": [len(a) for a in active],
        "yearOnly": sum(1 for e in data.events if e.start and not e.quarter),
        "undated": sum(1 for e in data.events if not e.start),
    }


def render_timeline(data: ViewData) -> str:
    """The timeline page."""
    payload = timeline_payload(data)
    missing = []
    if payload["yearOnly"]:
        missing.append(f"{payload['yearOnly']} с указанием только года")
    if payload["undated"]:
        missing.append(f"{payload['undated']} без даты")
    note = f"<p class=\"note\">Не показаны мероприятия: {esc(', '.join(missing))}.</p>" if missing else ""
    body = f"""
<p class="lead">Сколько мероприятий муниципалитетов Смоленской области проходило в каждом квартале
(по категориям) и сколько партнёрств «муниципалитет — район, город или область Беларуси» было
активно. Наведите курсор на столбец, чтобы увидеть числа; щёлкните по пункту легенды, чтобы
скрыть категорию.</p>
<form class="filters" onsubmit="return false"><span class="buttons"><button type="button" id="b-png">PNG</button>
<button type="button" id="b-table" aria-pressed="false">таблица</button></span></form>
<div class="charts">
  <div class="chart-box"><canvas id="chart-events" aria-label="Мероприятия по кварталам"></canvas></div>
  <div class="chart-box"><canvas id="chart-partnerships" aria-label="Партнёрства по кварталам"></canvas></div>
</div>
<p class="note">Мероприятие нескольких категорий учтено в столбце каждой из них, поэтому столбцы
стоят рядом, а не друг на друге; линия «всего мероприятий» — число разных мероприятий квартала.</p>
{note}
{TABLE_BOX}
<h2 id="quiet">Затихшие партнёрства</h2>
{quiet_table(data)}
<h2 id="dynamics">Динамика партнёрств: совместные мероприятия по годам</h2>
{dynamics_table(data)}"""
    return page("Динамика сотрудничества", body, scripts=("chart.umd.min.js", "timeline.js"),
                data=payload, current="timeline.html", data_date=data.data_date())
