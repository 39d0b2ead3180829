"""safe_cell: no cell a spreadsheet would run as a formula, and nothing else changed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from borderkg.spreadsheet import FORMULA_STARTS, NEGATIVE_NUMBER, safe_cell

CELL = st.text(max_size=30) | st.builds(lambda c, t: c + t, st.sampled_from(FORMULA_STARTS), st.text(max_size=20))


@given(CELL)
def test_a_cell_is_kept_or_prefixed_and_never_starts_a_formula(value):
    cell = safe_cell(value)
    assert cell in (value, "'" + value)
    assert not cell.startswith(FORMULA_STARTS) or NEGATIVE_NUMBER.fullmatch(cell)
    assert (cell == value) == (not value.startswith(FORMULA_STARTS) or bool(NEGATIVE_NUMBER.fullmatch(value)))


@given(st.integers(max_value=-1) | st.floats(max_value=-1e-3, min_value=-1e9).map(lambda f: round(f, 3)))
def test_negative_numbers_stay_numbers(number):
    assert safe_cell(str(number)) == str(number)
