"""Table structure of a page image: the ruling lines of its table, found with numpy.

A report table is ruled: horizontal lines across it separate its rows, vertical lines its
cells (a merged section-header row has none inside). A dark run longer than any letter is a
line; lines a few pixels apart are one. Each row band between two horizontal lines is cut
at the vertical lines that cross it from top to bottom, giving the cells of that row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_H_LINE = 1 / 6  # of the page width: a horizontal rule is longer than any text
MIN_BAND = 20  # pixels: a row band lower than this is a double rule, not a row
FILL = 0.85  # the share of a rule's pixels that are dark (scans break lines)


@dataclass(frozen=True)
class Box:
    """A rectangle of the page in pixels, ``right`` and ``bottom`` excluded."""

    left: int
    top: int
    right: int
    bottom: int


@dataclass(frozen=True)
class Grid:
    """The cells of a page's table, row by row, and the page's area outside the table."""

    rows: list[list[Box]]
    lines: np.ndarray  # True where a ruling line is: erased before OCR

    @property
    def top(self) -> int:
        return self.rows[0][0].top if self.rows else 0

    @property
    def bottom(self) -> int:
        return self.rows[-1][0].bottom if self.rows else 0


def dark_pixels(gray: np.ndarray) -> np.ndarray:
    """Ink: the pixels darker than Otsu's threshold of the page.

    >>> page = np.full((4, 4), 240, dtype=np.uint8); page[1, 1:3] = 20
    >>> int(dark_pixels(page).sum()), int(dark_pixels(np.full((4, 4), 255, dtype=np.uint8)).sum())
    (2, 0)
    """
    histogram = np.bincount(gray.ravel(), minlength=256).astype(float)
    levels = np.arange(256)
    weight = np.cumsum(histogram)
    mean = np.cumsum(histogram * levels)
    total, total_mean = weight[-1], mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mean * weight - mean * total) ** 2 / (weight * (total - weight))
    if np.isnan(between).all():  # one shade only: a blank page
        return np.zeros(gray.shape, dtype=bool)
    return gray <= int(np.nanargmax(between))


def _runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Per row of ``mask``, True where a window of ``length`` pixels starting there is
    at least :data:`FILL` dark."""
    sums = np.cumsum(np.pad(mask, ((0, 0), (1, 0))).astype(np.int32), axis=1)
    return (sums[:, length:] - sums[:, :-length]) >= FILL * length


def _centres(flags: np.ndarray, gap: int = 4) -> list[tuple[int, int]]:
    """Groups of True positions no more than ``gap`` apart, as (first, last)."""
    positions = np.flatnonzero(flags)
    groups: list[tuple[int, int]] = []
    for position in positions:
        if groups and position - groups[-1][1] <= gap:
            groups[-1] = (groups[-1][0], int(position))
        else:
            groups.append((int(position), int(position)))
    return groups


def find_grid(ink: np.ndarray) -> Grid | None:
    """The table of a page image given as its ink (True dark, :func:`dark_pixels`), or None
    when it has no ruled table.

    >>> page = np.zeros((300, 400), dtype=bool)
    >>> page[[10, 100, 200], 20:380] = True  # three rules: two rows
    >>> page[10:201, [20, 380]] = True; page[100:201, 200] = True  # the lower row has two cells
    >>> [[(box.left, box.right) for box in row] for row in find_grid(page).rows]
    [[(20, 380)], [(20, 200), (200, 380)]]
    """
    height, width = ink.shape
    length = max(8, int(width * MIN_H_LINE))
    windows = _runs(ink, length)
    rules = _centres(windows.any(axis=1))
    if len(rules) < 2:
        return None
    lines = np.zeros_like(ink)
    starts = [np.flatnonzero(windows[first:last + 1].any(axis=0)) for first, last in rules]
    left = min(int(s[0]) for s in starts)
    right = max(int(s[-1]) + length for s in starts)
    for first, last in rules:
        lines[max(0, first - 2):last + 3, left:right] = True
    rows: list[list[Box]] = []
    for (_, above), (below, _) in zip(rules, rules[1:]):
        top, bottom = above + 1, below
        if bottom - top < MIN_BAND:
            continue
        inner = ink[top + 3:bottom - 3, left:right]
        columns = inner.mean(axis=0) >= FILL
        cuts = [left + (a + b) // 2 for a, b in _centres(columns)]
        for a, b in _centres(columns):
            lines[top:bottom, max(0, left + a - 2):left + b + 3] = True
        # The table's own borders are the outermost verticals (the window that finds a
        # rule starts a little before it); without them, the rule's extent.
        edges = sorted(cuts) if len(cuts) >= 2 else sorted({left, right, *cuts})
        cells = [Box(x0, top, x1, bottom) for x0, x1 in zip(edges, edges[1:]) if x1 - x0 > MIN_BAND]
        if cells:
            rows.append(cells)
    return Grid(rows, lines) if rows else None
