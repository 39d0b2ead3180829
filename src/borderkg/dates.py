"""Russian date expressions: the «Сроки проведения» cell of a report, and dates in running text.

Understood forms: a day («2 апреля 2025 года»), a list or range of days in one month
(«18-20 марта», «12, 14 мая», «с 1 по 30 апреля»), a range between two days or months
(«20 марта – 7 мая 2025 года», «Апрель-май», «1 октября 2020 года – 30 мая 2021 года»),
a month in any case («в июне 2025 г.», «В течение мая»), numeric dates («22.03.2025»,
«22.03 – 25.03.2025», «22-25.03.2025»), a quarter or half-year («II квартал 2025 года») and a
year («2025 год», «2024–2025 гг.»).

Years: a part written without a year takes it from the part after it, else from the part
before it (rolling forward when that would put the end first), else from ``default_year``
(the report's year). When the borrowed year would put the start after the end («декабрь –
январь 2021 года»), the start moves to the year before.

Invalid days: a day number 1..31 past the end of its month («31 апреля») is clamped to the
month's last day, because the writer meant the end of that month; 0 or above 31 is not a
day, and the phrase is not a date. Explicit endpoints written in reverse order are swapped,
so ``start <= end`` always holds.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections import namedtuple
from dataclasses import dataclass

__all__ = ["Precision", "DateSpan", "DateMention", "parse_date_span", "find_date_mentions"]


class Precision(str, enum.Enum):
    """How much of a date the text gave."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_ISO_LEN = {Precision.DAY: 10, Precision.MONTH: 7, Precision.YEAR: 4}


@dataclass(frozen=True)
class DateSpan:
    """A closed span of days; a coarse endpoint covers its whole month or year."""

    start: datetime.date
    end: datetime.date
    start_precision: Precision
    end_precision: Precision

    def start_iso(self) -> str:
        """ISO start cut to its precision: ``2025-03-18``, ``2025-03`` or ``2025``."""
        return self.start.isoformat()[: _ISO_LEN[self.start_precision]]

    def end_iso(self) -> str:
        """ISO end cut to its precision: ``2025-03-20``, ``2025-03`` or ``2025``."""
        return self.end.isoformat()[: _ISO_LEN[self.end_precision]]


@dataclass(frozen=True)
class DateMention:
    """A dated phrase found in running text, with its character offsets."""

    span: DateSpan
    start: int
    end: int
    text: str


_L = r"[^\W\d_]"  # any letter: months and numerals must not be glued to a longer word
_DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_MONTH = (
    r"(?:январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)(?:ь|я|е|ю|[её]м)"
    r"|(?:март|август)(?:а|е|у|ом)?|ма(?:й|я|е|ю|[её]м)"
)
# in calendar order; «ма» (май) is also a prefix of «март», which is tried first
_STEMS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август",
          "сентябр", "октябр", "ноябр", "декабр")
_YEAR_WORD = rf"(?:годах|годов|годы|году|года|год|гг\.?|г\.?)(?!{_L})"
# «г.» after a line or cell break is more often «город» of the next cell than «год»
_SP = "[ \xa0\u202f]*"
_DAY = r"(?<!\d)\d{1,2}(?!\d)"
_DAY_SEP = rf"(?:\s*[{_DASH},]\s*|\s+(?:и|по|до)\s+)"
_CONNECT = rf"(?:\s*[{_DASH}]\s*|\s+(?:по|до)\s+)"
_ORDINAL = {"перв": 1, "втор": 2, "трет": 3, "четв": 4}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER = rf"IV|I{{1,3}}|[1-4](?:\s*-?\s*(?:й|м|го|ом|ый))?|перв{_L}*|втор{_L}*|трет{_L}*|четв[её]рт{_L}*"


def _point(s: str, numeric_year: bool) -> str:
    """Pattern of one endpoint; ``s`` suffixes its group names so two can share a regex."""
    # lists of days are bounded so that long runs of numbers («1, 2, 3, …») scan in linear time
    year = rf"(?:\s*(?P<y{s}>(?:19|20)\d\d)(?!\d)(?P<w{s}>{_SP}{_YEAR_WORD})?)"
    # a bare «1.5» is a number, not a date: a numeric date needs its year unless a later
    # endpoint of the same range supplies it
    ny = rf"\.(?P<ny{s}>\d{{4}}|\d\d)(?!\d)(?:{_SP}{_YEAR_WORD})?"
    ny = ny if numeric_year else f"(?:{ny})?"
    return (
        rf"(?:(?:(?P<d{s}>{_DAY}(?:{_DAY_SEP}{_DAY}){{0,9}})\s*(?P<m{s}>{_MONTH})(?!{_L})"
        rf"|(?<!{_L})(?P<mo{s}>{_MONTH})(?!{_L})"
        rf"|(?<![\w.])(?P<q{s}>{_QUARTER})\s*квартал{_L}*"
        rf"|(?<![\w.])(?P<h{s}>II|I|[12](?:\s*-?\s*(?:е|м|го|ом))?|перв{_L}*|втор{_L}*)\s*полугоди{_L}*"
        rf"){year}?"
        rf"|(?P<nd{s}>{_DAY}(?:\s*[{_DASH}]\s*{_DAY})?)\.(?P<nm{s}>\d{{1,2}})(?!\d){ny}"
        rf"|(?<![\d.])(?P<yo{s}>(?:19|20)\d\d)(?!\d)(?P<yw{s}>{_SP}{_YEAR_WORD})?)"
    )


_RE: re.Pattern | None = None  # compiled on first use: compiling costs more than the import


def _regex() -> re.Pattern:
    global _RE
    if _RE is None:
        _RE = re.compile(
            rf"(?P<range>{_point('a', False)}{_CONNECT}{_point('b', True)})|{_point('c', True)}",
            re.IGNORECASE,
        )
    return _RE


# first/last: (month, day), day None meaning the month's first/last day; worded: a year
# written with «год»/«г.», or any point that is not a bare year
_Pt = namedtuple("_Pt", "year first last prec worded")


def _month_no(word: str) -> int:
    w = word.lower()
    return next(i for i, stem in enumerate(_STEMS, 1) if w.startswith(stem))


def _ordinal(word: str) -> int:
    w = word.lower().replace(" ", "").replace("-", "")
    if w in _ROMAN:
        return _ROMAN[w]
    return int(w[0]) if w[0].isdigit() else _ORDINAL[w[:4]]


def _pt(m: re.Match, s: str) -> _Pt | None:
    g = m.groupdict()
    year = int(g[f"y{s}"]) if g[f"y{s}"] else None
    if g[f"d{s}"]:
        days = [int(x) for x in re.findall(r"\d+", g[f"d{s}"])]
        mon = _month_no(g[f"m{s}"])
        pt = _Pt(year, (mon, days[0]), (mon, days[-1]), Precision.DAY, True)
    elif g[f"mo{s}"]:
        mon = _month_no(g[f"mo{s}"])
        pt = _Pt(year, (mon, None), (mon, None), Precision.MONTH, True)
    elif g[f"q{s}"]:
        q = _ordinal(g[f"q{s}"])
        pt = _Pt(year, (3 * q - 2, None), (3 * q, None), Precision.MONTH, True)
    elif g[f"h{s}"]:
        h = _ordinal(g[f"h{s}"])
        pt = _Pt(year, (6 * h - 5, None), (6 * h, None), Precision.MONTH, True)
    elif g[f"nd{s}"]:
        days = [int(x) for x in re.findall(r"\d+", g[f"nd{s}"])]
        mon, ny = int(g[f"nm{s}"]), g[f"ny{s}"]
        year = None if ny is None else int(ny) + (2000 if len(ny) == 2 else 0)
        pt = _Pt(year, (mon, days[0]), (mon, days[-1]), Precision.DAY, True)
    else:
        pt = _Pt(int(g[f"yo{s}"]), (1, None), (12, None), Precision.YEAR, bool(g[f"yw{s}"]))
    ok = 1 <= pt.first[0] <= 12 and 1 <= pt.last[0] <= 12
    days_ok = all(d is None or 1 <= d <= 31 for d in (pt.first[1], pt.last[1]))
    return pt if ok and days_ok else None


_ONE_DAY = datetime.timedelta(days=1)


def _date(year: int, md: tuple[int, int | None], last: bool) -> datetime.date:
    month, day = md
    month_end = (datetime.date(year + month // 12, month % 12 + 1, 1) - _ONE_DAY).day
    if day is None:
        day = month_end if last else 1
    return datetime.date(year, month, min(day, month_end))


def _resolve(a: _Pt, b: _Pt, fallback: int | None) -> DateSpan | None:
    ya, yb = a.year, b.year
    try:
        if a is b:
            ya = yb = ya if ya is not None else fallback
            if ya is None:
                return None
        elif ya is None:
            if yb is None:
                if fallback is None:
                    return None
                yb = fallback
            ya = yb if _date(yb, a.first, False) <= _date(yb, b.last, True) else yb - 1
        elif yb is None:
            yb = ya if _date(ya, a.first, False) <= _date(ya, b.last, True) else ya + 1
        start, end = _date(ya, a.first, False), _date(yb, b.last, True)
    except (ValueError, OverflowError):  # a default_year outside 1..9999
        return None
    if start > end:
        return DateSpan(end, start, b.prec, a.prec)
    return DateSpan(start, end, a.prec, b.prec)


def _scan(text: str, bare_years: bool):
    """Yield (match, start point, end point) for each dated phrase in ``text``."""
    for m in _regex().finditer(text):
        if m.group("range"):
            a, b = _pt(m, "a"), _pt(m, "b")
        else:
            a = b = _pt(m, "c")
        # a lone «2025» in prose is as often a number or a name («MITT – 2025») as a year
        if a is None or b is None or not (bare_years or a.worded or b.worded):
            continue
        yield m, a, b


def parse_date_span(text: str, default_year: int | None = None) -> DateSpan | None:
    """Parse one dates cell. None for an empty cell or text with no date.

    Several dates in one cell («12 мая, 14 июня 2025 года») give the span from the first to
    the last; a part without a year takes the next year written, else ``default_year``.

    >>> s = parse_date_span("18-20 марта\\n 2025 года")
    >>> s.start_iso(), s.end_iso()
    ('2025-03-18', '2025-03-20')
    >>> s = parse_date_span("Апрель-май", default_year=2025)
    >>> s.start_iso(), s.end_iso(), s.start_precision.value
    ('2025-04', '2025-05', 'month')
    >>> parse_date_span("декабрь – январь 2021 года").start_iso()
    '2020-12'
    >>> parse_date_span("по согласованию") is None
    True
    """
    if not text or not isinstance(text, str):
        return None
    found = list(_scan(text, bare_years=True))
    spans = []
    for i, (_, a, b) in enumerate(found):
        later = (p.year for _, x, y in found[i + 1:] for p in (x, y) if p.year is not None)
        span = _resolve(a, b, next(later, default_year))
        if span is not None:
            spans.append(span)
    if not spans:
        return None
    first = min(spans, key=lambda s: s.start)
    last = max(spans, key=lambda s: s.end)
    return DateSpan(first.start, last.end, first.start_precision, last.end_precision)


def find_date_mentions(text: str, default_year: int | None = None) -> list[DateMention]:
    """All dated phrases in running text, in order.

    A phrase without a year takes ``default_year``, and is skipped when that is None. A
    lone four-digit number counts as a year only with «год»/«г.» after it (or after the
    other end of its range: «2024–2025 гг.»).

    >>> [(m.text, m.span.start_iso(), m.span.end_iso())
    ...  for m in find_date_mentions("12 марта в Смоленске прошла встреча", 2026)]
    [('12 марта', '2026-03-12', '2026-03-12')]
    >>> [m.span.end_iso() for m in find_date_mentions("1–2 ноября 2022 года; итоги за 2025 год")]
    ['2022-11-02', '2025']
    """
    if not text or not isinstance(text, str):
        return []
    out = []
    for m, a, b in _scan(text, bare_years=False):
        span = _resolve(a, b, default_year)
        if span is not None:
            out.append(DateMention(span, m.start(), m.end(), m.group(0)))
    return out
