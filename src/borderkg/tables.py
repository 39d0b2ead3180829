"""The store as tables a planner opens without help: CSV files and one ``.xlsx`` workbook.

Five tables (``TABLES``): events, partner links (one row per joint event and partner place),
partnerships (the derived layer, with dynamics and whether the pair has gone quiet), the
partnerships' events per year, and organisations. Headings and labels are Russian (no
English codes: «онлайн», «Культура», «Беларусь», «район»); each column has a key (the name
code and tests use) and a kind: text, a whole number, or a date as precise as the report
gives it (``2025-05-08``, ``2025-05`` or ``2025``).

* CSV: comma-separated, UTF-8 with a byte order mark, CRLF line ends, fields with a comma,
  quote or line break in double quotes (RFC 4180) — what pandas' ``read_csv`` and
  LibreOffice read with their defaults, and Excel opens with a double click. Dates as ISO text.
* xlsx (openpyxl): a sheet per table, a frozen bold header row with an autofilter, numbers as
  numbers, dates as dates shown ``ДД.ММ.ГГГГ``, a month-only date as its first day shown
  ``ММ.ГГГГ`` and a year-only one shown ``ГГГГ`` (so a column sorts as dates).

Every text cell goes through :func:`borderkg.spreadsheet.safe_cell`, so that no cell is run
as a formula.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from borderkg.paths import QUERIES
from borderkg.spreadsheet import safe_cell, safe_row

CSV_DELIMITER = ","
CSV_ENCODING = "utf-8-sig"
EVENTS_QUERY = QUERIES / "export" / "events.rq"
LINKS_QUERY = QUERIES / "export" / "partner-links.rq"
ORGANISATIONS_QUERY = QUERIES / "export" / "organisations.rq"

ATTENDANCE = {"OnlineEventAttendanceMode": "онлайн", "OfflineEventAttendanceMode": "очно",
              "MixedEventAttendanceMode": "смешанный"}
PLACE_KINDS = {"Raion": "район", "Oblast": "область", "Capital": "столица", "Settlement": "населённый пункт",
               "CityDistrict": "район города", "Municipality": "муниципалитет"}
ORG_TYPES = {"executive_committee": "исполнительный комитет", "council": "совет депутатов",
             "administration": "администрация", "school_of_arts": "школа искусств", "library": "библиотека",
             "museum": "музей", "university": "вуз, колледж", "school": "школа, детский сад",
             "culture_house": "дом культуры", "theatre": "театр, филармония",
             "public_association": "общественное объединение", "sports": "спорт", "other": "другое"}
YES = "да"


@dataclass(frozen=True)
class Column:
    """A column: its key, its Russian heading and its kind (``text``, ``int`` or ``date``)."""

    key: str
    heading: str
    kind: str = "text"


@dataclass
class Table:
    """A table to write: its file (and sheet) name, Russian title, columns and rows (strings)."""

    name: str
    title: str
    spec: tuple[Column, ...]
    rows: list[list[str]]

    @property
    def columns(self) -> list[str]:
        return [c.key for c in self.spec]

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.spec]


def _columns(*items) -> tuple[Column, ...]:
    return tuple(Column(*item) for item in items)


EVENTS = _columns(("event", "Мероприятие (IRI)"), ("document", "Документ"), ("row", "Строка", "int"),
                  ("municipality", "Муниципалитет"), ("name", "Наименование"), ("start", "Начало", "date"),
                  ("end", "Окончание", "date"), ("attendance", "Формат"),
                  ("partner_places", "Места-партнёры в Беларуси"), ("countries", "Страны"),
                  ("categories", "Категории"))
LINKS = _columns(("municipality", "Муниципалитет"), ("partner", "Место-партнёр"), ("kind", "Вид места"),
                 ("raion", "Район"), ("oblast", "Область"), ("partnership", "Партнёр (партнёрство)"),
                 ("event", "Мероприятие (IRI)"), ("name", "Наименование"), ("start", "Начало", "date"),
                 ("end", "Окончание", "date"), ("document", "Документ"), ("row", "Строка", "int"))
PARTNERSHIPS = _columns(("municipality", "Муниципалитет"), ("partner", "Партнёр в Беларуси"),
                        ("kind", "Вид партнёра"), ("oblast", "Область"),
                        ("joint_events", "Совместных мероприятий", "int"), ("first", "Первый контакт", "date"),
                        ("last", "Последний контакт", "date"), ("per_year", "Мероприятий по годам"),
                        ("twinned", "Побратимы"), ("agreements", "Соглашений", "int"),
                        ("named_places", "Названные места"), ("quiet", "Затихло (нет мероприятий с)", "date"))
DYNAMICS = _columns(("municipality", "Муниципалитет"), ("partner", "Партнёр в Беларуси"), ("year", "Год", "int"),
                    ("events", "Совместных мероприятий за год", "int"))
ORGANISATIONS = _columns(("organisation", "Организация (IRI)"), ("name", "Наименование"), ("type", "Тип"),
                         ("country", "Страна"), ("location", "Место"), ("events", "Мероприятий", "int"),
                         ("events_with_belarus", "Из них с участием Беларуси", "int"))


def _text(term, strip: str = "") -> str:
    if term is None:
        return ""
    return term.value.rsplit(strip, 1)[-1] if strip else term.value


def _joined(values) -> str:
    return " | ".join(sorted(values))


def csv_tables(store) -> list[Table]:
    """The five tables of ``store``, rows sorted, multi-values joined with `` | `` in
    alphabetical order."""
    from borderkg.views.data import load_view_data

    data = load_view_data(store)
    return [_events(store), _links(store), *_partnership_tables(data), _organisations(store)]


def _run(store, query: Path):
    from borderkg.vocab import PREFIXES

    return store.query(query.read_text(encoding="utf-8"), use_default_graph_as_union=True, prefixes=PREFIXES)


def _events(store) -> Table:
    events: dict[str, dict] = {}
    for r in _run(store, EVENTS_QUERY):
        event = events.setdefault(r["event"].value, {
            "event": r["event"].value, "document": _text(r["document"]), "row": _text(r["row"]),
            "municipality": _text(r["municipality"]), "name": r["name"].value, "start": _text(r["start"]),
            "end": _text(r["end"]), "attendance": ATTENDANCE.get(_text(r["mode"], "/"), _text(r["mode"], "/")),
            "partner_places": set(), "countries": set(), "categories": set()})
        for key, column in (("partner", "partner_places"), ("country", "countries"), ("category", "categories")):
            if r[key] is not None:
                event[column].add(r[key].value)
    rows = [[_joined(e[c.key]) if isinstance(e[c.key], set) else e[c.key] for c in EVENTS] for e in events.values()]
    return Table("events", "Мероприятия", EVENTS, sorted(rows, key=lambda r: _row_key([r[1], r[2], *r])))


def _links(store) -> Table:
    rows = {tuple(PLACE_KINDS.get(_text(r[c]), _text(r[c])) if c == "kind" else _text(r[c]) for c in
                  (col.key for col in LINKS)) for r in _run(store, LINKS_QUERY)}
    return Table("partner_links", "Связи с партнёрами", LINKS, sorted(map(list, rows), key=_row_key))


def _partnership_tables(data) -> tuple[Table, Table]:
    """The partnerships layer as the cards show it, and its events per year."""
    rows, dynamics = [], []
    for p in data.partnerships:
        muni, place = data.municipalities[p.municipality], data.places[p.place]
        per_year = "; ".join(f"{year or 'без даты'}: {n}" for year, n in p.per_year.items())
        rows.append([muni.name, place.name, place_kind_label(place.kind),
                     data.oblast_label(place.oblast) if place.oblast else "", str(p.joint_events), p.first or "",
                     p.last or "", per_year, YES if p.twinned else "", str(p.agreements),
                     _joined({data.places[n].name for n in p.named_places if n in data.places}),
                     p.quiet_since or ""])
        dynamics += [[muni.name, place.name, year, str(n)] for year, n in p.per_year.items()]
    return (Table("partnerships", "Партнёрства", PARTNERSHIPS, sorted(rows, key=_row_key)),
            Table("dynamics", "Динамика партнёрств", DYNAMICS, sorted(dynamics, key=_row_key)))


VIEW_KINDS = {"raion": "Raion", "oblast": "Oblast", "capital": "Capital", "settlement": "Settlement",
              "city_district": "CityDistrict"}


def place_kind_label(kind: str) -> str:
    """The Russian label of a place kind as the views name it (``views.model.Place.kind``).

    >>> place_kind_label("raion"), place_kind_label("city_district")
    ('район', 'район города')
    """
    return PLACE_KINDS.get(VIEW_KINDS.get(kind, kind), kind)


def _organisations(store) -> Table:
    organisations: dict[str, dict] = {}
    for r in _run(store, ORGANISATIONS_QUERY):
        org = organisations.setdefault(r["organisation"].value, {
            "organisation": r["organisation"].value, "name": set(), "type": set(), "country": set(),
            "location": set(), "events": _text(r["events"]) or "0", "events_with_belarus": _text(r["with_belarus"]) or "0"})
        org["name"].add(r["name"].value)
        if r["type"] is not None:
            org["type"].add(ORG_TYPES.get(_text(r["type"], "/"), _text(r["type"], "/")))
        for key in ("country", "location"):
            if r[key] is not None:
                org[key].add(r[key].value)
    rows = [[_joined(o[c.key]) if isinstance(o[c.key], set) else o[c.key] for c in ORGANISATIONS]
            for o in organisations.values()]
    return Table("organisations", "Организации", ORGANISATIONS, sorted(rows, key=lambda r: _row_key([r[1], *r])))


def _row_key(row: list[str]) -> list:
    """Sort key: whole numbers by value, other text by code point.

    >>> sorted([["10"], ["9"], ["б"], ["¹"]], key=_row_key)
    [['9'], ['10'], ['¹'], ['б']]
    """
    return [(0, int(cell), "") if cell.isascii() and cell.isdigit() else (1, 0, cell) for cell in row]


# --- CSV -----------------------------------------------------------------------------------

def write_csv_tables(store, directory: Path) -> list[Path]:
    """``events.csv``, ``partner_links.csv``, ``partnerships.csv``, ``dynamics.csv`` and
    ``organisations.csv`` in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for table in csv_tables(store):
        path = directory / f"{table.name}.csv"
        with path.open("w", encoding=CSV_ENCODING, newline="") as handle:
            write_table(table, handle)
        written.append(path)
    return written


def write_table(table: Table, handle) -> None:
    """One table as CSV (comma-separated, quoted where needed, CRLF line ends), Russian
    headings first, every cell made safe to open (:func:`borderkg.spreadsheet.safe_cell`)."""
    writer = csv.writer(handle, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(safe_row(table.headings))
    writer.writerows(safe_row(row) for row in table.rows)


KEYS_BY_HEADINGS = {tuple(c.heading for c in spec): [c.key for c in spec]
                    for spec in (EVENTS, LINKS, PARTNERSHIPS, DYNAMICS, ORGANISATIONS)}


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Column keys (the headings of a table written by :func:`write_csv_tables` mapped back to
    their keys; other headings as they are) and rows of a CSV table."""
    with path.open(encoding=CSV_ENCODING, newline="") as handle:
        header, *rows = list(csv.reader(handle, delimiter=CSV_DELIMITER))
    return KEYS_BY_HEADINGS.get(tuple(header), header), rows


# --- xlsx ----------------------------------------------------------------------------------

DATE_FORMATS = {10: "DD.MM.YYYY", 7: "MM.YYYY", 4: "YYYY"}


def spreadsheet_date(text: str) -> tuple[date, str] | None:
    """A date as precise as written, as a date and the number format that shows that precision.

    >>> spreadsheet_date("2025-05-08"), spreadsheet_date("2025-05"), spreadsheet_date("2024")
    ((datetime.date(2025, 5, 8), 'DD.MM.YYYY'), (datetime.date(2025, 5, 1), 'MM.YYYY'), (datetime.date(2024, 1, 1), 'YYYY'))
    >>> spreadsheet_date("весной") is None
    True
    """
    try:
        if len(text) == 10:
            return date.fromisoformat(text), DATE_FORMATS[10]
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:]), 1), DATE_FORMATS[7]
        if len(text) == 4:
            return date(int(text), 1, 1), DATE_FORMATS[4]
    except ValueError:
        return None
    return None


def write_xlsx(store, output) -> None:
    """Every table of :func:`csv_tables` as a sheet of one workbook (``output``: a path or a
    binary stream)."""
    write_workbook(csv_tables(store), output)


def write_workbook(tables: list[Table], output) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.append(safe_row(table.headings))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(h) for h in table.headings]
        for row in table.rows:
            sheet.append([_cell(column, value) for column, value in zip(table.spec, row)])
            for i, value in enumerate(row):
                widths[i] = max(widths[i], min(len(value), 60))
        for i, (column, _) in enumerate(zip(table.spec, widths), start=1):
            if column.kind == "date":
                for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                    found = spreadsheet_date(str(table.rows[cell.row - 2][i - 1]))
                    if found:
                        cell.number_format = found[1]
            sheet.column_dimensions[get_column_letter(i)].width = widths[i - 1] + 2
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    book.save(output)


def _cell(column: Column, value: str):
    if not value:
        return None
    if column.kind == "int" and value.isdigit():
        return int(value)
    if column.kind == "date":
        found = spreadsheet_date(value)
        if found:
            return found[0]
    return safe_cell(value)

