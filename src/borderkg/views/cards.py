"""Municipality cards (one static page each, all municipalities, with or without events)
and the index page that links every view and card."""

from __future__ import annotations

from borderkg.views.model import Event, Municipality, ViewData
from borderkg.views.dynamics import quiet_table
from borderkg.views.page import card_href, esc, event_anchor, human_date, page
from borderkg.views.payload import date_text

AGREEMENT_KINDS = {"agreement": "соглашение", "memorandum": "меморандум", "protocol": "протокол",
                   "plan": "план"}


def render_card(data: ViewData, municipality: Municipality) -> str:
    """The card of one municipality, one printed A4 page: its names in time, figures (activity
    layer), partners with raion, oblast and dynamics, twin links and agreements with dates and
    sources, organisations on both sides, events by year and category, the events with sources,
    and links to the same municipality and partners on the map and in the network."""
    events = [e for e in data.events if e.municipality == municipality.id]
    partnerships = [p for p in data.partnerships if p.municipality == municipality.id]
    twins = [t for t in data.twins if t.municipality == municipality.id]
    agreements = [(e, a) for e in events for a in e.agreements]
    f = municipality.figures
    summary = (f"Мероприятий: {f.events} · с участием Беларуси: {f.with_belarus} · "
               f"совместных (с партнёром в Беларуси): {f.joint_events} · партнёров в Беларуси: {f.partners} · "
               f"побратимских связей: {f.twin_links} · соглашений: {f.agreements}")
    key = f"m:{municipality.id}"
    parts = [f'<p class="links screen-only"><a href="../map.html#sel={esc(key)}">На карте →</a>'
             f'<a href="../network.html#sel={esc(key)}">В сети партнёрств →</a>'
             f'<a href="../index.html#cards">Все карточки</a></p>',
             _names_html(municipality),
             f'<p class="summary" data-figures="{esc(_figures_attr(f))}">{esc(summary)}</p>']
    if partnerships:
        parts.append(_partners_html(data, partnerships))
    if twins:
        items = "".join(f"<li>{esc(_place_name(data, t.place))}"
                        f"{esc(', заявлено ' + human_date(t.stated_on)) if t.stated_on else ''}"
                        f" <span class=\"src\">({esc(str(t.source))})</span></li>" for t in twins)
        parts.append(f"<h2>Побратимские связи</h2><ul>{items}</ul>")
    if agreements:
        items = "".join(f"<li><span class=\"badge agreement\">{esc(_kind(a.kind))}</span>"
                        f"{esc(date_text(e.start, e.end))}: {esc('; '.join(a.parties) or 'стороны не указаны')} — "
                        f"<a href=\"#{event_anchor(e.id)}\">{esc(e.name)}</a> "
                        f"<span class=\"src\">({esc(str(a.source))})</span></li>" for e, a in agreements)
        parts.append(f"<h2>Соглашения</h2><ul>{items}</ul>")
    if municipality.organisations:
        parts.append(_organisations_html(municipality))
    if events:
        parts.append(_by_year_and_category(data, events))
    parts.append("<h2>Мероприятия</h2>")
    parts.append("".join(_event_html(data, e) for e in events) if events else
                 '<p class="muted">В загруженных отчётах нет мероприятий этого муниципалитета.</p>')
    return page(municipality.name, "\n".join(parts), root="../", current="", data_date=data.data_date())


def _names_html(m: Municipality) -> str:
    """The municipality's names with their periods (only when it has had more than one).

    >>> from borderkg.views.model import NameInTime
    >>> _names_html(Municipality("r", "Р о.", names=(NameInTime("Р район", None, "2025-01-01"), NameInTime("Р о.", "2025-01-01"))))
    '<p class="names">Названия: Р район (до 1 января 2025); Р о. (с 1 января 2025)</p>'
    """
    if len(m.names) < 2:
        return ""

    def period(n) -> str:
        if n.valid_from and n.valid_until:
            return f" ({human_date(n.valid_from)} – {human_date(n.valid_until)})"
        if n.valid_until:
            return f" (до {human_date(n.valid_until)})"
        if n.valid_from:
            return f" (с {human_date(n.valid_from)})"
        return " (текущее)" if n.value == m.name else " (прежнее; дата переименования неизвестна)"

    ordered = sorted(m.names, key=lambda n: n.value == m.name and not n.valid_until)
    return f'<p class="names">Названия: {esc("; ".join(n.value + period(n) for n in ordered))}</p>'


def _partners_html(data: ViewData, partnerships) -> str:
    rows = []
    for p in partnerships:
        place = data.places.get(p.place)
        raion = data.places.get(place.raion) if place else None
        years = "; ".join(f"{y or 'без даты'}: {n}" for y, n in p.per_year.items())
        key = esc(f"p:{p.place}")
        rows.append(
            f"<tr><td>{esc(_place_name(data, p.place))}</td><td>{esc(raion.name if raion else '—')}</td>"
            f"<td>{esc(_oblast(data, p.place))}</td>"
            f"<td>{esc(', '.join(_place_name(data, n) for n in p.named_places if n != p.place))}</td>"
            f"<td class=\"num\">{p.joint_events}</td><td>{esc(years or '—')}</td>"
            f"<td>{esc(human_date(p.first or '') or '—')} – {esc(human_date(p.last or '') or '—')}"
            f"{' <span class=quiet>затихло</span>' if p.quiet_since else ''}</td>"
            f"<td>{'да' if p.twinned else ''}</td><td class=\"num\">{p.agreements or ''}</td>"
            f'<td class="screen-only"><a href="../map.html#sel={key}">карта</a> '
            f'<a href="../network.html#sel={key}">сеть</a></td></tr>')
    return ("<h2>Партнёры</h2><p class=\"note\">Партнёр — район Беларуси (его города и деревни учтены в нём), "
            "город, область или Минск; «затихло» — нет совместных мероприятий за последние четыре квартала "
            "данных.</p><table class=\"partners\"><thead><tr><th>Партнёр</th><th>Район</th><th>Область</th>"
            "<th>Названные места</th><th class=\"num\">Совместных мероприятий</th><th>По годам</th>"
            "<th>Первый – последний контакт</th><th>Побратимы</th><th class=\"num\">Соглашений</th>"
            f"<th class=\"screen-only\"></th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


SIDES = (("RU", "Российская сторона"), ("BY", "Белорусская сторона"), ("", "Другие и без страны"))


def _organisations_html(m: Municipality) -> str:
    """Organisations in the municipality's events by side, with the number of its events."""
    columns = []
    for code, title in SIDES:
        orgs = [o for o in m.organisations if (o.country if o.country in ("RU", "BY") else "") == code]
        if orgs:
            items = "".join(f"<li>{esc(o.name)} <span class=\"muted\">({o.events})</span></li>" for o in orgs)
            columns.append(f"<div><h3>{esc(title)}</h3><ul class=\"orgs\">{items}</ul></div>")
    return ("<h2>Организации</h2><p class=\"note\">В скобках — число мероприятий муниципалитета с их участием.</p>"
            f"<div class=\"cols\">{''.join(columns)}</div>")


def _by_year_and_category(data: ViewData, events) -> str:
    """Events per year (rows) and category (columns); an event of two categories counts in both."""
    years = sorted({e.year for e in events if e.year}) + ([None] if any(not e.year for e in events) else [])
    labels = [c for c in data.categories() if any(c in e.category_labels for e in events)]
    head = "".join(f'<th class="num">{esc(c)}</th>' for c in labels)
    rows = "".join(
        f"<tr><td>{y or 'без даты'}</td>"
        + "".join(f'<td class="num">{sum(1 for e in events if e.year == y and c in e.category_labels) or ""}</td>'
                  for c in labels)
        + f'<td class="num">{sum(1 for e in events if e.year == y)}</td></tr>' for y in years)
    return (f"<h2>Мероприятия по годам и категориям</h2><table class=\"by-year\"><thead><tr><th>Год</th>{head}"
            f'<th class="num">Всего</th></tr></thead><tbody>{rows}</tbody></table>')


def _event_html(data: ViewData, event: Event) -> str:
    date = event.start if not event.end or event.end == event.start else f"{event.start} – {event.end}"
    partners = ", ".join(_place_name(data, p) for p in event.partners) or "не указаны"
    badges = "".join(f'<span class="badge">{esc(c)}</span>' for c in event.categories)
    badges += "".join(f'<span class="badge agreement">{esc(_kind(a.kind))}</span>' for a in event.agreements)
    if any((t.source.document, t.source.row) == (event.source.document, event.source.row)
           for t in data.twins):
        badges += '<span class="badge twin">побратимы</span>'
    rows = "".join(f"<dt>{esc(label)}</dt><dd>{esc(text)}</dd>" for label, text in event.source.texts)
    return (f'<article class="event" id="{event_anchor(event.id)}"><h3>{esc(event.name)}</h3>'
            f'<div><span class="date">{esc(date or "дата не указана")}</span> {badges}</div>'
            f"<div>Партнёры: {esc(partners)}</div>"
            f'<div class="src">Источник: {esc(event.source.document)}, строка {event.source.row}</div>'
            f"{f'<details><summary>Строка отчёта</summary><dl>{rows}</dl></details>' if rows else ''}"
            "</article>")


def _figures_attr(f) -> str:
    """The figures as a machine-readable attribute (the consistency test reads it).

    >>> from borderkg.views.model import Figures
    >>> _figures_attr(Figures(3, 2, 1, 1, 0, 0))
    'events=3 with_belarus=2 joint_events=1 partners=1 twin_links=0 agreements=0'
    """
    return " ".join(f"{k}={v}" for k, v in vars(f).items())


def _place_name(data: ViewData, place_id: str) -> str:
    place = data.places.get(place_id)
    return place.name if place else place_id


def _oblast(data: ViewData, place_id: str) -> str:
    place = data.places.get(place_id)
    return data.oblast_label(place.oblast) if place else ""


def _kind(kind: str) -> str:
    """
    >>> _kind("memorandum"), _kind("treaty")
    ('меморандум', 'treaty')
    """
    return AGREEMENT_KINDS.get(kind, kind)


def render_index(data: ViewData) -> str:
    """The overview: the build summary's totals, links to the three views and to every
    municipality's card with its figures."""
    cards = "".join(
        f'<tr data-figures="{esc(_figures_attr(m.figures))}"><td><a href="{esc(card_href(m.id))}">{esc(m.name)}</a></td>'
        f'<td class="num">{m.figures.events}</td><td class="num">{m.figures.joint_events}</td>'
        f'<td class="num">{m.figures.partners}</td><td class="num">{m.figures.twin_links or ""}</td></tr>'
        for m in data.municipalities.values())
    n = data.totals
    totals = (f"Мероприятий: {n.get('events', 0)} · совместных (с партнёром в Беларуси): {n.get('joint_events', 0)} · "
              f"муниципалитетов с мероприятиями: {n.get('municipalities', 0)} из {len(data.municipalities)} · "
              f"партнёрств: {n.get('partnerships', 0)} · побратимских связей: {n.get('twin_links', 0)} · "
              f"соглашений: {n.get('agreements', 0)}")
    figures = " ".join(f"{k}={v}" for k, v in sorted(n.items()))
    body = f"""
<p class="lead" data-totals="{esc(figures)}">{esc(totals)}</p>
<ul class="views">
  <li><a href="network.html">Сеть партнёрств — кто с кем работает</a></li>
  <li><a href="map.html">Карта — где</a></li>
  <li><a href="timeline.html">Динамика — сколько и с каких пор</a></li>
</ul>
<h2 id="cards">Карточки муниципалитетов</h2>
<table class="cards"><thead><tr><th>Муниципалитет</th><th class="num">Мероприятий</th>
<th class="num">Совместных</th><th class="num">Партнёров в Беларуси</th><th class="num">Побратимских связей</th></tr></thead>
<tbody>{cards}</tbody></table>
{f'<p class="note">Не показаны мероприятия документов без муниципалитета Смоленской области: {n["events_elsewhere"]}.</p>' if n.get("events_elsewhere") else ''}
<p class="note">Партнёрство — пара «муниципалитет — район, город или область Беларуси» хотя бы с одним
совместным мероприятием (с названным местом-партнёром в Беларуси); города и деревни района учтены в районе.</p>"""
    body += f"""
<h2 id="quiet">Затихшие партнёрства</h2>
{quiet_table(data)}
<p class="note">Совместные мероприятия каждого партнёрства по годам — на странице
<a href="timeline.html#dynamics">«Динамика»</a>.</p>"""
    return page("Приграничное культурное сотрудничество Смоленской области и Беларуси", body,
                current="index.html", data_date=data.data_date())
