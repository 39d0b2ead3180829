"""A scaled corpus for the benchmarks: quarterly reports recombined from the real rows.

Each synthetic report is one quarterly report in the tab-cell text rendering that borderkg
reads (as ``tests/conftest.py`` writes it): a title naming its quarter and year, the real
column headings, then the 97 real rows of the Q2 2025 report in a shuffled order, split into
sections of other Smolensk municipalities, with the year and the month words of every dates
cell moved to the report's quarter. Headers use the names in force: «Демидовский район» before
2024, «Муниципальное образование «Демидовский муниципальный округ» Смоленской области» after.
The three free-text documents are copied once. Everything is derived from a seed.

    .venv/bin/python bench/corpus.py OUT_DIR --reports 100 [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_REPORT = ROOT / "data" / "reports" / "001_5746b6576caafdfe.txt"
FREE_TEXTS = [ROOT / "data" / "reports" / name for name in
              ("000_5aa18e902abd1b5b.txt", "003_896a61d3b8a214c2.txt", "004_2e546239e9f184f4.txt")]
MUNICIPALITIES = ROOT / "data" / "gazetteer" / "smolensk_municipalities.tsv"
YEARS = range(2019, 2027)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

# Month word forms (nominative, genitive, prepositional), month 1..12.
_MONTHS = [("январь", "января", "январе"), ("февраль", "февраля", "феврале"), ("март", "марта", "марте"),
           ("апрель", "апреля", "апреле"), ("май", "мая", "мае"), ("июнь", "июня", "июне"),
           ("июль", "июля", "июле"), ("август", "августа", "августе"),
           ("сентябрь", "сентября", "сентябре"), ("октябрь", "октября", "октябре"),
           ("ноябрь", "ноября", "ноябре"), ("декабрь", "декабря", "декабре")]
_FORM = {form: (month, case) for month, forms in enumerate(_MONTHS, 1) for case, form in enumerate(forms)}
_MONTH_WORD = re.compile(r"(?<!\w)(" + "|".join(sorted(_FORM, key=len, reverse=True)) + r")(?!\w)",
                         re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")

# The source report is Q2 with a few March rows; its months (3, 4, 5, 6) go to these months of
# each quarter. Each map keeps order (a range stays a range) and fits every day the source
# uses (May has a 31st, so it always lands on a 31-day month).
MONTH_MAPS = {1: {3: 1, 4: 1, 5: 3, 6: 3}, 2: {3: 3, 4: 4, 5: 5, 6: 6},
              3: {3: 6, 4: 7, 5: 8, 6: 9}, 4: {3: 9, 4: 10, 5: 12, 6: 12}}


@dataclass(frozen=True)
class SourceRows:
    """What the synthetic reports are made of: the real headings and rows (cells in order)."""

    headings: tuple[str, ...]
    rows: list[tuple[str, ...]]  # cells after the number cell
    dates_index: int  # position of the dates cell in a row's cells
    source_year: int


def load_source(path: Path = SOURCE_REPORT) -> SourceRows:
    """The headings and rows of the real report, read by borderkg itself."""
    from borderkg.document import TableRow
    from borderkg.parse import Column, columns_of, parse_report
    from borderkg.read import read_document

    report = parse_report(read_document(path))
    heading_row = next(b for b in report.document.blocks if isinstance(b, TableRow) and columns_of(b))
    columns = [c for c in report.columns if c is not Column.NUMBER]
    rows = [tuple(row.cell(c) for c in columns) for row in report.rows]
    return SourceRows(heading_row.cells, rows, columns.index(Column.DATES), report.document.period.year)


def shift_dates(text: str, year: int, quarter: int, source_year: int = 2025) -> str:
    """A dates cell moved to another quarter and year (month words keep their case).

    >>> shift_dates("20 марта\\n–\\n7 мая\\n2025 года", 2021, 4)
    '20 сентября\\n–\\n7 декабря\\n2021 года'
    >>> shift_dates("Апрель-май 2025 года", 2019, 1)
    'Январь-март 2019 года'
    """
    months = MONTH_MAPS[quarter]

    def month(match: re.Match) -> str:
        word = match.group(1)
        number, case = _FORM[word.lower()]
        new = _MONTHS[months.get(number, number) - 1][case]
        return new.capitalize() if word[0].isupper() else new

    text = _MONTH_WORD.sub(month, text)
    return _YEAR.sub(lambda m: str(year + int(m.group(1)) - source_year), text)


def load_municipalities(path: Path = MUNICIPALITIES) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def section_header(municipality: dict, year: int) -> str:
    """The section header a report of ``year`` gives the municipality.

    >>> m = {"name": "Демидовский муниципальный округ", "former_name": "Демидовский район", "kind": "municipal_okrug"}
    >>> section_header(m, 2021)
    'Демидовский район'
    >>> section_header(m, 2025)
    'Муниципальное образование «Демидовский муниципальный округ» Смоленской области'
    >>> section_header({"name": "город Смоленск", "former_name": "город Смоленск", "kind": "city_okrug"}, 2020)
    'Город Смоленск'
    """
    if municipality["kind"] == "city_okrug":
        name = municipality["name"]
        return name[0].upper() + name[1:] if year < 2024 or "Смоленск" in name else \
            f"Муниципальное образование «{name}» Смоленской области"
    if year < 2024:
        return municipality["former_name"]
    return f"Муниципальное образование «{municipality['name']}» Смоленской области"


def report_title(year: int, quarter: int) -> str:
    """The report's title, naming its quarter and year.

    >>> report_title(2021, 2)[-24:]
    'во II квартале 2021 года'
    """
    bodies = "муниципальных районов и городских округов" if year < 2024 else "муниципальных и городских округов"
    preposition = "во" if quarter == 2 else "в"
    return (f"Отчет о мероприятиях в международной сфере, проведенных органами местного самоуправления "
            f"{bodies} Смоленской области {preposition} {ROMAN[quarter]} квартале {year} года")


def render(title: str, headings: tuple[str, ...], sections: list[tuple[str, list[tuple[str, ...]]]]) -> str:
    """The tab-cell text rendering of a Word report (the layout of ``tests/conftest.py``)."""
    lines = [title, "", *[f"\t{h}" for h in headings], ""]
    number = 0
    for header, rows in sections:
        lines += [f"\t{header}", ""]
        for cells in rows:
            number += 1
            lines += [f"\t{number}. ", *[f"\t{cell}" for cell in cells], ""]
    return "\n".join(lines) + "\n"


def synthetic_report(index: int, seed: int, source: SourceRows, municipalities: list[dict]) -> tuple[str, str, int]:
    """File name, text and row count of the ``index``-th report (independent of the others)."""
    rng = random.Random(seed * 1_000_003 + index)
    year, quarter = rng.choice(YEARS), rng.randint(1, 4)
    rows = list(source.rows)
    rng.shuffle(rows)
    shifted = []
    for cells in rows:
        cells = list(cells)
        cells[source.dates_index] = shift_dates(cells[source.dates_index], year, quarter, source.source_year)
        shifted.append(tuple(cells))
    chosen = rng.sample(municipalities, rng.randint(6, min(16, len(municipalities))))
    cuts = sorted(rng.sample(range(1, len(shifted)), len(chosen) - 1))
    bounds = [0, *cuts, len(shifted)]
    sections = [(section_header(m, year), shifted[a:b]) for m, a, b in zip(chosen, bounds, bounds[1:])]
    name = f"bench_{index:04d}_{year}q{quarter}.txt"
    return name, render(report_title(year, quarter), source.headings, sections), len(shifted)


def write_corpus(out_dir: Path, reports: int, seed: int = 7) -> dict:
    """Write ``reports`` synthetic reports and the three free-text documents into ``out_dir``;
    returns a manifest (files, report rows, bytes). The same seed gives the same files, and
    the first N reports of a larger corpus are the N reports of a smaller one."""
    out_dir.mkdir(parents=True, exist_ok=True)
    source, municipalities = load_source(), load_municipalities()
    rows = size = 0
    for index in range(reports):
        name, text, count = synthetic_report(index, seed, source, municipalities)
        data = text.encode("utf-8")
        (out_dir / name).write_bytes(data)
        rows, size = rows + count, size + len(data)
    for path in FREE_TEXTS:
        shutil.copyfile(path, out_dir / path.name)
        size += path.stat().st_size
    return {"dir": str(out_dir), "report_files": reports, "free_text_files": len(FREE_TEXTS),
            "files": reports + len(FREE_TEXTS), "report_rows": rows, "bytes": size, "seed": seed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(write_corpus(args.out_dir, args.reports, args.seed))


if __name__ == "__main__":
    main()
