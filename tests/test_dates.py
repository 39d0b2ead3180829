"""Tests of borderkg.dates: the forms the reports write, generated expressions, robustness."""

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderkg.dates import DateMention, DateSpan, Precision, find_date_mentions, parse_date_span

D, M, Y = Precision.DAY, Precision.MONTH, Precision.YEAR
FAST = settings(max_examples=200, deadline=None)

# Month names written independently of the module's regex, so the tests check it.
NOM = "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь".split()
GEN = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
PREP = "январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре".split()
DAT = "январю февралю марту апрелю маю июню июлю августу сентябрю октябрю ноябрю декабрю".split()
INS = "январём февралём мартом апрелем маем июнем июлем августом сентябрём октябрём ноябрём декабрём".split()


def iso(span):
    return None if span is None else (span.start_iso(), span.end_iso())


@pytest.mark.parametrize(
    "text, year, expected",
    [
        ("18-20 марта 2025 года", None, ("2025-03-18", "2025-03-20")),
        ("18-20 марта\n 2025 года", None, ("2025-03-18", "2025-03-20")),
        ("18 –20\xa0марта 2025г.", None, ("2025-03-18", "2025-03-20")),
        ("20 марта – 7 мая 2025 года", None, ("2025-03-20", "2025-05-07")),
        ("20 марта\n –\n7 мая\n2025 года", None, ("2025-03-20", "2025-05-07")),
        ("28 апреля\n–\n2 мая \n2025 года\n\n", None, ("2025-04-28", "2025-05-02")),
        ("Апрель-май 2025 года", None, ("2025-04", "2025-05")),
        ("Апрель-май\n2025 года", None, ("2025-04", "2025-05")),
        ("Март – апрель 2025 года", None, ("2025-03", "2025-04")),
        ("ноябрь – декабрь 2020 года", None, ("2020-11", "2020-12")),
        ("1 октября 2020 года – 30 мая 2021 года", None, ("2020-10-01", "2021-05-30")),
        ("1 октября 2020 года – 30 мая", None, ("2020-10-01", "2021-05-30")),
        ("21 февраля – 31октября 2020 года", None, ("2020-02-21", "2020-10-31")),
        ("май", 2025, ("2025-05", "2025-05")),
        ("В течение мая", 2025, ("2025-05", "2025-05")),
        ("июнь 2025 года", None, ("2025-06", "2025-06")),
        ("в июне 2025 г.", None, ("2025-06", "2025-06")),
        ("Апрель\n2025 года\n", None, ("2025-04", "2025-04")),
        ("2 апреля 2025 года", None, ("2025-04-02", "2025-04-02")),
        ("1\xa0апреля\n2025 года\n", None, ("2025-04-01", "2025-04-01")),
        ("22.03.2025", None, ("2025-03-22", "2025-03-22")),
        ("22.03.25", None, ("2025-03-22", "2025-03-22")),
        ("22.03.2025 – 25.03.2025", None, ("2025-03-22", "2025-03-25")),
        ("22.03 – 25.03.2025", None, ("2025-03-22", "2025-03-25")),
        ("22-25.03.2025 г.", None, ("2025-03-22", "2025-03-25")),
        ("с 1 по 30 апреля 2025 г.", None, ("2025-04-01", "2025-04-30")),
        ("с 1 апреля по 30 мая 2025 года", None, ("2025-04-01", "2025-05-30")),
        ("1-30 апреля", 2025, ("2025-04-01", "2025-04-30")),
        ("12, 14 мая 2025 года", None, ("2025-05-12", "2025-05-14")),
        ("12 и 14 мая 2025 года", None, ("2025-05-12", "2025-05-14")),
        ("12 мая, 14 июня 2025 года", None, ("2025-05-12", "2025-06-14")),
        ("II квартал 2025 года", None, ("2025-04", "2025-06")),
        ("во втором квартале 2025 г.", None, ("2025-04", "2025-06")),
        ("1-й квартал 2024 года", None, ("2024-01", "2024-03")),
        ("IV квартал", 2020, ("2020-10", "2020-12")),
        ("I полугодие 2025 года", None, ("2025-01", "2025-06")),
        ("2025 год", None, ("2025", "2025")),
        ("2025", None, ("2025", "2025")),
        ("в течение 2025 года", None, ("2025", "2025")),
        ("2024–2025 гг.", None, ("2024", "2025")),
        ("декабрь – январь 2021 года", None, ("2020-12", "2021-01")),
        ("25 декабря – 10 января", 2021, ("2020-12-25", "2021-01-10")),
        ("17 АПРЕЛЯ 2024 ГОДА", None, ("2024-04-17", "2024-04-17")),
        ("ЯНВАРЬ\xa0—\xa0ФЕВРАЛЬ 2021 Г.", None, ("2021-01", "2021-02")),
        ("Мероприятие перенесено на 5 июня", 2025, ("2025-06-05", "2025-06-05")),
    ],
)
def test_cell_forms(text, year, expected):
    assert iso(parse_date_span(text, default_year=year)) == expected


@pytest.mark.parametrize("month", range(12))
def test_every_month_in_every_case(month):
    for forms in (NOM, GEN, PREP, DAT, INS):
        for word in (forms[month], forms[month].capitalize(), forms[month].upper()):
            span = parse_date_span(f"{word} 2023 года")
            last = dt.date(2023, month + 1, month_end(2023, month + 1))
            assert span == DateSpan(dt.date(2023, month + 1, 1), last, M, M), word
    if "ё" in INS[month]:
        assert parse_date_span(INS[month].replace("ё", "е"), 2023).start.month == month + 1


@pytest.mark.parametrize("year_word", ["г.", "гг.", "года", "год", "г"])
def test_year_words(year_word):
    assert iso(parse_date_span(f"3 мая 2022 {year_word}")) == ("2022-05-03", "2022-05-03")


def test_precisions_and_iso():
    span = parse_date_span("май – 15 июня 2025 года")
    assert (span.start_precision, span.end_precision) == (M, D)
    assert (span.start, span.end) == (dt.date(2025, 5, 1), dt.date(2025, 6, 15))
    assert iso(span) == ("2025-05", "2025-06-15")
    year = parse_date_span("2024 год")
    assert (year.start, year.end, year.start_precision) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31), Y)
    assert year.start_iso() == "2024" and Precision.DAY == "day"


@pytest.mark.parametrize(
    "text", ["", "   ", "-", "—", "–", "по согласованию", "Ежемесячно", "\n\n", "в течение года", "1.5 тыс.", "в 10.00"]
)
def test_no_date(text):
    assert parse_date_span(text, default_year=2025) is None


def test_no_year_anywhere_is_none():
    assert parse_date_span("май") is None
    assert parse_date_span("18-20 марта") is None
    assert find_date_mentions("12 марта прошла встреча") == []


def test_invalid_days_clamp_or_drop():
    # a day past the month's end is clamped: the writer meant the end of the month
    assert iso(parse_date_span("31 апреля 2025 года")) == ("2025-04-30", "2025-04-30")
    assert iso(parse_date_span("29-30 февраля 2023 г.")) == ("2023-02-28", "2023-02-28")
    assert iso(parse_date_span("29 февраля 2024 г.")) == ("2024-02-29", "2024-02-29")
    # a number that cannot be a day, or a month number out of range, is no date
    assert parse_date_span("45 мая 2025 года") is None
    assert parse_date_span("0 мая 2025 года") is None
    assert parse_date_span("12.13.2025") is None


def test_reversed_explicit_endpoints_are_swapped():
    span = parse_date_span("30 мая 2021 года – 1 октября 2020 года")
    assert iso(span) == ("2020-10-01", "2021-05-30")


def test_out_of_range_default_year_does_not_raise():
    assert parse_date_span("май", default_year=0) is None
    assert parse_date_span("январь", default_year=10_000) is None
    assert parse_date_span("декабрь – январь", default_year=1) is None


def test_find_mentions_in_news():
    text = "16.03.2026\n12 марта в Смоленске прошла встреча. Подвели итоги за 2025 год и планы."
    found = find_date_mentions(text, default_year=2026)
    assert [(m.text, iso(m.span)) for m in found] == [
        ("16.03.2026", ("2026-03-16", "2026-03-16")),
        ("12 марта", ("2026-03-12", "2026-03-12")),
        ("2025 год", ("2025", "2025")),
    ]
    assert all(text[m.start:m.end] == m.text for m in found)
    assert isinstance(found[0], DateMention)


def test_find_mentions_ranges_and_bare_numbers():
    text = "1-2 ноября 2022 года на площадках; с 1941–1945 гг. До 2030 участник MITT – 2025, 226 детей."
    found = find_date_mentions(text)
    assert [(m.text, iso(m.span)) for m in found] == [
        ("1-2 ноября 2022 года", ("2022-11-01", "2022-11-02")),
        ("1941–1945 гг.", ("1941", "1945")),
    ]
    assert find_date_mentions("") == [] and find_date_mentions("-") == []


def test_find_mentions_city_abbreviation_in_next_cell_is_not_a_year_word():
    # «г.» opening the next table cell is «город», so the bare «2025» before it is no year
    assert find_date_mentions("Выставка MITT – 2025\n\tг.\xa0Москва\n\t18-20 марта") == []


@pytest.mark.parametrize("chunk", ["1-", "1, ", "1 и ", "2025 - ", "мая - ", "11.11-"])
def test_long_runs_scan_fast(chunk):
    started = time.perf_counter()
    find_date_mentions(chunk * 2000, default_year=2025)
    parse_date_span(chunk * 2000, default_year=2025)
    assert time.perf_counter() - started < 2


def test_find_mentions_cross_line_range():
    text = "Сроки:\n20 марта\n –\n7 мая\n2025 года\nЦель"
    [m] = find_date_mentions(text)
    assert m.text == "20 марта\n –\n7 мая\n2025 года" and iso(m.span) == ("2025-03-20", "2025-05-07")


# --- generated expressions -------------------------------------------------------------

DASHES = st.sampled_from(["-", "–", "—"])
GAP = st.sampled_from(["", " ", "\n", "\xa0", " \n", "\n "])
SPACE = st.sampled_from([" ", "\n", "\xa0", " \n", "\n ", "  "])
DAY_GAP = st.sampled_from(["", " ", "\xa0", "\n"])
YEAR_WORD = st.sampled_from([" года", " г.", "г.", " г", " год", ""])
DATES = st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31))


def month_end(year, month):
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(1)).day


@st.composite
def dash(draw):
    return draw(GAP) + draw(DASHES) + draw(GAP)


@st.composite
def year_suffix(draw, year):
    return f"{draw(SPACE)}{year}{draw(YEAR_WORD)}"


@st.composite
def expressions(draw):
    """(text, expected DateSpan, default_year) for a random form and random dates."""
    form = draw(st.sampled_from(
        ["day", "days", "list", "s_po", "day_range", "cross_year", "month", "month_range",
         "numeric", "numeric_range", "quarter", "year"]))
    a = draw(DATES)
    # a later end within a year is what a range written with one year can express
    ranged = form in ("day_range", "month_range", "numeric_range")
    b = a + dt.timedelta(draw(st.integers(0, 364))) if ranged else a
    drop_year = form not in ("cross_year", "numeric", "numeric_range", "year") and draw(st.booleans())
    ys = "" if drop_year else draw(year_suffix(b.year))
    default = b.year if drop_year else draw(st.none() | st.integers(1990, 2035))
    day = DAY_GAP
    if form == "day":
        text, span = f"{a.day}{draw(day)}{GEN[a.month - 1]}{ys}", (a, a, D, D)
    elif form in ("days", "list", "s_po"):
        d1, d2 = sorted(draw(st.lists(st.integers(1, month_end(a.year, a.month)), min_size=2, max_size=2)))
        sep = {"days": draw(dash()), "list": draw(st.sampled_from([", ", ",", " и "])), "s_po": " по "}[form]
        head = "с " if form == "s_po" else ""
        text = f"{head}{d1}{sep}{d2}{draw(day)}{GEN[a.month - 1]}{ys}"
        span = (a.replace(day=d1), a.replace(day=d2), D, D)
    elif form in ("day_range", "cross_year"):
        if form == "cross_year":
            b = draw(st.dates(dt.date(a.year + 1, 1, 1), dt.date(a.year + 3, 12, 31)))
            ys = draw(year_suffix(b.year))
        first = f"{a.day}{draw(day)}{GEN[a.month - 1]}"
        if form == "cross_year" or draw(st.booleans()) and not drop_year:
            first += draw(year_suffix(a.year))
        text, span = f"{first}{draw(dash())}{b.day}{draw(day)}{GEN[b.month - 1]}{ys}", (a, b, D, D)
    elif form == "month":
        word = draw(st.sampled_from([NOM[a.month - 1], "в " + PREP[a.month - 1],
                                     "В течение " + GEN[a.month - 1]]))
        text = word + ys
        span = (a.replace(day=1), a.replace(day=month_end(a.year, a.month)), M, M)
    elif form == "month_range":
        k = a.month - 1 + draw(st.integers(0, 11))  # one written year spans at most 12 months
        b = dt.date(a.year + k // 12, k % 12 + 1, 1)
        ys = "" if drop_year else draw(year_suffix(b.year))
        default = b.year if drop_year else default
        text = f"{NOM[a.month - 1]}{draw(dash())}{NOM[b.month - 1]}{ys}"
        span = (a.replace(day=1), b.replace(day=month_end(b.year, b.month)), M, M)
    elif form in ("numeric", "numeric_range"):
        def num(x):
            return draw(st.sampled_from([f"{x.day:02d}.{x.month:02d}.{x.year}", f"{x.day}.{x.month:02d}.{x.year}"]))
        text = num(a) + (draw(dash()) + num(b) if form == "numeric_range" else "")
        span = (a, b if form == "numeric_range" else a, D, D)
    elif form == "quarter":
        q = (a.month - 1) // 3 + 1
        name = draw(st.sampled_from([
            ["I", "II", "III", "IV"][q - 1] + " квартал",
            f"{q}-й квартал",
            "в " + ["первом", "втором", "третьем", "четвёртом"][q - 1] + " квартале"]))
        text = name + ys
        span = (dt.date(a.year, 3 * q - 2, 1), dt.date(a.year, 3 * q, month_end(a.year, 3 * q)), M, M)
    else:
        text = f"{a.year}{draw(st.sampled_from([' год', ' года', ' г.', '', 'г.']))}"
        span = (dt.date(a.year, 1, 1), dt.date(a.year, 12, 31), Y, Y)
    rnd = draw(st.randoms(use_true_random=False))
    text = "".join(c.upper() if rnd.random() < 0.3 else c for c in text)
    if rnd.random() < 0.5:
        text = text[:1].upper() + text[1:]
    return text, DateSpan(*span), default


@FAST
@given(expressions())
def test_generated_expressions_parse_exactly(case):
    text, expected, default = case
    assert parse_date_span(text, default_year=default) == expected


@FAST
@given(expressions(), st.sampled_from(["", "Встреча прошла ", "Итоги: ", "Сроки\n"]))
def test_generated_expressions_found_in_running_text(case, prefix):
    text, expected, default = case
    if expected.start_precision is Y and not any(w in text.lower() for w in ("г", "год")):
        return  # a bare number is deliberately not a year in running text
    full = f"{prefix}{text} в Смоленске, участники 12 человек."
    found = find_date_mentions(full, default_year=default)
    assert [m.span for m in found] == [expected]
    assert full[found[0].start:found[0].end] == found[0].text
    assert text.strip().endswith(found[0].text.strip())


DATEISH = st.lists(
    st.sampled_from(list("0123456789.,-–— \n\xa0гдоипсIVкварлянмйюе") + GEN[:3] + NOM[4:6] + [" года", " г."]),
    max_size=30,
).map("".join)


@FAST
@given(DATEISH | st.text(max_size=80), st.none() | st.integers(-5, 12_000))
def test_arbitrary_text_never_raises_and_start_before_end(text, default):
    span = parse_date_span(text, default_year=default)
    if span is not None:
        assert span.start <= span.end
        assert len(span.start_iso()) in (4, 7, 10)
    for m in find_date_mentions(text, default_year=default):
        assert m.span.start <= m.span.end
        assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text
